import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Observation } from '../../../src/core/cluster/observations';
import { isKind } from '../../../src/core/incident/journalEntry';
import { replay } from '../../../src/core/incident/journalReplay';
import { JournalRecorder } from '../../../src/incident/incidentRecorder';
import { IncidentStore, type CurrentMemo, type IncidentChange } from '../../../src/incident/incidentStore';
import { stressHubSnapshot } from '../../builders/journal';
import { useTempDir } from '../../harness/tempDir';
import { analyzeCalibrationDb } from '../hubdb/hubDbTestKit';

/** globalState's part in the store: a value that outlives the store object, as it outlives a reload. */
function memo(): CurrentMemo & { value: string | undefined } {
  const m = {
    value: undefined as string | undefined,
    get: () => m.value,
    set: (file: string | undefined) => {
      m.value = file;
    },
  };
  return m;
}

const hubPodOom = (restarts: number, finishedAt: string): Observation => ({
  kind: 'pod-oomkilled',
  time: finishedAt,
  context: 'prod',
  hub: 'stress-hub',
  release: 'stress-hub',
  text: `hub-7c9d8f6b5d-x2kqp OOMKilled (container hub, exit 137, ${restarts} restarts)`,
  key: `uid-hub/hub/${finishedAt}`,
  pod: 'hub-7c9d8f6b5d-x2kqp',
  component: 'hub',
  container: 'hub',
  exitCode: 137,
  restarts,
});

