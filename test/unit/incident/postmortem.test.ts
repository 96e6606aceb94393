import assert from 'node:assert/strict';
import { replay } from '../../../src/core/incident/journalReplay';
import {
  actionItemsIssueBody,
  draftPostmortem,
  postmortemTitles,
  renderPostmortemMarkdown,
} from '../../../src/core/incident/postmortem';
import { classStartSpawnStorm, hubOomAfterStressTest, writeJournal } from '../../builders/journal';
import { useTempDir } from '../../harness/tempDir';

describe('incident report: the postmortem template (2i2c’s sections)', () => {
  const dir = useTempDir();
  const draftOf = (
    built: ReturnType<typeof hubOomAfterStressTest>,
    extra: Partial<Parameters<typeof draftPostmortem>[1]> = {},
  ) => {
    const replayed = replay(writeJournal(dir(), built));
    assert.ok(replayed.ok);
    return draftPostmortem(replayed.value, {
      timezone: 'America/New_York',
      now: Date.parse('2026-05-15T12:00:00Z'),
      ...extra,
    });
  };

  it('has the header and every section, in 2i2c’s order', () => {
    const md = renderPostmortemMarkdown(draftOf(hubOomAfterStressTest(), { owner: 'Ana' }));
    assert.deepEqual(
      md
        .split('\n')
        .filter((l) => l.startsWith('## '))
        .map((l) => l.slice(3)),
      [...Object.values(postmortemTitles), 'Evidence'],
    );
    assert.match(md, /^- \*\*Owner:\*\* Ana$/m);
    assert.match(md, /^- \*\*Impact time:\*\* from \d\d:\d\d to \d\d:\d\d EDT$/m);
    assert.match(md, /^- \*\*Duration:\*\* /m);
  });

  it('drafts from the journal what it can, and prompts where only a person knows', () => {
    const draft = draftOf(hubOomAfterStressTest());
    assert.equal(draft.header.owner, '_Who owns this incident?_');
    assert.match(draft.sections.overview, /the hub was OOMKilled 4 times between 14:02 and 14:31 EDT/);
    assert.match(draft.sections.lucky, /^_Where did we get lucky\?/);
    assert.match(draft.sections.whatHappened, /_What did users see\? How was it noticed/);
    assert.match(draft.sections.resolution, /EDT: /);
    assert.match(draft.sections.actionItems, /^- \[ \] /m);
    assert.match(draft.sections.timeline, /^All times in EDT \(America\/New_York\)\./);
  });

  it('says what the alert rules would have changed, when a replay is given', () => {
    const built = hubOomAfterStressTest();
    const firstKill = Date.parse(built.entries.find((e) => e.kind === 'pod-oomkilled')!.time as string);
    const draft = draftOf(built, {
      alerts: [
        { alert: 'JupyterHubHubOOMKilled', firstFiringMs: firstKill + 60_000 },
        { alert: 'JupyterHubSpawnsThrottled', firstFiringMs: null },
      ],
    });
    assert.match(draft.sections.whatHappened, /JupyterHubHubOOMKilled would have fired at \d\d:\d\d EDT/);
    assert.match(
      draft.sections.actionItems,
      /Deploy the JupyterHub Ops alert rules \(`hubops alerts`\): JupyterHubHubOOMKilled would have fired/,
    );
    assert.doesNotMatch(draft.sections.actionItems, /JupyterHubSpawnsThrottled/);
  });

  it('turns the action items into a GitHub issue body', () => {
    const body = actionItemsIssueBody(draftOf(classStartSpawnStorm()), 'https://example.org/reports/ds100.md');
    assert.match(
      body,
      /^Follow-up from the incident \*\*.+\*\* \(\d{4}-\d\d-\d\d; impact .+\)\.\n\n### Action items\n\n- \[ \] /,
    );
    assert.match(body, /Raise the concurrent spawn limit/);
    assert.match(body, /Postmortem: https:\/\/example\.org\/reports\/ds100\.md\n$/);
  });

  it('redacts secrets and escapes hostile text, as the short form does', () => {
    const built = hubOomAfterStressTest();
    built.entries.push({
      time: built.meta.startedAt,
      kind: 'note',
      hub: null,
      source: 'operator',
      tag: 'action',
      text: 'rotate token=abcdef0123456789abcdef0123456789 <img src=x>',
    });
    const md = renderPostmortemMarkdown(draftOf(built, { owner: '<script>x</script>' }));
    assert.doesNotMatch(md, /abcdef0123456789abcdef0123456789/);
    assert.doesNotMatch(md, /<img|<script/);
    assert.match(md, /^- \*\*Owner:\*\* &lt;script&gt;x&lt;\/script&gt;$/m);
  });
});
