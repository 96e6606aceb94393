import assert from 'node:assert/strict';
import { marked } from 'marked';
import type { JournalEntry } from '../../../src/core/incident/journalEntry';
import { replayText } from '../../../src/core/incident/journalReplay';
import { inertText } from '../../../src/shared/untrustedText';

const escapeMarkdown = (text: string) => inertText(text, 'markdown');
import { REDACTED as redacted, redactText as redactSecrets } from '../../../src/core/secrets';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { editSection, newReportDocument } from '../../../src/core/incident/reportDocument';
import { renderMarkdown } from '../../../src/core/incident/reportMarkdown';
import { incidentMeta, journalText } from '../../builders/journal';

const apiToken = '3f9a1c0e7b2d4f6a8c0e2b4d6f8a1c3e';
const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLWJ5dGVz';
const keyData = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcEFJQkFBS0NBUUVB';
const secrets = [
  apiToken,
  jwt,
  keyData,
  'gAAAAABmZXhhbXBsZWF1dGhzdGF0ZQ',
  'deadbeefcafe0123',
  'sekr3t-pa55',
  '9b1e7c5a3f',
  'abc123xyz',
  'c2Vzc2lvbi1jb29raWU',
  'xsrf-value-42',
  '0f1e2d3c4b5a',
];

/** Journal lines as a watcher, an analyzer or an operator might write them, each carrying a secret. */
const secretTexts = [
  `GET /hub/api/users?token=abc123xyz 403`,
  `Authorization: Bearer ${jwt}`,
  `curl -H "Authorization: token ${apiToken}" https://hub.example.org/hub/api/users`,
  `used token ${apiToken} from the admin page`,
  `Cookie: jupyterhub-session-id=c2Vzc2lvbi1jb29raWU; _xsrf=xsrf-value-42`,
  `kubeconfig: client-key-data: ${keyData}`,
  `kubeconfig user token: sekr3t-pa55`,
  `row: {"name": "alice", "encrypted_auth_state": "gAAAAABmZXhhbXBsZWF1dGhzdGF0ZQ", "cookie_id": "deadbeefcafe0123"}`,
  `api_tokens.hashed = sha512:16384:9b1e7c5a3f:0f1e2d3c4b5a`,
];

let n = 0;
const entry = (fields: Partial<JournalEntry>): Partial<JournalEntry> => ({
  id: `e${n++}`,
  time: '2026-05-14T18:00:00Z',
  kind: 'note',
  hub: 'stress-hub',
  source: 'operator',
  text: '',
  ...fields,
});

function render(entries: Partial<JournalEntry>[], title = 'Incident') {
  const replayed = replayText(journalText(incidentMeta({ title }), entries));
  assert.ok(replayed.ok);
  const draft = draftReport(replayed.value, { timezone: 'America/New_York', now: new Date('2026-05-15T00:00:00Z') });
  return { draft, md: renderMarkdown(newReportDocument(draft), draft.meta) };
}

