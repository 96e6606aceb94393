/**
 * The drafted report read as an operator reads it after a real incident (issue 14, item 6): no prompt
 * left once the Resolution is written, OOM kills and restarts that agree, the analyzer's evidence in the
 * analyzer's own words, and the upgrade said once.
 */
import assert from 'node:assert/strict';
import type { EntrySource, JournalEntry } from '../../../src/core/incident/journalEntry';

type Entry = Partial<JournalEntry>;
import { replayText } from '../../../src/core/incident/journalReplay';
import { editSection, newReportDocument, sectionText, shownSection } from '../../../src/core/incident/reportDocument';
import { draftReport, resolutionPrompt } from '../../../src/core/incident/reportDraft';
import { renderMarkdown } from '../../../src/core/incident/reportMarkdown';
import { analysisEntry } from '../../../src/incident/recordedEntries';
import { after, incidentMeta, journalText } from '../../builders/journal';
import { analyzeCalibrationDb } from '../hubdb/hubDbTestKit';

const t0 = '2026-05-14T17:55:00.000Z'; // 13:55 EDT
const at = (m: number) => after(t0, m);
const hubPod = 'hub-7c9d8f6b5d-x2kqp';
let nextId = 0;

/** A hub OOM kill as the cluster watcher journals it: the pod's restart count at that kill. */
const oomKill = (restarts: number, minute: number, source: EntrySource = 'cluster'): Entry => ({
  id: `e${++nextId}`,
  time: at(minute),
  kind: 'pod-oomkilled',
  hub: 'stress-hub',
  source,
  pod: hubPod,
  container: 'hub',
  component: 'hub',
  exitCode: 137,
  restarts,
  text: `${hubPod} OOMKilled (container hub, exit 137, ${restarts} restarts)`,
});

function draftOf(entries: Entry[]) {
  const replayed = replayText(journalText(incidentMeta({ startedAt: t0 }), entries));
  assert.ok(replayed.ok, 'the journal replays');
  return draftReport(replayed.value, { timezone: 'America/New_York', now: Date.parse(at(60)) });
}

/** The analyzer's real result on an incident-shaped DB, journaled as the recorder journals it. */
async function analysis(): Promise<Entry> {
  const analysis = await analyzeCalibrationDb({ stressServers: 1000, stressRunning: 500 });
  return {
    id: 'analysis',
    ...(analysisEntry(analysis, {
      namespace: 'stress-hub',
      context: 'prod',
      jupyterhubVersion: '5.3.0',
      time: at(10),
    }) as Entry),
  };
}

