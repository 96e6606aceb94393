import { smallestChartFor } from './chartVersions';
import { bashCleanupScript, leftOutReason, pythonCleanupScript, serversThatFit } from './cleanupScript';
import { userLoads, type UserLoadList } from './dbStats';
import { formatBytes, formatCount } from '../../../shared/format';
import type { StaleServers } from './offenders';
import type { StartupEstimate } from './startupModel';
import type { Verdict } from './verdict';

/** What to do about the start-up cost. Advice and scripts only: nothing here writes the DB. */
export interface RemediationPlan {
  upgrade: {
    /** Whether the family the verdict is for runs the O(N²) join or the 5.4.0–5.4.2 bug. */
    needed: boolean;
    targetJupyterHub: string | null;
    targetChart: string | null;
    text: string;
  };
  namedServerLimit: {
    suggested: number;
    /** jupyterhub_config.py line. */
    python: string;
    /** z2jh values.yaml fragment. */
    yaml: string;
    text: string;
  };
  cleanup: {
    staleServers: number;
    /** Servers in the scripts (at most the analysis' stale list). */
    scripted: number;
    /** The scripts; '' when the caller asked for none (`scripts: false`). */
    bash: string;
    python: string;
    text: string;
  };
  /** The plan in order, as sentences. */
  steps: string[];
}

/** The cleanup scripts stay under this size (characters): a reviewable file, and one a view can show. */
export const MAX_SCRIPT_BYTES = 900_000;

/** The first release whose start-up is linear and keeps stopped named servers (issue 5211 fixed). */
export const FIXED_JUPYTERHUB = '5.4.3';

/** "Twice what 90% of the people with named servers use", at least 5 and at most 50, as a round number. */
export function suggestNamedServerLimit(perUser: UserLoadList): number {
  const loads = userLoads(perUser);
  const counts: number[] = [];
  for (let i = 0; i < loads.length; i++) if (loads.namedServers(i) > 0) counts.push(loads.namedServers(i));
  if (counts.length === 0) return 5;
  const named = Float64Array.from(counts).sort();
  const p90 = named[Math.min(named.length - 1, Math.floor(named.length * 0.9))]!;
  const limit = Math.min(50, Math.max(5, 2 * p90));
  return limit <= 10 ? limit : Math.ceil(limit / 5) * 5;
}

