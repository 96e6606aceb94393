/**
 * The words on each row of the Clusters tree, from the core's cluster model. Plain functions with no
 * `vscode` import, so the tree items stay thin. Only light core modules are imported here: this file is
 * loaded at activation, and anything reaching client-node's index would load all of it.
 */
import { formatAgo, toMillis } from '../core/cluster/kubeTime';
import type { ContextModel, EventModel, HubModel, PodModel, PodRole, PodTermination } from '../core/cluster/model';
import { formatMemory } from '../core/cluster/quantity';
import { inertText } from '../shared/untrustedText';

/** Cluster text (names, event messages) on one line; controls, bidi and line breaks shown as escapes. */
export function oneLine(text: string, max = 300): string {
  const flat = inertText(text.trim(), 'line');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The pod that is the hub: the Ready one when a rollout runs two. */
export function hubPodOf(hub: HubModel): PodModel | undefined {
  const hubs = hub.pods.filter((p) => p.role === 'hub' && p.status !== 'Terminating');
  return hubs.find((p) => p.ready) ?? hubs[0];
}

export function hubLabel(hub: HubModel): string {
  return oneLine(hub.release === hub.namespace ? hub.namespace : `${hub.namespace} (${hub.release})`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A stop older than this, with the hub back up, is history: the row does not mention it. */
const recentStopMs = 60 * 60_000;

/** Why the hub last stopped, for its row: OOMKilled and the spawn-failure exit must never look alike. */
function hubStop(pod: PodModel, now: number): string | null {
  const t = pod.lastTermination;
  if (!t || t.cause === 'completed') return null;
  const finished = toMillis(t.finishedAt);
  if (pod.ready && (finished === null || now - finished > recentStopMs)) return null;
  if (t.cause === 'oom') return `OOMKilled ×${pod.restarts}`;
  if (t.cause === 'spawn-failures') {
    return `exit ${t.exitCode} after ${t.consecutiveFailures ?? '?'} spawn failures ×${pod.restarts}`;
  }
  return `${t.reason} (exit ${t.exitCode}) ×${pod.restarts}`;
}

/** "150 pending / 64 limit": spawns the hub counts against hub.concurrentSpawnLimit. */
export function spawnPressureText(hub: HubModel): string {
  const { pendingSpawns, concurrentSpawnLimit } = hub.spawnPressure;
  return `${pendingSpawns} pending / ${concurrentSpawnLimit > 0 ? `${concurrentSpawnLimit} limit` : 'no limit'}`;
}

/**
 * `down · OOMKilled ×4 · 5.3.0`, `degraded · 64 pending / 64 limit · 5.3.0`, `ok · 4.1.6`: the health
 * word first, so it survives the default side bar width; the version last.
 */
export function hubDescription(hub: HubModel, now: number, dbPredictsOom = false): string {
  const parts: string[] = [hub.health];
  // Right after the health word: the row is narrow, and this is what decides whether to restart the hub.
  if (dbPredictsOom) parts.push('DB predicts OOM');
  if (hub.health !== 'ok') {
    const pod = hubPodOf(hub);
    const stop = pod ? hubStop(pod, now) : null;
    if (!pod) parts.push('no hub pod');
    else if (stop) parts.push(stop);
    else if (!pod.ready) parts.push(pod.status);
  }
  if (hub.spawnPressure.level !== 'none') parts.push(spawnPressureText(hub));
  parts.push(hub.jupyterhubVersion ?? 'version ?');
  return parts.join(' · ');
}

/** User servers show who they belong to: `li.wei`, `li.wei/gpu` (JupyterHub's own URL shape). */
export function podLabel(pod: PodModel): string {
  if (pod.role === 'user' && pod.user) {
    return oneLine(pod.user.server ? `${pod.user.name}/${pod.user.server}` : pod.user.name, 120);
  }
  return pod.name;
}

/** "OOMKilled (137) 3m12s ago", "5 spawn failures (exit 1) 2m ago", "Error (2) 1h ago". */
export function terminationText(t: PodTermination, now: number): string {
  const what =
    t.cause === 'oom'
      ? `OOMKilled (${t.exitCode})`
      : t.cause === 'spawn-failures'
        ? `${t.consecutiveFailures ?? '?'} spawn failures (exit ${t.exitCode})`
        : `${oneLine(t.reason, 60)} (${t.exitCode})`;
  return `${what} ${formatAgo(t.finishedAt, now)}`;
}

/**
 * `CrashLoopBackOff · OOMKilled (137) 10s ago · 4 restarts · 1.9Gi / 2Gi · 95%`,
 * `Pending · waiting for scale-up 3m12s · jupyter-li-wei---0a5df1f7`.
 */
export function podDescription(pod: PodModel, now: number): string {
  const parts: string[] = [];
  if (pod.phase === 'Pending' && pod.pending) {
    parts.push(pod.status === 'Pending' ? 'Pending' : `Pending (${pod.status})`, oneLine(pod.pending.reason, 160));
  } else {
    parts.push(pod.phase === 'Running' && !pod.ready && pod.status === 'Running' ? 'Running, not ready' : pod.status);
  }
  const t = pod.lastTermination;
  if (t && t.cause !== 'completed') parts.push(terminationText(t, now));
  if (pod.kernelOom) parts.push(kernelOomText(pod.kernelOom, now));
  if (pod.restarts > 0) parts.push(plural(pod.restarts, 'restart'));
  if (pod.phase !== 'Pending' && pod.status !== 'Terminating') parts.push(formatMemory(pod.memory));
  if (pod.role === 'user' && pod.user) parts.push(pod.name);
  return parts.join(' · ');
}

/**
 * A process the kernel killed for memory inside the pod, known only from the node's report (the
 * container itself kept running): "python3 OOM-killed by the kernel ×2 3m ago".
 */
export function kernelOomText(oom: NonNullable<PodModel['kernelOom']>, now: number): string {
  const times = oom.count > 1 ? ` ×${oom.count}` : '';
  const when = oom.time ? ` ${formatAgo(oom.time, now)}` : '';
  return `${oneLine(oom.process, 60)} OOM-killed by the kernel${times}${when}`;
}

/** How bad a pod looks, for sorting (worst first) and for its icon. */
export type PodState = 'oom' | 'crashed' | 'pending' | 'not-ready' | 'terminating' | 'done' | 'ok';

export function podState(pod: PodModel): PodState {
  const t = pod.lastTermination;
  if (pod.status === 'Terminating') return 'terminating';
  if (t?.cause === 'oom' && (!pod.ready || pod.status === 'OOMKilled')) return 'oom';
  if (pod.status === 'CrashLoopBackOff' || pod.status === 'Error' || pod.phase === 'Failed') return 'crashed';
  if (pod.phase === 'Pending') return 'pending';
  if (pod.phase === 'Succeeded') return 'done';
  if (!pod.ready) return 'not-ready';
  if (t?.cause === 'oom' || pod.kernelOom) return 'oom';
  return 'ok';
}

const stateRank: Record<PodState, number> = {
  oom: 0,
  crashed: 1,
  pending: 2,
  'not-ready': 3,
  terminating: 4,
  ok: 5,
  done: 6,
};

/** Worst first, then by label: during a class start the stuck servers are on top. */
export function sortPods(pods: readonly PodModel[]): PodModel[] {
  return [...pods].sort(
    (a, b) => stateRank[podState(a)] - stateRank[podState(b)] || podLabel(a).localeCompare(podLabel(b)),
  );
}

export const groupTitles: Record<PodRole | 'events', string> = {
  hub: 'Hub',
  proxy: 'Proxy',
  user: 'User servers',
  placeholder: 'Placeholders',
  other: 'Other',
  events: 'Events',
};

/** "42 running · 64 pending", "1 CrashLoopBackOff". */
export function podGroupDescription(pods: readonly PodModel[]): string {
  if (pods.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const pod of pods) {
    const word = pod.phase === 'Pending' ? 'pending' : pod.ready ? 'running' : pod.status;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Running, then pending, then the rest as met: the row reads the same whichever pod the API lists first.
  const rank = (word: string) => (word === 'running' ? 0 : word === 'pending' ? 1 : 2);
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([word, n]) => `${n} ${word}`)
    .join(' · ');
}

export function eventsDescription(hub: HubModel): string {
  const warnings = hub.events.filter((e) => e.type === 'Warning').length;
  const older = hub.eventsOmitted ? ` (+${hub.eventsOmitted} older)` : '';
  return `${hub.events.length}${older}${warnings ? ` · ${warnings} warnings` : ''}`;
}

/** "OOMKilling ×4". */
export function eventLabel(event: EventModel): string {
  return `${oneLine(event.reason, 60)}${event.count > 1 ? ` ×${event.count}` : ''}`;
}

/** "10s ago · pod/jupyter-bo: 0/5 nodes are available: …". */
export function eventDescription(event: EventModel, now: number): string {
  const about = `${event.object.kind.toLowerCase()}/${event.object.name}`;
  return `${formatAgo(event.time, now)} · ${oneLine(about, 80)}: ${oneLine(event.message, 200)}`;
}

/** The error row's label, in operator words, by the core's problem code. */
export function problemLabel(code: string): string {
  switch (code) {
    case 'unauthorized':
      return 'Credentials rejected';
    case 'forbidden':
      return 'Not allowed';
    case 'unreachable':
      return 'Cannot reach the cluster';
    case 'timeout':
      return 'The cluster does not answer';
    case 'tls':
      return 'TLS connection failed';
    case 'server-error':
      return 'API server error';
    case 'bad-context':
      return 'Context not usable';
    default:
      return 'Cannot read the cluster';
  }
}

/** Under its context row, `Context "prod": …` says the context twice: drop the prefix. */
export function withoutContext(message: string, context: string): string {
  const prefix = `Context "${context}": `;
  return oneLine(message.startsWith(prefix) ? message.slice(prefix.length) : message, 400);
}

/** A warning row's label: what kind of limit it is. */
export function warningLabel(message: string): string {
  if (/metrics/i.test(message)) return 'Metrics limited';
  if (/\b403\b|not allowed/i.test(message)) return 'Partly not allowed';
  return 'Warning';
}

/** A context that cannot be read, in the few words its collapsed row has room for. */
function contextProblemWords(code: string): string {
  switch (code) {
    case 'unauthorized':
      return 'credentials rejected (401)';
    case 'forbidden':
      return 'not allowed (403)';
    case 'unreachable':
      return 'unreachable';
    case 'timeout':
      return 'not answering';
    case 'tls':
      return 'TLS failed';
    case 'server-error':
      return 'API server error';
    case 'bad-context':
      return 'context not usable';
    default:
      return 'cannot be read';
  }
}

/**
 * The context row's summary, worst first so that it survives a narrow side bar: "1 down · 1 degraded ·
 * 3 hubs", "3 hubs · healthy", "no hubs", "unreachable", "credentials rejected (401)"; "checking…"
 * until the first list is in.
 */
export function contextSummary(model: ContextModel | undefined): string {
  if (!model) return 'checking…';
  if (model.status === 'error') return contextProblemWords(model.error?.code ?? 'unknown');
  if (model.hubs.length === 0) return 'no hubs';
  const down = model.hubs.filter((h) => h.health === 'down').length;
  const degraded = model.hubs.filter((h) => h.health === 'degraded').length;
  if (!down && !degraded) return `${plural(model.hubs.length, 'hub')} · healthy`;
  return [
    ...(down ? [`${down} down`] : []),
    ...(degraded ? [`${degraded} degraded`] : []),
    plural(model.hubs.length, 'hub'),
  ].join(' · ');
}

/** The worst state a context's row stands for, for its icon colour. */
export function contextState(model: ContextModel | undefined): 'error' | 'warning' | 'ok' | 'unknown' {
  if (!model) return 'unknown';
  if (model.status === 'error' || model.hubs.some((h) => h.health === 'down')) return 'error';
  if (model.hubs.some((h) => h.health === 'degraded')) return 'warning';
  return 'ok';
}
