import assert from 'node:assert/strict';
import { isKind, type JournalEntry } from '../../../src/core/incident/journalEntry';
import { replayText } from '../../../src/core/incident/journalReplay';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { incidentMeta, journalText } from '../../builders/journal';

/**
 * The analyzer says "unknown" when it knows no memory limit (z2jh 4.x sets none for the hub). Such an
 * analysis still belongs in the report as evidence, without the report claiming a memory problem.
 */
describe('a hub DB analysis without a memory limit (verdict unknown)', () => {
  const analysis: Partial<JournalEntry> = {
    id: 'a1',
    time: '2026-05-14T18:20:00.000Z',
    kind: 'db-analysis',
    hub: 'stress-hub',
    source: 'analyzer',
    verdict: 'unknown',
    jupyterhubVersion: '5.3.0',
    limitBytes: null,
    table: [
      { version: '5.3.0', rows: 1_050_051, peakBytes: 5.3 * 2 ** 30, seconds: 55 },
      { version: '5.4.3-5.5.x', rows: 736, peakBytes: 260 * 2 ** 20, seconds: 0.4 },
    ],
    offenders: [{ user: 'stress-user', namedServers: 1500, running: 700 }],
    text: 'Hub DB analysis: No memory limit known',
  };

  it('is a valid db-analysis entry', () => {
    assert.ok(isKind(analysis as JournalEntry, 'db-analysis'));
  });

  it('shows the cost table as evidence, and neither claims a problem nor advises the memory fix', () => {
    const replayed = replayText(journalText(incidentMeta(), [analysis]));
    assert.ok(replayed.ok);
    const draft = draftReport(replayed.value, {
      timezone: 'America/New_York',
      now: Date.parse('2026-05-14T19:00:00Z'),
    });
    assert.match(draft.evidence, /Verdict for JupyterHub 5\.3\.0: \*\*No memory limit to compare with\*\*/);
    assert.match(draft.evidence, /\| 5\.3\.0 \(running\) \| 1,050,051 \|/);
    assert.match(draft.sections.summary, /was watched; no symptoms were journaled/);
    assert.match(draft.sections.summary, /start-up query would fetch 1,050,051 rows/);
    assert.doesNotMatch(draft.sections.actionItems, /Raise the hub memory limit|Upgrade to JupyterHub/);
    assert.doesNotMatch(draft.sections.learned, /more memory than its limit/);
  });
});