export function remediationPlan(input: {
  selected: StartupEstimate;
  /** The 5.4.3+ estimate (what upgrading gives). */
  fixed: StartupEstimate;
  /** The 5.0–5.3 estimate (what the versions to avoid would cost). */
  quadratic: StartupEstimate;
  verdict: Verdict;
  perUser: UserLoadList;
  stale: StaleServers;
  snapshotTime?: string;
  /** false: count and describe the cleanup, but write no script (default true). */
  scripts?: boolean;
}): RemediationPlan {
  const { selected, fixed, verdict, stale } = input;
  const chart = smallestChartFor(FIXED_JUPYTERHUB);
  const target = chart
    ? `JupyterHub ${FIXED_JUPYTERHUB} with z2jh chart ${chart.chart}`
    : `JupyterHub ${FIXED_JUPYTERHUB}`;

  let needed = false;
  let upgradeText: string;
  switch (selected.family) {
    case '5.0-5.3':
      needed = true;
      upgradeText =
        `Upgrade to ${target} or later: its start-up loads ${formatCount(fixed.rows)} rows instead of ` +
        `${formatCount(selected.rows)} (${formatBytes(fixed.peakBytes)} instead of ${formatBytes(selected.peakBytes)}). ` +
        "Skip 5.4.0–5.4.2 (charts 4.3.0 and 4.3.1): they are linear too but drop stopped named servers from users' lists (JupyterHub issue 5211).";
      break;
    case '5.4.0-5.4.2':
      needed = true;
      upgradeText = `Start-up is linear already; upgrade to ${target} to fix JupyterHub issue 5211 (stopped named servers missing from users' lists).`;
      break;
    case '4.x':
      upgradeText =
        `JupyterHub 4.x starts linearly (one statement per running server). When you upgrade, go straight to ${target} or later: ` +
        `5.0–5.3 (charts 4.0.0–4.2.0) would need ${formatBytes(input.quadratic.peakBytes)} on this DB.`;
      break;
    default:
      upgradeText = `JupyterHub ${selected.jupyterhub} starts linearly: no upgrade is needed for start-up cost.`;
  }

  const suggested = suggestNamedServerLimit(input.perUser);
  const python = `c.JupyterHub.named_server_limit_per_user = ${suggested}`;
  const yaml = ['hub:', '  config:', '    JupyterHub:', `      named_server_limit_per_user: ${suggested}`, ''].join(
    '\n',
  );
  const loads = userLoads(input.perUser);
  let maxNamed = 0;
  for (let i = 0; i < loads.length; i++) maxNamed = Math.max(maxNamed, loads.namedServers(i));
  const limitText =
    `Cap named servers per user at ${suggested} (twice what 90% of the people with named servers use): ` +
    `the most anyone has now is ${maxNamed}. The limit stops new servers beyond it; it does not remove existing ones.`;

  const servers = stale.servers.slice(0, serversThatFit(stale.servers, MAX_SCRIPT_BYTES));
  const options = { days: stale.days, ...(input.snapshotTime ? { snapshotTime: input.snapshotTime } : {}) };
  const leftOut = servers.filter((s) => leftOutReason(s, 'python') !== null).length;
  const bashOnly = servers.filter((s) => leftOutReason(s, 'python') === null && leftOutReason(s, 'bash') !== null);
  const cleanupText =
    stale.count === 0
      ? `No stopped named servers idle for more than ${stale.days} days.`
      : `${formatCount(stale.count)} stopped named servers have been idle for more than ${stale.days} days` +
        (stale.byUser[0] ? ` (${stale.byUser[0].user} owns ${formatCount(stale.byUser[0].stale)})` : '') +
        ". The scripts remove them through the hub's REST API (dry run unless --apply; token from JUPYTERHUB_API_TOKEN)" +
        (servers.length < stale.count
          ? `; they list the ${formatCount(servers.length)} oldest: run again after.`
          : '.') +
        (leftOut > 0
          ? ` ${formatCount(leftOut)} cannot be named exactly in a request and are left out (the scripts say why).`
          : '') +
        (bashOnly.length > 0
          ? ` The bash script also leaves out ${formatCount(bashOnly.length)} whose names hold a NUL; the Python script removes them.`
          : '');

  const steps: string[] = ['Keep this snapshot: it is the evidence, and the scripts were made from it.'];
  if (verdict.status === 'oom' && needed)
    steps.push(
      `Do not restart the hub on ${selected.jupyterhub} with this DB: it cannot come up to serve the API. ` +
        `Upgrade first, to ${target}; if you cannot, raise the hub's memory limit above ${formatBytes(selected.peakBytes * 1.2)} for the restart.`,
    );
  else if (needed) steps.push(upgradeText);
  if (stale.count > 0)
    steps.push('With the hub up, run the cleanup script as a dry run, read the list, then run it with --apply.');
  steps.push(`Set ${python} (z2jh: hub.config.JupyterHub.named_server_limit_per_user) so it does not grow back.`);
  if (verdict.status === 'oom' && needed) steps.push(upgradeText);

  return {
    upgrade: {
      needed,
      targetJupyterHub: needed ? FIXED_JUPYTERHUB : null,
      targetChart: needed ? (chart?.chart ?? null) : null,
      text: upgradeText,
    },
    namedServerLimit: { suggested, python, yaml, text: limitText },
    cleanup: {
      staleServers: stale.count,
      scripted: servers.length,
      bash: input.scripts === false ? '' : bashCleanupScript(servers, options),
      python: input.scripts === false ? '' : pythonCleanupScript(servers, options),
      text: cleanupText,
    },
    steps,
  };
}
