import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { Observation } from '../../../src/core/cluster/observations';
import { Journal } from '../../../src/core/incident/journal';
import { JournalRecorder } from '../../../src/incident/incidentRecorder';
import { IncidentStore } from '../../../src/incident/incidentStore';
import { classStartSpawnStorm, hubOomAfterStressTest, stressHubSnapshot, writeJournal } from '../../builders/journal';
import { useTempDir } from '../../harness/tempDir';
import { analyzeCalibrationDb } from '../hubdb/hubDbTestKit';
import { evaluateReadiness, readReadinessInputs } from '../../../src/core/readiness';
import { useTestServer } from '../../k8s-server';
import { findScenario, Timeline } from '../../k8s-server/scenarios';

const schemaFile = join(__dirname, '../../../docs/incident-journal.schema.json');

/** The journal format, written down (docs/incident-journal.schema.json), against what the writers write. */
describe('the incident journal JSON Schema', () => {
  const dir = useTempDir();
  // Strict about unknown keywords (a typo would silently check nothing); JSON Schema's own typing rules for the rest.
  const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictTypes: false });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));

  /** Every line of `file` that the schema refuses, with why. */
  function refused(file: string): string[] {
    const problems: string[] = [];
    readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .forEach((line, i) => {
        if (!validate(JSON.parse(line)))
          problems.push(`line ${i + 1}: ${ajv.errorsText(validate.errors)}\n  ${line.slice(0, 300)}`);
      });
    return problems;
  }
  const lineCount = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').length;

  it('accepts every line the Journal writes: the seed incidents, bursts, edits, hides, deletes and the stop', () => {
    let written = '';
    for (const built of [hubOomAfterStressTest(), classStartSpawnStorm()]) {
      const file = writeJournal(dir(), built);
      const reopened = Journal.open(file);
      assert.ok(reopened.ok);
      const { journal, replayed } = reopened.value;
      const [first, second, third] = replayed.entries;
      assert.ok(journal.edit(first!.id, 'edited $text$ with <html>').ok);
      assert.ok(journal.hide(second!.id).ok);
      assert.ok(journal.hide(second!.id, false).ok);
      assert.ok(journal.delete(third!.id).ok);
      assert.ok(journal.append({ kind: 'note', text: 'x'.repeat(100_000), source: 'operator' }).ok, 'a cut text');
      if (!journal.isStopped) assert.ok(journal.stop().ok);
      assert.deepEqual(refused(file), []);
      assert.ok(lineCount(file) > 50);
      written += readFileSync(file, 'utf8');
    }
    assert.match(written, /"supersedes":/, 'bursts were collapsed');
    assert.match(written, /"textCut":100000/);
  });

  it('accepts what the extension’s recorder writes: cluster observations, a snapshot and an analysis', async () => {
    let clock = Date.parse('2026-05-14T17:55:00.000Z');
    const store = new IncidentStore(
      dir(),
      { get: () => undefined, set: () => undefined },
      { now: () => new Date(clock) },
    );
    const recorder = new JournalRecorder(store);
    const started = store.start({ title: 'Hub OOM', hubs: [{ context: 'prod', namespace: 'stress-hub' }] });
    assert.ok(started.ok);
    const base = { context: 'prod', hub: 'stress-hub', release: 'stress-hub' };
    const observations: Observation[] = [
      {
        ...base,
        kind: 'pod-oomkilled',
        time: '2026-05-14T18:02:00Z',
        text: 'hub OOMKilled',
        key: 'uid/hub/1',
        pod: 'hub-7c9d8f6b5d-x2kqp',
        component: 'hub',
        exitCode: 137,
        restarts: 1,
      },
      ...[1, 3, 7].map((count, i): Observation => ({
        ...base,
        kind: 'failed-scheduling',
        time: `2026-05-14T18:0${3 + i}:00Z`,
        text: 'FailedScheduling pod/jupyter-ada: 0/5 nodes are available',
        key: 'event/stress-hub/jupyter-ada.17a2',
        count,
        message: '0/5 nodes are available: 5 Insufficient memory.',
        pod: 'jupyter-ada',
      })),
      {
        ...base,
        kind: 'hub-memory',
        time: '2026-05-14T18:06:00Z',
        text: '',
        key: 'mem',
        bytes: 2 ** 30,
        limitBytes: 2 ** 31,
      },
      {
        ...base,
        kind: 'spawn-pressure',
        time: '2026-05-14T18:07:00Z',
        text: '64 pending',
        key: 'sp',
        pending: 64,
        limit: 64,
      },
    ];
    for (const observation of observations) {
      clock = Date.parse(observation.time);
      assert.ok(recorder.recordObservation(observation).ok);
    }
    assert.ok(recorder.recordSnapshot(stressHubSnapshot('/tmp/snapshots/prod_stress-hub.sqlite')).ok);
    const analysis = await analyzeCalibrationDb({ stressServers: 300, stressRunning: 150 });
    const recorded = recorder.recordAnalysis(analysis, {
      namespace: 'stress-hub',
      context: 'prod',
      jupyterhubVersion: '5.3.0',
      time: '2026-05-14T18:20:00Z',
    });
    assert.ok(recorded.ok && recorded.value?.kind === 'db-analysis');
    assert.ok(store.stop().ok);
    const file = started.value.file;
    assert.deepEqual(refused(file), []);
    const kinds = new Set(readFileSync(file, 'utf8').match(/"kind":"[^"]+"/g));
    for (const kind of [
      'pod-oomkilled',
      'failed-scheduling',
      'hub-memory',
      'spawn-pressure',
      'db-snapshot',
      'db-analysis',
    ])
      assert.ok(kinds.has(`"kind":"${kind}"`), kind);
  });

  describe('a readiness check', () => {
    const server = useTestServer();

    it('accepts the readiness-check entry the recorder writes for the class-start hub', async () => {
      new Timeline(server(), findScenario('class-start')!.steps()).advanceTo(45_000);
      const inputs = await readReadinessInputs(server().kubeConfig(), {
        context: 'hubops-test',
        namespace: 'hub-classroom',
      });
      assert.ok(inputs.ok);
      const report = evaluateReadiness(inputs.value, { attendees: 150, arrivalMinutes: 0 });
      const store = new IncidentStore(dir(), { get: () => undefined, set: () => undefined });
      const started = store.start({
        title: 'Class start',
        hubs: [{ context: 'hubops-test', namespace: 'hub-classroom' }],
      });
      assert.ok(started.ok);
      const recorded = new JournalRecorder(store).recordReadiness(report, 'figures');
      assert.ok(recorded.ok && recorded.value?.kind === 'readiness-check');
      assert.equal(recorded.value.lastServerMinutes, null, '30 of 150 never get a server');
      assert.ok(store.stop().ok);
      assert.deepEqual(refused(started.value.file), []);
      assert.match(
        readFileSync(started.value.file, 'utf8'),
        /"kind":"readiness-check".*"afterChanges":\{"lastServerMinutes":0\.5,/,
      );
      const entry = { id: 'a', time: '2026-05-14T18:02:00Z', hub: 'h', text: 'x', source: 'tool' };
      const figures = {
        attendees: 5,
        arrivalMinutes: 0,
        lastServerMinutes: 1,
        usersSeeing429: 0,
        peakWaitingForNode: 0,
        served: 5,
      };
      assert.ok(validate({ ...entry, kind: 'readiness-check', verdict: 'ok', ...figures }));
      assert.equal(validate({ ...entry, kind: 'readiness-check', verdict: 'maybe', ...figures }), false);
      assert.equal(
        validate({ ...entry, kind: 'readiness-check', verdict: 'ok', ...figures, usersSeeing429: -1 }),
        false,
      );
      assert.equal(validate({ ...entry, kind: 'readiness-check', verdict: 'ok' }), false, 'without its figures');
    });
  });

  it('refuses lines that break the format, so the test above can fail', () => {
    const entry = { id: 'a', time: '2026-05-14T18:02:00Z', kind: 'note', hub: null, text: 'x', source: 'operator' };
    assert.ok(validate(entry));
    const header = { type: 'incident', id: 'i', title: 't', startedAt: '2026-05-14T18:00:00Z', hubs: [] };
    assert.ok(validate(header));
    for (const bad of [
      { ...entry, time: '12' },
      { ...entry, time: '2026-05-14T18:02:00' }, // a writer gives the zone
      { ...entry, id: '' },
      { ...entry, source: 'someone' },
      { ...entry, kind: 'pod-oomkilled' }, // without its pod
      { ...entry, kind: 'hub-memory', bytes: -1 },
      { ...entry, kind: 'entry-edited' }, // without its target
      { ...entry, kind: 'db-analysis', verdict: 'maybe' },
      { ...entry, text: 'x'.repeat(70_000) },
      { ...header, startedAt: 'yesterday' },
      { ...header, hubs: [{ context: 'prod' }] },
      { ...header, ...entry },
    ])
      assert.equal(validate(bad), false, JSON.stringify(bad).slice(0, 120));
  });
});
