import assert from 'node:assert/strict';
import { marked } from 'marked';
import { replay, replayText } from '../../../src/core/incident/journalReplay';
import { draftReport, type ReportDraft } from '../../../src/core/incident/reportDraft';
import { newReportDocument } from '../../../src/core/incident/reportDocument';
import { downsample } from '../../../src/core/incident/reportEvidence';
import { renderMarkdown } from '../../../src/core/incident/reportMarkdown';
import {
  classStartSpawnStorm,
  GiB,
  hubOomAfterStressTest,
  incidentMeta,
  journalText,
  writeJournal,
  type BuiltJournal,
} from '../../builders/journal';
import { useTempDir } from '../../harness/tempDir';

const now = new Date('2026-09-09T00:00:00Z');

describe('drafting incident reports from seed-shaped journals', () => {
  const dir = useTempDir();

  function drafted(built: BuiltJournal): ReportDraft {
    const replayed = replay(writeJournal(dir(), built));
    assert.ok(replayed.ok);
    assert.deepEqual(replayed.value.warnings, []);
    return draftReport(replayed.value, { timezone: 'America/New_York', now });
  }

  describe('hub OOMKilled at start-up after a stress test', () => {
    it('summarises symptom, cause and what was done', () => {
      const { sections } = drafted(hubOomAfterStressTest());
      assert.match(sections.summary, /hub \*\*stress-hub\*\* \(context prod\)/);
      assert.match(sections.summary, /the hub was OOMKilled 4 times between 14:02 and 14:31 EDT/);
      assert.match(
        sections.summary,
        /JupyterHub 5\.3\.0's start-up query would fetch 1,050,051 rows ≈ 5\.1Gi against a 2Gi limit, driven by user stress-test's 1,500 named servers\./,
      );
      assert.doesNotMatch(sections.summary, /alice/, 'a user with 4 named servers is not a driver');
      assert.match(
        sections.summary,
        /What was done: Stopped stress-test's 700 running named servers .* Hub started in 40 s and stayed up\./,
      );
    });

    it('states the impact, resolution and lessons', () => {
      const { sections } = drafted(hubOomAfterStressTest());
      assert.match(sections.impact, /^- Duration: from 13:55 to 14:45 EDT \(50 min\)\./);
      assert.match(sections.impact, /crash-looping \(from 14:02 EDT\), nobody could log in or start a server/);
      assert.match(sections.impact, /199 users and 736 running servers when it was snapshotted at 14:10 EDT/);
      assert.match(sections.resolution, /^- 14:33 EDT: Stopped stress-test's/);
      assert.match(sections.resolution, /The incident was stopped at 14:45 EDT\./);
      assert.match(sections.learned, /JupyterHub 5\.0–5\.3 .* \(736 rows with JupyterHub 5\.4\.3\)/);
    });

    it('suggests the upgrade, the named server limit, a higher memory limit, as a checklist', () => {
      const items = drafted(hubOomAfterStressTest()).sections.actionItems.split('\n');
      assert.ok(
        items.every((i) => i.startsWith('- [ ] ')),
        items.join('\n'),
      );
      const text = items.join('\n');
      assert.match(text, /Upgrade to JupyterHub 5\.4\.3\+ \(z2jh 4\.3\.2\+\)/);
      assert.match(text, /named_server_limit_per_user.*user stress-test had 1,500 named servers/);
      assert.match(
        text,
        /Raise the hub memory limit \(`hub\.resources\.limits\.memory`, now 2Gi\) above the start-up peak \(≈ 5\.1Gi/,
      );
      assert.doesNotMatch(text, /concurrentSpawnLimit|429/, 'no spawn-pressure advice without spawn pressure');
    });

    it('keeps memory samples out of the timeline and charts them, downsampled, with the limit', () => {
      const d = drafted(hubOomAfterStressTest());
      assert.doesNotMatch(d.sections.timeline, /hub-memory/);
      assert.equal((d.sections.timeline.match(/Hub pod \S+ OOMKilled/g) ?? []).length, 4);
      assert.match(
        d.sections.timeline,
        /\| 14:36 \| pod-ready: Hub pod hub-7c9d8f6b5d-x2kqp Ready \|/,
        'unknown kinds are shown',
      );
      const chart = /```mermaid\n(xychart-beta[\s\S]*?)```/.exec(d.evidence);
      assert.ok(chart, d.evidence);
      const lines = chart[1]!.split('\n').map((l) => l.trim());
      const xs = JSON.parse(lines.find((l) => l.startsWith('x-axis'))!.replace(/^x-axis "EDT" /, '')) as string[];
      const series = lines.filter((l) => l.startsWith('line ')).map((l) => JSON.parse(l.slice(5)) as number[]);
      assert.ok(xs.length <= 40 && xs.length > 10, `${xs.length} points`);
      assert.equal(series.length, 2);
      assert.ok(series.every((s) => s.length === xs.length));
      assert.ok(
        series[1]!.every((v) => v === 2048),
        'the limit line in MiB',
      );
      assert.ok(Math.max(...series[0]!) > 1800);
      const samples = hubOomAfterStressTest().entries.filter((e) => e.kind === 'hub-memory').length;
      assert.match(
        d.evidence,
        new RegExp(`the flat line is the 2,048 MiB limit \\(${samples} samples, ${xs.length} shown`),
      );
    });

    it("puts the analyzer's per-version table in the evidence", () => {
      const { evidence } = drafted(hubOomAfterStressTest());
      assert.match(
        evidence,
        /Verdict for JupyterHub 5\.3\.0: \*\*Will be OOMKilled\*\* against a 2Gi hub memory limit\./,
      );
      assert.match(evidence, /\| JupyterHub \| Start-up query rows \| Peak memory \| CPU \|/);
      assert.match(evidence, /\| 5\.3\.0 \(running\) \| 1,050,051 \| 5\.1Gi \(over the limit\) \| 55\.1 s \|/);
      assert.match(evidence, /\| 5\.4\.3 \| 736 \| 2Mi \| 0\.4 s \|/);
      assert.match(evidence, /- stress-test: 1,500 named servers, 700 running/);
    });
  });

  describe('class start: 150 spawns against a limit of 64', () => {
    it('summarises pending pods, throttling, scheduling and the node wait', () => {
      const { sections } = drafted(classStartSpawnStorm());
      assert.match(sections.summary, /150 user pods went Pending between 09:00 and 09:13 EDT/);
      assert.match(sections.summary, /reached the concurrent spawn limit of 64/);
      assert.match(sections.summary, /86 spawn requests were refused with HTTP 429/);
      assert.match(
        sections.summary,
        /64 FailedScheduling events\) until new nodes arrived 10 min after the autoscaler's first scale-up/,
      );
      assert.match(
        sections.summary,
        /What was done: All 150 students running; raised hub\.concurrentSpawnLimit to 200/,
      );
    });

    it('collapses the storm into a readable timeline', () => {
      const { sections } = drafted(classStartSpawnStorm());
      const rows = sections.timeline.split('\n').filter((l) => l.startsWith('| ') && !/^\| (Time|---)/.test(l));
      assert.ok(rows.length < 20, `${rows.length} rows:\n${rows.join('\n')}`);
      assert.ok(rows.includes('| 09:00 | 64 pods Pending |'), rows.join('\n'));
      assert.ok(rows.includes('| 09:00–09:01 | 86 spawn requests throttled (HTTP 429) |'));
      assert.ok(rows.includes('| 09:10–09:11 | 64 pods scheduled |'));
    });

    it('states impact and suggests spawn limit, placeholders and a 429 alert', () => {
      const { sections } = drafted(classStartSpawnStorm());
      assert.match(
        sections.impact,
        /150 user servers waited in Pending from 09:00 EDT; the last was scheduled at 09:14 EDT\./,
      );
      assert.match(sections.impact, /86 spawn requests got HTTP 429/);
      assert.match(sections.impact, /Up to 64 spawns in progress at once \(concurrent spawn limit 64\)/);
      assert.match(sections.learned, /autoscaler needed 10 min to add nodes/);
      assert.match(sections.learned, /The lab schedule was not shared with the ops team/);
      const items = sections.actionItems;
      assert.match(items, /- \[ \] Raise the concurrent spawn limit \(`hub\.concurrentSpawnLimit`, now 64\)/);
      assert.match(items, /- \[ \] Add user placeholders/);
      assert.match(items, /- \[ \] Add an alert on HTTP 429s/);
      assert.doesNotMatch(items, /Upgrade to JupyterHub|memory limit/);
      const draft = drafted(classStartSpawnStorm());
      assert.equal(draft.evidence, '', 'no analysis and no memory samples: no evidence section');
      assert.doesNotMatch(renderMarkdown(newReportDocument(draft), draft.meta), /## Evidence/);
    });
  });

  it('says what to write where the journal is silent, instead of inventing it', () => {
    const replayed = replayText(journalText(incidentMeta(), []));
    assert.ok(replayed.ok);
    const { sections } = draftReport(replayed.value, { timezone: 'UTC', now });
    assert.match(sections.summary, /no symptoms were journaled/);
    assert.match(sections.summary, /_Say what was done/);
    assert.match(sections.learned, /^_What did we learn\?/);
    assert.match(sections.actionItems, /^_What will we change\?/);
    assert.match(sections.resolution, /the incident had not been stopped|had not been stopped/);
  });

  it('renders the sections in order under a dated title with the metadata', () => {
    const d = drafted(hubOomAfterStressTest());
    const md = renderMarkdown(newReportDocument(d), d.meta);
    assert.match(md, /^# 2026-05-14: stress-hub OOMKilled at start-up\n/);
    assert.match(md, /- \*\*Severity:\*\* major/);
    assert.match(md, /- \*\*Started:\*\* Thursday, 14 May 2026 13:55 EDT \(17:55 UTC\)/);
    assert.match(md, /- \*\*Ended:\*\* Thursday, 14 May 2026 14:45 EDT \(18:45 UTC\) \(50 min\)/);
    const headings = md.match(/^## .*$/gm);
    assert.deepEqual(headings, [
      '## Summary',
      '## Impact',
      '## Timeline',
      '## Resolution',
      '## What we learned',
      '## Action items',
      '## Evidence',
    ]);
    // GitHub-flavoured Markdown parses it into the expected structure: tables, a checklist, a mermaid block.
    const html = marked.parse(md, { async: false });
    assert.equal((html.match(/<table>/g) ?? []).length, 2);
    assert.equal((html.match(/<input [^>]*type="checkbox"/g) ?? []).length, 4);
    assert.match(html, /<code class="language-mermaid">xychart-beta/);
  });
});

describe('downsampling hub memory samples', () => {
  it('keeps at most 40 points and the peak of each interval', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => ({
      ms: i * 30_000,
      bytes: i === 617 ? 3 * GiB : (i % 7) * 1e8,
      limitBytes: 2 * GiB,
    }));
    const kept = downsample(samples);
    assert.ok(kept.length <= 40);
    assert.ok(
      kept.some((s) => s.bytes === 3 * GiB),
      'the spike survives',
    );
    assert.ok(kept.every((s, i) => i === 0 || s.ms > kept[i - 1]!.ms));
    assert.deepEqual(downsample(samples.slice(0, 5)), samples.slice(0, 5));
  });
});
