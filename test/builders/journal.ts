/**
 * Incident journals for tests: the two seed incidents as entry lists, written through the real Journal
 * (so collapsing and fsync run as in the extension), and raw JSON Lines for damaged-file cases.
 */
import { Journal, type NewIncident } from '../../src/core/incident/journal';
import type { IncidentMeta, JournalEntry, NewEntry } from '../../src/core/incident/journalEntry';
import type { SnapshotRecord } from '../../src/incident/recordedEntries';

export interface BuiltJournal {
  meta: NewIncident & { startedAt: string };
  entries: NewEntry[];
}

const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** ISO time `minutes` (may be fractional) after `base`. */
export function after(base: string, minutes: number): string {
  return new Date(Date.parse(base) + Math.round(minutes * 60_000)).toISOString();
}

/** A seed incident: its entries in time order, the last the operator stopping it at `stoppedAt`. */
function seedIncident(meta: BuiltJournal['meta'], entries: NewEntry[], stoppedAt: string): BuiltJournal {
  entries.push({ time: stoppedAt, kind: 'incident-stopped', hub: null, source: 'operator', text: 'Incident stopped' });
  entries.sort((a, b) => Date.parse(String(a.time)) - Date.parse(String(b.time)));
  return { meta, entries };
}

/** Writes the journal with the real `Journal` and returns its file; entries go in the given order. */
export function writeJournal(dir: string, built: BuiltJournal): string {
  const created = Journal.create(dir, built.meta);
  if (!created.ok) throw created.error;
  const journal = created.value;
  for (const entry of built.entries) {
    const written = journal.append(entry);
    if (!written.ok) throw written.error;
  }
  return journal.file;
}

/** Raw JSON Lines (header + entries), for tests that damage or hand-craft a file. */
export function journalText(meta: IncidentMeta, entries: Partial<JournalEntry>[]): string {
  return [meta, ...entries].map((line) => JSON.stringify(line)).join('\n') + '\n';
}

export function incidentMeta(overrides: Partial<IncidentMeta> = {}): IncidentMeta {
  return {
    type: 'incident',
    id: 'b7c3f1e2-0000-4000-8000-000000000001',
    title: 'Test incident',
    startedAt: '2026-05-14T17:55:00.000Z',
    hubs: [{ context: 'prod', namespace: 'stress-hub' }],
    ...overrides,
  };
}

const hubPod = 'hub-7c9d8f6b5d-x2kqp';

/**
 * Seed incident 1: after a load test left user stress-test with 1,500 named servers (700 running), a
 * routine Helm upgrade restarted the hub; JupyterHub 5.3.0's start-up query needed ~5 GiB against a
 * 2 GiB limit, so the hub was OOMKilled at every start until the servers were stopped. EDT, 14 May 2026.
 */