const failedScheduling = (count: number, time: string, hub = 'stress-hub', context = 'prod'): Observation => ({
  kind: 'failed-scheduling',
  time,
  context,
  hub,
  release: hub,
  text: 'FailedScheduling pod/jupyter-ada: 0/5 nodes are available: 5 Insufficient memory.',
  key: `event/${hub}/jupyter-ada.17a2`,
  count,
  reason: 'FailedScheduling',
  message: '0/5 nodes are available: 5 Insufficient memory.',
  pod: 'jupyter-ada',
});

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('incident store and recorder (the API other features call)', () => {
  const dir = useTempDir('incident-recorder-');
  const t0 = '2026-05-14T17:55:00.000Z';
  let clock = Date.parse(t0);
  const now = () => new Date(clock);

  beforeEach(() => {
    clock = Date.parse(t0);
  });

  it('records nothing while no incident is current or after it stopped', () => {
    const store = new IncidentStore(dir(), memo(), { now });
    const recorder = new JournalRecorder(store);
    assert.equal(recorder.recording, false);
    assert.deepEqual(recorder.recordObservation(hubPodOom(1, t0)), { ok: true, value: null });
    const started = store.start({ title: 'Hub OOM', hubs: [{ context: 'prod', namespace: 'stress-hub' }] });
    assert.ok(started.ok);
    assert.ok(store.stop().ok);
    assert.equal(recorder.recording, false);
    assert.deepEqual(recorder.recordObservation(hubPodOom(1, t0)), { ok: true, value: null });
    assert.deepEqual(
      lines(started.value.file).map((l) => l.kind ?? l.type),
      ['incident', 'incident-stopped'],
    );
  });

  it('journals observations of the incident’s hubs (and node events of its contexts), not of other hubs', () => {
    const store = new IncidentStore(dir(), memo(), { now });
    const recorder = new JournalRecorder(store);
    const started = store.start({ title: 'Hub OOM', hubs: [{ context: 'prod', namespace: 'stress-hub' }] });
    assert.ok(started.ok);
    const written = recorder.recordObservation(hubPodOom(1, '2026-05-14T18:02:00Z'));
    assert.ok(written.ok && written.value);
    assert.equal(written.value.kind, 'pod-oomkilled');
    assert.equal(written.value.source, 'cluster');
    assert.equal(written.value.hub, 'stress-hub');
    assert.equal(written.value.context, 'prod');
    assert.equal(written.value.observationKey, 'prod/uid-hub/hub/2026-05-14T18:02:00Z');
    assert.equal(written.value.key, undefined, 'the watcher’s bookkeeping key is not copied as is');
    assert.ok(isKind(written.value, 'pod-oomkilled'));

    const otherHub = recorder.recordObservation(failedScheduling(1, '2026-05-14T18:03:00Z', 'other-hub'));
    const otherContext = recorder.recordObservation(
      failedScheduling(1, '2026-05-14T18:03:00Z', 'stress-hub', 'staging'),
    );
    assert.deepEqual(
      [otherHub, otherContext],
      [
        { ok: true, value: null },
        { ok: true, value: null },
      ],
    );
    const node: Observation = {
      kind: 'node-oom',
      time: '2026-05-14T18:04:00Z',
      context: 'prod',
      hub: null,
      text: 'OOMKilling node/user-pool-1: Killed process 4242 (python3)',
      key: 'event/default/user-pool-1.oom',
      count: 1,
      node: 'user-pool-1',
    };
    const nodeWritten = recorder.recordObservation(node);
    assert.ok(nodeWritten.ok && nodeWritten.value);
    assert.equal(nodeWritten.value.hub, null);
  });

  it('turns an event’s running count into the growth since last time, and skips repeats, also after a reload', () => {
    const remembered = memo();
    const store = new IncidentStore(dir(), remembered, { now });
    const recorder = new JournalRecorder(store);
    assert.ok(store.start({ title: 'Class start', hubs: [{ context: 'prod', namespace: 'stress-hub' }] }).ok);
    const first = recorder.recordObservation(failedScheduling(3, '2026-05-14T18:00:00Z'));
    assert.ok(first.ok && first.value);
    assert.equal(first.value.count, 3);
    assert.equal(first.value.eventCount, 3);
    assert.deepEqual(recorder.recordObservation(failedScheduling(3, '2026-05-14T18:00:00Z')), {
      ok: true,
      value: null,
    });
    const grown = recorder.recordObservation(failedScheduling(7, '2026-05-14T18:00:30Z'));
    assert.ok(grown.ok && grown.value);
    // The burst line now stands for 3 + 4 observations.
    assert.equal(grown.value.count, 7);
    assert.equal(grown.value.eventCount, 7);

    // A reload: the store object is gone, the remembered file is reopened, the watcher's first look
    // reports the same event (and the OOM kill it saw before) again.
    const reopened = new IncidentStore(dir(), remembered, { now });
    const restored = reopened.restore();
    assert.ok(restored.ok && restored.value);
    const again = new JournalRecorder(reopened);
    assert.deepEqual(again.recordObservation(failedScheduling(7, '2026-05-14T18:00:30Z')), { ok: true, value: null });
    const more = again.recordObservation(failedScheduling(9, '2026-05-14T18:01:00Z'));
    assert.ok(more.ok && more.value);
    assert.equal(more.value.count, 9, 'the burst continues across the reload: 3 + 4 + 2');
    const replayed = replay(restored.value.file);
    assert.ok(replayed.ok);
    assert.deepEqual(
      replayed.value.entries.map((e) => [e.kind, e.count]),
      [['failed-scheduling', 9]],
    );
  });

  it('journals the analyzer’s result with its per-version table, the users behind it and the fix', async () => {
    const store = new IncidentStore(dir(), memo(), { now });
    const recorder = new JournalRecorder(store);
    assert.ok(store.start({ title: 'Hub OOM', hubs: [{ context: 'prod', namespace: 'stress-hub' }] }).ok);
    const analysis = await analyzeCalibrationDb({ stressServers: 1000, stressRunning: 500 });
    assert.deepEqual(
      recorder.recordAnalysis(analysis, { namespace: 'other-hub', context: 'prod', jupyterhubVersion: '5.3.0' }),
      { ok: true, value: null },
    );
    const written = recorder.recordAnalysis(analysis, {
      namespace: 'stress-hub',
      context: 'prod',
      jupyterhubVersion: '5.3.0',
      time: '2026-05-14T18:20:00Z',
    });
    assert.ok(written.ok && written.value);
    const entry = written.value;
    assert.ok(isKind(entry, 'db-analysis'), 'the entry passes the core’s own checks');
    assert.equal(entry.verdict, 'oom');
    assert.equal(entry.jupyterhubVersion, '5.3.0');
    assert.equal(entry.limitBytes, 2 * 2 ** 30);
    const running = entry.table!.find((r) => r.version === '5.3.0');
    assert.ok(running, 'the row of the version the hub runs carries that version');
    assert.equal(running.rows, analysis.counts.sumRunningTimesSpawners);
    assert.ok(entry.table!.some((r) => r.version === '5.4.3-5.5.x' && r.rows === analysis.counts.running));
    assert.equal(entry.offenders![0]!.user, 'stress-user');
    assert.equal(entry.offenders![0]!.namedServers, 1000);
    assert.ok(entry.remediation!.length > 0);
    assert.match(entry.text, /^Hub DB analysis: OOM: JupyterHub 5\.0\.0-5\.3\.0/);

    // One analysis per snapshot: a repeat writes nothing, in this recorder or in one opened after a reload.
    const target = { namespace: 'stress-hub', context: 'prod', snapshot: '/tmp/snapshots/a.sqlite' };
    const first = recorder.recordAnalysis(analysis, target);
    assert.ok(first.ok && first.value?.snapshot === target.snapshot);
    assert.deepEqual(recorder.recordAnalysis(analysis, target), { ok: true, value: null });
    assert.deepEqual(new JournalRecorder(store).recordAnalysis(analysis, target), { ok: true, value: null });
    const other = recorder.recordAnalysis(analysis, { ...target, snapshot: '/tmp/snapshots/b.sqlite' });
    assert.ok(other.ok && other.value);
  });

  it('journals a snapshot as the snapshot feature describes it', () => {
    const store = new IncidentStore(dir(), memo(), { now });
    const recorder = new JournalRecorder(store);
    assert.ok(store.start({ title: 'Hub OOM', hubs: [{ context: 'prod', namespace: 'stress-hub' }] }).ok);
    const written = recorder.recordSnapshot(
      stressHubSnapshot('/tmp/snapshots/prod_stress-hub_2026-05-14T18-15-00Z.sqlite'),
    );
    assert.ok(written.ok && written.value);
    assert.ok(isKind(written.value, 'db-snapshot'));
    assert.equal(written.value.time, '2026-05-14T18:15:00.000Z');
    assert.equal(written.value.text, 'Hub DB snapshot taken from hub-7c9d8f6b5d-x2kqp (1.4Mi): 199 users, 736 running');
  });

  it('keeps the current incident across a reload, forgets a file that has gone, and tells listeners', () => {
    const remembered = memo();
    const store = new IncidentStore(dir(), remembered, { now });
    const changes: IncidentChange['kind'][] = [];
    store.onDidChange((c) => changes.push(c.kind));
    const first = store.start({ title: 'First', hubs: [] });
    assert.ok(first.ok);
    clock += 60_000;
    const second = store.start({ title: 'Second', hubs: [] });
    assert.ok(second.ok);
    assert.equal(remembered.value, second.value.file);
    assert.ok(store.append({ kind: 'note', text: 'one', source: 'operator' }).ok);
    assert.deepEqual(
      store.list().incidents.map((i) => i.incident.title),
      ['Second', 'First'],
    );
    const switched = store.switchTo(first.value.file);
    assert.ok(switched.ok);
    assert.equal(remembered.value, first.value.file);
    // A new incident is `switched` to, then `started` (the Prometheus feature backfills it).
    assert.deepEqual(changes, ['switched', 'started', 'switched', 'started', 'appended', 'switched']);

    store.close();
    assert.equal(store.current, undefined);
    const restored = store.restore();
    assert.ok(restored.ok && restored.value);
    assert.equal(restored.value.incident.title, 'First');

    remembered.value = `${dir()}/gone.jsonl`;
    const gone = new IncidentStore(dir(), remembered, { now }).restore();
    assert.ok(!gone.ok);
    assert.equal(gone.error.code, 'journal-unreadable');
    assert.equal(remembered.value, undefined, 'a journal that cannot be reopened is forgotten');
  });

  it('edits, hides and deletes entries through the store, and refuses work without an incident', () => {
    const store = new IncidentStore(dir(), memo(), { now });
    const none = store.append({ kind: 'note', text: 'x' });
    assert.ok(!none.ok);
    assert.equal(none.error.code, 'incident-none');
    assert.ok(!store.start({ title: '   ', hubs: [] }).ok);
    const started = store.start({ title: 'Edits', hubs: [] });
    assert.ok(started.ok);
    const a = store.append({ kind: 'note', text: 'first', source: 'operator' });
    const b = store.append({ kind: 'note', text: 'second', source: 'operator' });
    const c = store.append({ kind: 'note', text: 'third', source: 'operator' });
    assert.ok(a.ok && b.ok && c.ok);
    assert.ok(store.edit(a.value.id, 'first, reworded').ok);
    assert.ok(store.hide(b.value.id).ok);
    assert.ok(store.delete(c.value.id).ok);
    assert.ok(!store.edit('no-such-id', 'x').ok);
    const replayed = store.replayCurrent();
    assert.ok(replayed?.ok);
    assert.deepEqual(
      replayed.value.entries.map((e) => e.text),
      ['first, reworded'],
    );
    assert.deepEqual(
      replayed.value.hidden.map((e) => e.text),
      ['second'],
    );
  });
});
