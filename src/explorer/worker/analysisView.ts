import { familyById, verdictFor, type HubDbAnalysis, type PlanNode } from '../../core/hubdb';
import type { AnalysisView, PlanStep } from '../../protocol/explorerProtocol';
import { formatCount } from '../../shared/format';

/**
 * The analysis panel's view model from the analyzer's result: every number and sentence comes from
 * src/core/hubdb; this only picks what the panel shows and flattens plan trees for the wire.
 */
export function analysisView(analysis: HubDbAnalysis, memoryLimitBytes: number | null): AnalysisView {
  const { verdict, remediation, counts } = analysis;
  return {
    verdict: {
      level: verdict.status,
      headline: verdict.headline,
      marginBytes: verdict.marginBytes,
      memoryLimitBytes: verdict.limitBytes,
      predictedBytes: verdict.peakBytes,
      version: verdict.jupyterhub,
    },
    versions: analysis.startup.map((estimate) => ({
      version: estimate.jupyterhub,
      form: estimate.form,
      mainRows: estimate.rows,
      totalRows: estimate.totalRows,
      statements: estimate.statements,
      predictedBytes: estimate.peakBytes,
      predictedSeconds: estimate.seconds,
      verdict: verdictFor(estimate, memoryLimitBytes, false).status,
      selected: estimate.family === verdict.family,
    })),
    offenders: analysis.offenders.map((o) => ({
      user: o.user,
      spawners: o.spawners,
      running: o.running,
      namedServers: o.namedServers,
      mainRows: o.rows,
      share: o.share,
    })),
    staleServers: analysis.stale.servers.map((s) => ({
      user: s.user,
      server: s.server,
      lastActivity: s.lastActivity,
      idleDays: s.idleDays,
    })),
    startupQueries: analysis.queries.map((q) => ({
      version: familyById(q.family).jupyterhub,
      label: q.label,
      sql: q.sql,
      plan: flatten(q.plan),
    })),
    remediation: {
      upgrade: remediation.upgrade.text,
      steps: remediation.steps,
      namedServerLimit: {
        text: remediation.namedServerLimit.text,
        yaml: remediation.namedServerLimit.yaml,
        python: remediation.namedServerLimit.python,
      },
      cleanup: { text: remediation.cleanup.text, bash: remediation.cleanup.bash, python: remediation.cleanup.python },
    },
    health: [
      { label: 'Users', value: formatCount(counts.users), severity: 'info' },
      {
        label: 'Spawners',
        value: `${formatCount(counts.spawners)} (${formatCount(counts.namedServers)} named)`,
        severity: 'info',
      },
      {
        label: 'Running servers',
        value: `${formatCount(counts.running)} of ${formatCount(counts.usersWithRunning)} users`,
        severity: 'info',
      },
      {
        label: 'Σ running × spawners',
        value: formatCount(counts.sumRunningTimesSpawners),
        severity: 'info',
      },
      ...analysis.health.items,
    ],
    notes: analysis.notes,
  };
}

/** A plan tree as SQLite's own rows (id, parent, detail), which the page turns back into a tree. */
function flatten(nodes: PlanNode[]): PlanStep[] {
  return nodes.flatMap((node) => [
    { id: node.id, parent: node.parent, detail: node.detail },
    ...flatten(node.children),
  ]);
}