describe('no secrets in reports', () => {
  it('redacts tokens, headers, cookies, kubeconfig credentials, auth state and hashes', () => {
    for (const text of secretTexts) {
      const out = redactSecrets(text);
      assert.ok(out.includes(redacted), `${text} → ${out}`);
      for (const s of secrets) assert.ok(!out.includes(s), `${s} survived in ${out}`);
    }
    assert.equal(redactSecrets('Authorization: token abc'), `Authorization: token ${redacted}`);
    assert.equal(redactSecrets('Cookie: a=1; b=2'), `Cookie: a=${redacted}; b=${redacted}`);
    // Idempotent, and ordinary operations text is left alone.
    const once = redactSecrets(secretTexts.join('\n'));
    assert.equal(redactSecrets(once), once);
    const plain =
      'Pod jupyter-li-wei---0a5df1f7 OOMKilled (exit code 137); 0/5 nodes are available: 5 Insufficient memory.';
    assert.equal(redactSecrets(plain), plain);
  });

  it('keeps every secret out of a report drafted from entries, evidence and operator edits', () => {
    const entries = [
      ...secretTexts.map((text) => entry({ text })),
      entry({ kind: 'failed-scheduling', source: 'cluster', message: secretTexts[0], text: secretTexts[1] }),
      entry({
        kind: 'db-analysis',
        source: 'analyzer',
        verdict: 'oom',
        jupyterhubVersion: '5.3.0',
        offenders: [{ user: `token ${apiToken}`, namedServers: 1500 }],
        remediation: [`revoke token ${apiToken}`],
        text: 'analysis',
      }),
      entry({ kind: 'note', tag: 'resolution', text: `rotated the proxy secret: sekr3t-pa55` }),
    ];
    const { draft, md } = render(entries);
    for (const s of secrets) assert.ok(!md.includes(s), `${s} leaked into the report`);
    assert.ok(md.includes(redacted));
    // An operator pasting a token into an edited section is caught at render time.
    const edited = editSection(
      newReportDocument(draft),
      'impact',
      `see Authorization: Bearer ${jwt} and token ${apiToken}`,
    );
    const out = renderMarkdown(edited, draft.meta);
    assert.ok(!out.includes(jwt) && !out.includes(apiToken));
  });
});

describe('hostile strings in reports', () => {
  const hostilePod = '<img src=x onerror=alert(1)>';
  const hostileUser = '[click me](javascript:alert(1))';
  const hostile = [
    entry({
      kind: 'pod-pending',
      source: 'cluster',
      pod: hostilePod,
      text: `Pod ${hostilePod} Pending | broken | table`,
    }),
    entry({ kind: 'note', text: `user ${hostileUser} says\n# I am a heading\n<script>alert(2)</script>` }),
    entry({ kind: 'note', text: '- not a list **not bold** `not code` ~~not struck~~ ![img](http://x/y.png)' }),
    entry({
      kind: 'db-analysis',
      source: 'analyzer',
      verdict: 'oom',
      jupyterhubVersion: '5.3.0',
      offenders: [{ user: hostileUser, namedServers: 1500 }],
      table: [{ version: '5.3.0 | x', rows: 1, peakBytes: 1, seconds: 1 }],
      text: 'analysis',
    }),
    entry({ kind: 'hub-memory', source: 'cluster', hub: 'evil"]\n```\n<b>x</b>', bytes: 1e9, limitBytes: 2e9 }),
  ];

  it('renders them literally: no HTML, links, images, headings or broken table rows', () => {
    const { md } = render(hostile, 'Title <b>bold</b> [x](javascript:y)');
    const html = marked.parse(md, { async: false });
    assert.doesNotMatch(html, /<img|<script|<b>|<a |<h1>[^<]*I am a heading|<strong>not bold|<code>not code|<del>/);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the pod name shows as text');
    assert.ok(html.includes('[click me](javascript:alert(1))'), 'the user name shows as text');
    // Every timeline row still has exactly its two cells.
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => (m[1]!.match(/<t[dh]/g) ?? []).length);
    const timelineAndEvidence = new Set(rows);
    assert.ok(
      [...timelineAndEvidence].every((c) => c === 2 || c === 4),
      `cells per row: ${rows.join(',')}`,
    );
    // The mermaid block cannot be closed early by a hub name.
    const fences = md.match(/^```/gm) ?? [];
    assert.equal(fences.length, 2);
  });

  it('escapes Markdown punctuation but leaves ordinary names readable', () => {
    assert.equal(escapeMarkdown('jupyter-li-wei---0a5df1f7'), 'jupyter-li-wei---0a5df1f7');
    assert.equal(escapeMarkdown('5.3.0'), '5.3.0');
    assert.equal(escapeMarkdown('- x'), '\\- x');
    assert.equal(escapeMarkdown('1. x'), '1\\. x');
    assert.equal(escapeMarkdown('a|b'), 'a\\|b');
    assert.equal(escapeMarkdown('a\nb'), 'a b');
    assert.equal(escapeMarkdown('&lt;'), '&amp;lt;');
  });
});
