/** A hub's `/hub/metrics` (Prometheus text format), reduced to the spawn counters the model uses. */
export interface HubMetricsReading {
  readAt: string;
  throttled: number;
  failures: number;
  tooManyUsers: number;
  runningServers: number | null;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus exposition text; malformed lines are skipped, not fatal. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(labelPair)) {
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

const spawnCount = 'jupyterhub_server_spawn_duration_seconds_count';
const notFailures = new Set(['throttled', 'too-many-users', 'already-pending']);

/**
 * Spawn counters since the hub started. JupyterHub 5.x labels spawns `{status}` (success, failure,
 * already-pending, throttled, too-many-users); 6.0 uses `{status: success|failure|error, reason}`.
 * Returns null when the text has no JupyterHub spawn metrics at all (not a hub, or metrics disabled).
 */
export function summarizeHubMetrics(text: string, readAt: Date): HubMetricsReading | null {
  const samples = parsePrometheusText(text);
  const spawns = samples.filter((s) => s.name === spawnCount);
  const running = samples.find((s) => s.name === 'jupyterhub_running_servers');
  if (spawns.length === 0 && !running) return null;
  const sum = (pick: (s: Sample) => boolean) => spawns.filter(pick).reduce((total, s) => total + s.value, 0);
  const tag = (s: Sample) => s.labels.reason ?? s.labels.status ?? '';
  return {
    readAt: readAt.toISOString(),
    throttled: sum((s) => tag(s) === 'throttled' || s.labels.status === 'throttled'),
    tooManyUsers: sum((s) => tag(s) === 'too-many-users' || s.labels.status === 'too-many-users'),
    failures: sum((s) => (s.labels.status === 'failure' || s.labels.status === 'error') && !notFailures.has(tag(s))),
    runningServers: running ? running.value : null,
  };
}