describe('the drafted report has no loose ends', () => {
  describe('the Summary’s resolution prompt', () => {
    it('is gone from the export and the page once the operator has written the Resolution', () => {
      const draft = draftOf([oomKill(1, 7)]);
      assert.ok(
        draft.sections.summary.includes(resolutionPrompt),
        'drafted with the prompt: nothing says what was done',
      );
      let doc = newReportDocument(draft);
      assert.ok(renderMarkdown(doc, draft.meta).includes('Say what was done to resolve it'));

      doc = editSection(doc, 'resolution', '- 14:40 EDT: raised the hub memory limit to 4Gi (helm upgrade)');
      const markdown = renderMarkdown(doc, draft.meta);
      assert.doesNotMatch(markdown, /Say what was done to resolve it/);
      assert.match(markdown, /## Summary\n\nOn Thursday, 14 May 2026, on hub \*\*stress-hub\*\*.*\n\n## Impact/);
      assert.match(markdown, /## Resolution\n\n- 14:40 EDT: raised the hub memory limit to 4Gi/);
      // What the page shows is the same text, and the draft itself is unchanged (a re-draft sees no edit).
      assert.equal(shownSection(doc, 'summary').drafted, sectionText(doc, 'summary'));
      assert.equal(doc.sections.summary.drafted, draft.sections.summary);
      assert.equal(doc.sections.summary.edited, null);
    });

    it('is gone from an edited Summary that kept it, and stays while the Resolution is only its own prompt', () => {
      const draft = draftOf([oomKill(1, 7)]);
      let doc = editSection(newReportDocument(draft), 'summary', `The hub fell over.\n\n${resolutionPrompt}`);
      doc = editSection(doc, 'resolution', draft.sections.resolution.replace(/\n\nThe incident was stopped.*$/s, ''));
      assert.ok(
        sectionText(doc, 'summary').includes(resolutionPrompt),
        'an untouched Resolution prompt is no resolution',
      );
      doc = editSection(doc, 'resolution', 'Stopped the stress servers.');
      assert.equal(sectionText(doc, 'summary'), 'The hub fell over.');
    });
  });

  describe('OOM kills against the hub pod’s restart count', () => {
    it('says the restarts before recording began instead of undercounting silently', () => {
      // Recording began while the hub was crash-looping: the watcher journaled the 4th and 5th kills.
      const { sections } = draftOf([oomKill(4, 19), oomKill(5, 31)]);
      assert.match(
        sections.summary,
        /the hub was OOMKilled twice between 14:14 and 14:26 EDT; its pod's restart count reached 5: the 3 restarts before were not journaled, so their cause is not known\./,
      );
      assert.match(sections.impact, /While the hub was crash-looping \(from before 14:14 EDT\)/);
    });

    it('counts a kill journaled twice (the watcher and a Prometheus backfill) once, and says a missed restart', () => {
      const { sections } = draftOf([oomKill(1, 7), oomKill(1, 7, 'prometheus'), oomKill(2, 13), oomKill(4, 31)]);
      assert.match(
        sections.summary,
        /the hub was OOMKilled 3 times between 14:02 and 14:26 EDT; its pod's restart count reached 4: 1 restart was not journaled, so its cause is not known\./,
      );
    });

    it('says nothing more when every restart was journaled', () => {
      const { sections } = draftOf([oomKill(1, 7), oomKill(2, 13), oomKill(3, 24)]);
      assert.match(sections.summary, /the hub was OOMKilled 3 times between 14:02 and 14:19 EDT\./);
      assert.doesNotMatch(sections.summary, /restart count|not journaled/);
      assert.match(sections.impact, /crash-looping \(from 14:02 EDT\)/);
    });
  });

  describe('the analyzer’s evidence (a real analysis of an incident-shaped DB)', () => {
    let entry: Entry;
    before(async () => {
      entry = await analysis();
    });

    it('states the verdict as the analyzer shows it, never its internal word', () => {
      const { evidence } = draftOf([oomKill(1, 7), entry]);
      assert.match(
        evidence,
        /^Verdict for JupyterHub 5\.3\.0: \*\*Will be OOMKilled\*\* against a 2Gi hub memory limit\.$/m,
      );
      assert.doesNotMatch(evidence, /\*\*oom\*\*/);
    });

    it('lists only users with named servers, and says running of all their servers', () => {
      const offenders = entry.offenders as { user: string; namedServers: number; running: number }[];
      assert.ok(
        offenders.some((o) => o.namedServers === 0),
        'the analyzer ranks users without named servers too',
      );
      assert.ok(
        offenders.some((o) => o.namedServers > 0 && o.running > o.namedServers),
        'and users whose default server runs beside a named one',
      );
      const { evidence } = draftOf([oomKill(1, 7), entry]);
      const list = evidence.slice(evidence.indexOf('Users with the most named servers:'));
      const rows = list.split('\n\n')[1]!.split('\n');
      assert.ok(rows.length > 0);
      for (const row of rows) {
        assert.doesNotMatch(row, /: 0 named servers/);
        assert.doesNotMatch(row, /: 1 named servers/);
        const m = /^- \S+: ([\d,]+) named servers?(?: and a default server)?, ([\d,]+) running$/.exec(row);
        assert.ok(m, `a row says named servers and running: ${row}`);
        const named = Number(m[1]!.replace(/,/g, ''));
        const running = Number(m[2]!.replace(/,/g, ''));
        assert.ok(running <= named + (row.includes('and a default server') ? 1 : 0), `possible: ${row}`);
      }
      assert.match(rows[0]!, /^- stress-user: 1,000 named servers(?: and a default server)?, 500 running$/);
    });

    it('leaves the list out when no user has a named server', () => {
      const noNamed = { ...entry, offenders: [{ user: 'ada', namedServers: 0, running: 1, spawners: 1 }] };
      const { evidence } = draftOf([oomKill(1, 7), noNamed]);
      assert.doesNotMatch(evidence, /Users with the most named servers/);
    });

    it('says to upgrade once in the whole report', () => {
      const draft = draftOf([oomKill(1, 7), entry]);
      const markdown = renderMarkdown(newReportDocument(draft), draft.meta);
      const upgrades = markdown.match(/upgrad\w* (first, )?to JupyterHub 5\.4\.3/gi) ?? [];
      assert.equal(upgrades.length, 1, markdown);
      assert.match(markdown, /- \[ \] Upgrade to JupyterHub 5\.4\.3\+/);
      // What else the analyzer advised stays: do not restart on 5.3.0, skip 5.4.0–5.4.2, cap named servers.
      assert.match(
        markdown,
        /- Do not restart the hub on 5\.0\.0-5\.3\.0 with this DB: it cannot come up to serve the API\./,
      );
      assert.match(markdown, /Skip 5\.4\.0–5\.4\.2/);
    });
  });
});
