import assert from 'node:assert/strict';
import { Journal } from '../../../src/core/incident/journal';
import { replay } from '../../../src/core/incident/journalReplay';
import { draftReport, sectionIds } from '../../../src/core/incident/reportDraft';
import {
  editSection,
  effectiveText,
  newReportDocument,
  parseReportDocument,
  redraft,
} from '../../../src/core/incident/reportDocument';
import { renderMarkdown } from '../../../src/core/incident/reportMarkdown';
import { hubOomAfterStressTest } from '../../builders/journal';
import { useTempDir } from '../../harness/tempDir';

describe('report document: operator edits survive re-drafting', () => {
  const dir = useTempDir();

  /** The OOM incident journaled up to the analysis, then the rest: two drafts of one incident. */
  function twoDrafts() {
    const built = hubOomAfterStressTest();
    const created = Journal.create(dir(), built.meta);
    assert.ok(created.ok);
    const journal = created.value;
    const cut = built.entries.findIndex((e) => e.kind === 'db-analysis');
    const draftNow = () => {
      const r = replay(journal.file);
      assert.ok(r.ok);
      return draftReport(r.value, { timezone: 'America/New_York', now: new Date('2026-05-14T19:00:00Z') });
    };
    for (const e of built.entries.slice(0, cut)) journal.append(e);
    const early = draftNow();
    for (const e of built.entries.slice(cut)) journal.append(e);
    return { early, late: draftNow() };
  }

  it('takes the new draft in untouched sections and reports edited ones that changed as conflicts', () => {
    const { early, late } = twoDrafts();
    let doc = newReportDocument(early);
    assert.ok(sectionIds.every((id) => doc.sections[id].edited === null));
    doc = editSection(doc, 'summary', 'Our hub fell over. (written by the operator)');
    doc = editSection(doc, 'learned', 'We learned to snapshot early.');

    const { doc: next, conflicts } = redraft(doc, late);
    assert.deepEqual(conflicts.sort(), ['learned', 'summary']);
    assert.equal(effectiveText(next.sections.summary), 'Our hub fell over. (written by the operator)');
    assert.equal(next.sections.summary.drafted, late.sections.summary, 'the new draft is there for the UI to offer');
    assert.equal(effectiveText(next.sections.timeline), late.sections.timeline);
    assert.match(effectiveText(next.sections.actionItems), /Upgrade to JupyterHub 5\.4\.3\+/);
    assert.equal(next.evidence, late.evidence);
    assert.equal(next.draftedAt, late.draftedAt);

    // Re-drafting the same journal again raises no conflict: the operator already saw this draft.
    assert.deepEqual(redraft(next, late).conflicts, []);
    // "Take the new draft": setting the drafted text clears the edit.
    const taken = editSection(next, 'summary', next.sections.summary.drafted);
    assert.equal(taken.sections.summary.edited, null);
  });

  it('renders the operator text in place of the draft', () => {
    const { late } = twoDrafts();
    const doc = editSection(newReportDocument(late), 'resolution', 'We **stopped** the servers.');
    const md = renderMarkdown(doc, late.meta);
    assert.match(md, /## Resolution\n\nWe \*\*stopped\*\* the servers\.\n/);
  });

  it('persists as JSON and refuses a damaged saved document', () => {
    const { early } = twoDrafts();
    const doc = editSection(newReportDocument(early), 'impact', 'edited');
    const back = parseReportDocument(JSON.stringify(doc));
    assert.ok(back.ok);
    assert.deepEqual(back.value, doc);
    for (const bad of [
      '{',
      '[]',
      '{"draftedAt":"x","sections":{}}',
      JSON.stringify({ ...doc, sections: { ...doc.sections, summary: { drafted: 1, edited: null } } }),
    ]) {
      const parsed = parseReportDocument(bad);
      assert.ok(!parsed.ok, bad);
      assert.equal(parsed.error.code, 'report-document-invalid');
    }
  });
});
