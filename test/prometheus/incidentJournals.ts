/**
 * The journal an operator would have recorded for the OOM night (histories.ts `incidentNight`): recording
 * started at 05:00 UTC, four hours into the loop; the watcher journaled the hub's OOM kills from then on
 * (times and restart counts from the same scenario steps, with the fact key the watcher writes), the
 * operator raised the limit at 05:40 and stopped the incident at 05:55.
 */
import { factKey } from '../../src/core/incident/factKey';
import { Journal } from '../../src/core/incident/journal';
import { hubPod } from '../k8s-server/objects';
import { incidentNight, oomNightSteps } from './histories';

export const oomNightStartedAt = new Date(incidentNight.start.getTime() + 4 * 3600_000).toISOString();

export function writeOomNightJournal(dir: string): string {
  const created = Journal.create(dir, {
    title: 'hub-physics OOMKilled at start-up',
    hubs: [{ context: 'prod', namespace: 'hub-physics' }],
    startedAt: oomNightStartedAt,
    severity: 'major',
  });
  if (!created.ok) throw created.error;
  const journal = created.value;
  const pod = hubPod({ namespace: 'hub-physics', chart: '4.2.0', node: 'n' }).metadata.name;
  const kills = oomNightSteps()
    .map((s) => ({ ms: incidentNight.start.getTime() + s.atMs, restarts: /\(restart (\d+)\)$/.exec(s.label)?.[1] }))
    .filter((k): k is { ms: number; restarts: string } => k.restarts !== undefined);
  for (const k of kills) {
    if (k.ms < Date.parse(oomNightStartedAt)) continue;
    const restarts = Number(k.restarts);
    const written = journal.append({
      kind: 'pod-oomkilled',
      time: new Date(k.ms).toISOString(),
      hub: 'hub-physics',
      source: 'cluster',
      context: 'prod',
      pod,
      container: 'hub',
      component: 'hub',
      exitCode: 137,
      restarts,
      text: `${pod} OOMKilled (container hub, exit 137, ${restarts} restarts)`,
      fact: factKey({ kind: 'pod-oomkilled', hub: 'hub-physics', pod, container: 'hub', restarts }),
    });
    if (!written.ok) throw written.error;
  }
  const note = journal.append({
    kind: 'note',
    time: new Date(Date.parse(oomNightStartedAt) + 40 * 60_000).toISOString(),
    source: 'operator',
    tag: 'resolution',
    text: 'Raised the hub memory limit to 4Gi (helm upgrade)',
  });
  if (!note.ok) throw note.error;
  const stopped = journal.stop('Hub up again', new Date(Date.parse(oomNightStartedAt) + 55 * 60_000));
  if (!stopped.ok) throw stopped.error;
  return journal.file;
}
