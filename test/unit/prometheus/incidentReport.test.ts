import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { Journal } from '../../../src/core/incident/journal';
import { replay } from '../../../src/core/incident/journalReplay';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { backfillIncident } from '../../../src/core/prometheus/backfill';
import { incidentFromPrometheus } from '../../../src/core/prometheus/incidentReport';
import { connectUrl } from '../../../src/core/prometheus/source';
import { oomNightStartedAt, writeOomNightJournal } from '../../prometheus/incidentJournals';
import { usePrometheusHistories } from '../../prometheus/usePrometheusHistories';
import { useTempDir } from '../../harness/tempDir';

/** The flow the report panel runs: backfill on start, then draft with the charts and the replay. */
describe('prometheus: an incident started four hours into the OOM loop', () => {
  const histories = usePrometheusHistories();
  const dir = useTempDir('hubops-incident-');

  it('backfills the journal so the drafted timeline begins at the first OOM kill, with charts and the replay', async () => {
    const found = await connectUrl(histories().prometheus.url);
    assert.ok(found.ok);
    const file = writeOomNightJournal(dir());
    const opened = Journal.open(file);
    assert.ok(opened.ok);
    const { journal, replayed } = opened.value;
    const backfilled = await backfillIncident(found.value.client, journal, [...replayed.entries, ...replayed.hidden], {
      now: Date.parse(oomNightStartedAt),
    });
    assert.ok(backfilled.ok, backfilled.ok ? '' : String(backfilled.error));
    assert.ok(backfilled.value.written > 40);

    // Every line written, the backfilled ones included, is the journal format as documented.
    const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictTypes: false });
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(__dirname, '../../../docs/incident-journal.schema.json'), 'utf8')),
    );
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const refused = lines
      .filter((l) => !validate(JSON.parse(l)))
      .map((l) => `${ajv.errorsText(validate.errors)}: ${l.slice(0, 200)}`);
    assert.deepEqual(refused, []);
    assert.ok(lines.some((l) => l.includes('"source":"prometheus"') && l.includes('"resolution":"1m"')));

    const after = replay(file);
    assert.ok(after.ok);
    const draft = draftReport(after.value, { timezone: 'UTC', now: new Date() });
    const rows = draft.sections.timeline.split('\n').filter((l) => /^\| \d\d:\d\d/.test(l));
    assert.equal(rows[0], '| 01:01 | hub-736544445-fr5mw OOMKilled (container hub, exit 137, 1 restarts) |');
    assert.match(draft.sections.summary, /the hub was OOMKilled 48 times between 01:01 and 05:39 UTC/);

    const extras = await incidentFromPrometheus(found.value.client, after.value, { timezone: 'UTC' });
    assert.ok(extras.ok, extras.ok ? '' : extras.error.message);
    assert.deepEqual(
      extras.value.charts.map((c) => c.chart),
      ['memory', 'spawns', 'pending', 'nodes'],
    );
    const memory = extras.value.charts[0]!.svg;
    assert.match(memory, /Hub memory vs limit: hub-physics/);
    assert.ok((memory.match(/<title>OOM kill at /g) ?? []).length === 48, 'every kill marked, from both sources');
    const restarted = extras.value.replay.rules.find((r) => r.alert === 'JupyterHubHubRestarted')!;
    assert.equal(new Date(restarted.firstFiringMs!).toISOString(), '2026-11-23T01:02:00.000Z');
    assert.equal(restarted.leadMs, Date.parse('2026-11-23T01:02:00Z') - Date.parse(oomNightStartedAt));
    assert.equal(extras.value.incident.entries.length, after.value.entries.length, 'nothing new after a backfill');
  });
});