export function hubOomAfterStressTest(): BuiltJournal {
  const t0 = '2026-05-14T17:55:00.000Z'; // 13:55 EDT
  const at = (m: number) => after(t0, m);
  const hub = 'stress-hub';
  const kills = [7, 13, 24, 36]; // 14:02, 14:08, 14:19, 14:31
  const starts = [2, 8, 17, 29, 41]; // the hub container (re)starts, then its start-up query grows memory
  const oom = (n: number, m: number): NewEntry => ({
    time: at(m),
    kind: 'pod-oomkilled',
    hub,
    source: 'cluster',
    pod: hubPod,
    container: 'hub',
    component: 'hub',
    exitCode: 137,
    restarts: n,
    text: `Hub pod ${hubPod} OOMKilled (exit code 137), restart ${n}`,
  });
  const memory: NewEntry[] = [];
  for (let m = 0; m <= 50; m += 0.5) {
    const start = [...starts].reverse().find((s) => s <= m);
    if (start === undefined) continue;
    const kill = kills.find((k) => k > start);
    let bytes: number;
    if (kill === undefined)
      bytes = 350 * MiB; // after the fix: a normal hub
    else if (m < kill) bytes = Math.round((300 + ((2048 - 300) * (m - start)) / (kill - start)) * MiB);
    else continue; // the container is down between a kill and the next start
    memory.push({
      time: at(m),
      kind: 'hub-memory',
      hub,
      source: 'cluster',
      pod: hubPod,
      bytes,
      limitBytes: 2 * GiB,
      text: '',
    });
  }
  const entries: NewEntry[] = [
    {
      time: at(1),
      kind: 'note',
      hub,
      source: 'operator',
      text: 'Helm upgrade (login page text) restarted the hub; user stress-test ran a load test this morning',
    },
    oom(1, kills[0]!),
    {
      time: at(7.5),
      kind: 'backoff',
      hub,
      source: 'cluster',
      pod: hubPod,
      container: 'hub',
      component: 'hub',
      message: `Back-off restarting failed container hub in pod ${hubPod}`,
      text: `Back-off restarting failed container hub in pod ${hubPod}`,
    },
    oom(2, kills[1]!),
    { time: at(14), kind: 'note', hub, source: 'operator', text: "Hub crash-looping; users get 'Service Unavailable'" },
    {
      time: at(15),
      kind: 'db-snapshot',
      hub,
      source: 'tool',
      file: 'stress-hub-2026-05-14T1810Z.sqlite',
      bytes: 1_490_944,
      users: 199,
      spawners: 1746,
      running: 736,
      text: 'Hub DB snapshot: 199 users, 1,746 servers, 736 running',
    },
    {
      time: at(16),
      kind: 'db-analysis',
      hub,
      source: 'analyzer',
      verdict: 'oom',
      jupyterhubVersion: '5.3.0',
      chartVersion: '4.2.0',
      limitBytes: 2 * GiB,
      table: [
        { version: '4.1.6', rows: 736, peakBytes: 0, seconds: 0.7 },
        { version: '5.3.0', rows: 1_050_051, peakBytes: 5190 * MiB, seconds: 55.1 },
        { version: '5.4.0', rows: 736, peakBytes: 0, seconds: 0.225 },
        { version: '5.4.3', rows: 736, peakBytes: 2 * MiB, seconds: 0.447 },
      ],
      offenders: [
        { user: 'stress-test', namedServers: 1500, running: 700 },
        { user: 'alice', namedServers: 4, running: 1 },
      ],
      remediation: ['Upgrade to JupyterHub 5.4.3 (z2jh 4.3.2) or later', "Stop stress-test's unused named servers"],
      text: 'Hub DB analysis: JupyterHub 5.3.0 start-up query would fetch 1,050,051 rows ≈ 5.1 GiB; verdict oom',
    },
    oom(3, kills[2]!),
    oom(4, kills[3]!),
    {
      time: at(38),
      kind: 'note',
      hub,
      source: 'operator',
      tag: 'resolution',
      text: "Stopped stress-test's 700 running named servers and deleted 1,400 of them with the REST API",
    },
    // A kind this code does not know, from another tool: kept and shown generically.
    { time: at(41.5), kind: 'pod-ready', hub, source: 'tool', pod: hubPod, text: `Hub pod ${hubPod} Ready` },
    {
      time: at(45),
      kind: 'note',
      hub,
      source: 'operator',
      tag: 'resolution',
      text: 'Hub started in 40 s and stayed up',
    },
    ...memory,
  ];
  return seedIncident(
    {
      title: 'stress-hub OOMKilled at start-up',
      hubs: [{ context: 'prod', namespace: hub }],
      severity: 'major',
      startedAt: t0,
    },
    entries,
    at(50),
  );
}

/**
 * Seed incident 2: a class of 150 starts at 09:00; 64 spawns run at once (the concurrent spawn limit),
 * the rest get HTTP 429; the user pool is full, so pods wait in FailedScheduling until the autoscaler's
 * new nodes arrive ~10 minutes later; throttled students retry at 09:13. EDT, 8 September 2026.
 */
export function classStartSpawnStorm(): BuiltJournal {
  const t0 = '2026-09-08T12:58:00.000Z'; // 08:58 EDT
  const nine = '2026-09-08T13:00:00.000Z';
  const at = (m: number) => after(nine, m);
  const hub = 'ds100';
  const student = (i: number) => `jupyter-student-${String(i).padStart(3, '0')}`;
  /** The fields every entry of this incident starts with, in the journal's order. */
  const entry = <K extends NewEntry['kind'], S extends NewEntry['source']>(minutes: number, kind: K, source: S) => ({
    time: at(minutes),
    kind,
    hub,
    source,
  });
  const podPending = (i: number, minutes: number): NewEntry => ({
    ...entry(minutes, 'pod-pending', 'cluster'),
    pod: student(i),
    component: 'singleuser-server',
    text: `Pod ${student(i)} Pending`,
  });
  const podScheduled = (i: number, minutes: number): NewEntry => ({
    ...entry(minutes, 'pod-scheduled', 'cluster'),
    pod: student(i),
    node: `user-pool-${5 + (i % 5)}`,
    text: `Pod ${student(i)} scheduled`,
  });
  const spawnPressure = (minutes: number, pending: number): NewEntry => ({
    ...entry(minutes, 'spawn-pressure', 'tool'),
    pending,
    limit: 64,
    text: `${pending} spawns pending (limit 64)`,
  });
  const scaleUp = (minutes: number, i: number, groups: string): NewEntry => ({
    ...entry(minutes, 'scale-up', 'cluster'),
    pod: student(i),
    message: `pod triggered scale-up: [${groups}]`,
    text: `TriggeredScaleUp: pod triggered scale-up: [${groups}]`,
  });
  const throttled = (minutes: number, count: number): NewEntry => ({
    ...entry(minutes, 'spawn-throttled', 'tool'),
    count,
    status: 'throttled',
    text: `${count} spawn requests throttled (HTTP 429)`,
  });
  const entries: NewEntry[] = [
    { time: t0, kind: 'note', hub, source: 'operator', text: 'DS100 lab starts at 09:00; 150 students expected' },
  ];
  for (let i = 1; i <= 64; i++) {
    entries.push(podPending(i, i * 0.0125));
    entries.push({
      time: at(0.05 + i * 0.0125),
      kind: 'failed-scheduling',
      hub,
      source: 'cluster',
      pod: student(i),
      message:
        '0/5 nodes are available: 5 Insufficient memory. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.',
      text: `FailedScheduling ${student(i)}: 0/5 nodes are available: 5 Insufficient memory.`,
    });
  }
  entries.push(
    spawnPressure(0.33, 30),
    spawnPressure(0.67, 64),
    scaleUp(0.5, 1, '{user-pool 5->9 (max: 20)}'),
    scaleUp(1, 40, '{user-pool 9->10 (max: 20)}'),
    throttled(0.75, 40),
    throttled(1.25, 30),
    throttled(1.75, 16),
  );
  for (let i = 1; i <= 64; i++) entries.push(podScheduled(i, 10.5 + i * 0.01));
  for (let i = 65; i <= 150; i++) {
    entries.push(podPending(i, 13 + (i - 65) * 0.01));
    entries.push(podScheduled(i, 13.2 + (i - 65) * 0.01));
  }
  entries.push(
    {
      time: at(20),
      kind: 'note',
      hub,
      source: 'operator',
      tag: 'resolution',
      text: 'All 150 students running; raised hub.concurrentSpawnLimit to 200 for the next lab',
    },
    {
      time: at(22),
      kind: 'note',
      hub,
      source: 'operator',
      tag: 'learned',
      text: 'The lab schedule was not shared with the ops team',
    },
  );
  return seedIncident(
    {
      title: 'DS100 class start: spawns throttled and pending',
      hubs: [{ context: 'campus-prod', namespace: hub }],
      startedAt: t0,
    },
    entries,
    at(30),
  );
}

/** stress-hub's hub DB snapshot (the OOM incident's) as the snapshot feature hands it to the recorder. */
export function stressHubSnapshot(file: string): SnapshotRecord {
  return {
    file,
    context: 'prod',
    namespace: 'stress-hub',
    pod: 'hub-7c9d8f6b5d-x2kqp',
    takenAt: '2026-05-14T18:15:00.000Z',
    bytes: 1_490_944,
    users: 199,
    running: 736,
  };
}
