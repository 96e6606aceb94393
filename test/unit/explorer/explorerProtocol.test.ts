import assert from 'node:assert/strict';
import {
  MAX_PAGE_ROWS,
  parseToHost,
  parseToWebview,
  type AnalysisView,
  type ToHost,
  type ToWebview,
} from '../../../src/protocol/explorerProtocol';

const rejects = (parse: (v: unknown) => { ok: boolean }, value: unknown, why: string) =>
  assert.equal(parse(value).ok, false, `accepted ${why}: ${JSON.stringify(value)?.slice(0, 120)}`);

describe('explorer protocol validators', () => {
  it('accepts every well-formed webview message', () => {
    const good: ToHost[] = [
      { type: 'ready' },
      { type: 'runQuery', requestId: 1, sql: 'SELECT 1' },
      { type: 'fetchRows', requestId: 2, resultId: 1, offset: 999_000, limit: MAX_PAGE_ROWS },
      { type: 'fetchCell', requestId: 3, resultId: 1, row: 5, column: 0 },
      { type: 'sortResult', requestId: 4, resultId: 1, column: 2, direction: 'none' },
      { type: 'explainQuery', requestId: 5, sql: 'SELECT * FROM users' },
      { type: 'cancel' },
      { type: 'exportResult', requestId: 6, resultId: 1, format: 'json' },
      { type: 'copyText', text: '<script>alert(1)</script>' },
      { type: 'setSecretsRevealed', requestId: 7, revealed: true },
      { type: 'analyze', requestId: 8 },
      { type: 'analyze', requestId: 9, jupyterhubVersion: '5.3.0', memoryLimitBytes: 2 * 1024 ** 3 },
    ];
    for (const message of good) assert.deepEqual(parseToHost(message), { ok: true, value: message });
  });

  it('rejects malformed webview messages with a reason', () => {
    const cases: [unknown, string][] = [
      [null, 'null'],
      ['runQuery', 'a string'],
      [[], 'an array'],
      [{}, 'no type'],
      [{ type: 'dropTable' }, 'an unknown type'],
      [{ type: 'toString' }, 'a prototype key as type'],
      [{ type: '__proto__' }, 'a prototype key as type'],
      [{ type: 'runQuery', requestId: 1 }, 'a missing field'],
      [{ type: 'runQuery', requestId: '1', sql: 'x' }, 'a number as text'],
      [{ type: 'runQuery', requestId: 0, sql: 'x' }, 'request id 0'],
      [{ type: 'runQuery', requestId: 1.5, sql: 'x' }, 'a fractional id'],
      [{ type: 'runQuery', requestId: 1, sql: 'x', extra: true }, 'an unexpected key'],
      [JSON.parse('{"type":"ready","__proto__":{"polluted":1}}'), 'a __proto__ key'],
      [{ type: 'fetchRows', requestId: 1, resultId: 1, offset: -1, limit: 10 }, 'a negative offset'],
      [{ type: 'fetchRows', requestId: 1, resultId: 1, offset: 0, limit: MAX_PAGE_ROWS + 1 }, 'a page too big'],
      [{ type: 'fetchRows', requestId: 1, resultId: 1, offset: Infinity, limit: 1 }, 'an infinite offset'],
      [{ type: 'sortResult', requestId: 1, resultId: 1, column: 0, direction: 'sideways' }, 'an unknown direction'],
      [{ type: 'exportResult', requestId: 1, resultId: 1, format: 'xlsx' }, 'an unknown format'],
      [{ type: 'copyText', text: 'x'.repeat(9 * 1024 * 1024) }, 'a huge text'],
      [{ type: 'analyze', requestId: 1, memoryLimitBytes: NaN }, 'NaN'],
      [{ type: 'analyze', requestId: 1, jupyterhubVersion: 5 }, 'a number as version'],
    ];
    for (const [value, why] of cases) rejects(parseToHost, value, why);
    const parsed = parseToHost({ type: 'runQuery', requestId: 1 });
    assert.match(!parsed.ok ? parsed.reason : '', /message\.sql is not a string/);
  });

  it('accepts well-formed host messages, including hostile text as plain strings', () => {
    const payload = '"><img src=x onerror=alert(1)>';
    const good: ToWebview[] = [
      {
        type: 'opened',
        file: { name: payload, bytes: 1, walBytes: null },
        tables: [
          {
            name: payload,
            kind: 'table',
            rowCount: null,
            columns: [
              { name: payload, type: '', notNull: false, primaryKey: true, defaultValue: null, treatment: 'redact' },
            ],
            indexes: [{ name: payload, unique: true, columns: [payload] }],
            problem: 'Cannot count its rows: x',
          },
        ],
        hub: { kind: 'foreign', revision: null, versions: '', summary: 'not a hub' },
        secretsRevealed: false,
        origin: {
          context: payload,
          namespace: payload,
          takenAt: '2026-12-02T15:00:00.000Z',
          jupyterhubVersion: '5.3.0',
          memoryLimitBytes: 2 ** 31,
        },
        saved: { tab: 'analysis', analysis: { jupyterhubVersion: '5.4.3', memoryLimitBytes: 2 ** 33 } },
        notices: [],
      },
      { type: 'openFailed', file: { name: 'x', bytes: 0, walBytes: 4096 }, error: { code: 'empty', message: 'empty' } },
      {
        type: 'queryResult',
        requestId: 1,
        result: { resultId: 1, columns: ['a'], rowCount: 0, sort: null, elapsedMs: 0.4 },
      },
      {
        type: 'rows',
        requestId: 2,
        resultId: 1,
        offset: 0,
        rows: [
          [
            null,
            1,
            payload,
            { kind: 'blob', bytes: 3, hexPrefix: '00ff10' },
            { kind: 'longText', preview: 'x', length: 5000 },
          ],
        ],
      },
      { type: 'cellValue', requestId: 3, text: payload },
      { type: 'queryPlan', requestId: 4, plan: [{ id: 2, parent: 0, detail: 'SCAN users' }] },
      { type: 'exported', requestId: 5, file: null, rows: 0, bytes: 0 },
      { type: 'secrets', requestId: null, revealed: true },
      { type: 'analysis', requestId: 6, analysis: sampleAnalysis() },
      { type: 'failed', requestId: 7, error: { code: 'cancelled', message: 'Cancelled.' } },
      { type: 'showAnalysis', memoryLimitBytes: 1024 },
    ];
    for (const message of good) assert.deepEqual(parseToWebview(message), { ok: true, value: message });
  });

  it('rejects malformed host messages', () => {
    const cases: [unknown, string][] = [
      [
        { type: 'rows', requestId: 1, resultId: 1, offset: 0, rows: [[{ kind: 'html', html: '<b>' }]] },
        'an unknown cell',
      ],
      [
        {
          type: 'rows',
          requestId: 1,
          resultId: 1,
          offset: 0,
          rows: [[{ kind: 'blob', bytes: 1, hexPrefix: 'aa', html: 'x' }]],
        },
        'an extra key in a cell',
      ],
      [{ type: 'rows', requestId: 1, resultId: 1, offset: 0, rows: [[NaN]] }, 'NaN in a cell'],
      [{ type: 'rows', requestId: 1, resultId: 1, offset: 0, rows: [['x'.repeat(3000)]] }, 'an over-long text cell'],
      [
        { type: 'rows', requestId: 1, resultId: 1, offset: 0, rows: Array(MAX_PAGE_ROWS + 1).fill([]) },
        'too many rows',
      ],
      [{ type: 'queryPlan', requestId: 1, plan: [{ id: 1, parent: 0 }] }, 'a plan node without detail'],
      [{ type: 'failed', requestId: 1, error: { message: 'x' } }, 'an error without code'],
      [
        { type: 'analysis', requestId: 1, analysis: { ...sampleAnalysis(), verdict: { level: 'fine' } } },
        'an unknown verdict',
      ],
      [{ type: 'opened', file: { name: 'x', bytes: 1 } }, 'a partial opened message'],
    ];
    for (const [value, why] of cases) rejects(parseToWebview, value, why);
  });
});

function sampleAnalysis(): AnalysisView {
  return {
    verdict: {
      level: 'oom',
      headline: 'JupyterHub 5.3.0 will be OOMKilled at start-up',
      marginBytes: -3 * 1024 ** 3,
      memoryLimitBytes: 2 * 1024 ** 3,
      predictedBytes: 5 * 1024 ** 3,
      version: '5.3.0',
    },
    versions: [
      {
        version: '5.3.0',
        form: 'users JOIN spawners',
        mainRows: 1_050_051,
        totalRows: 1_050_120,
        statements: 6,
        predictedBytes: 5 * 1024 ** 3,
        predictedSeconds: 55,
        verdict: 'oom',
        selected: true,
      },
    ],
    offenders: [
      { user: '<b>stress</b>', spawners: 1500, running: 700, namedServers: 1500, mainRows: 1_050_000, share: 0.99 },
    ],
    staleServers: [{ user: 'a', server: 'b', lastActivity: null, idleDays: null }],
    startupQueries: [
      { version: '5.3.0', label: 'main', sql: 'SELECT 1', plan: [{ id: 1, parent: 0, detail: 'SCAN users' }] },
    ],
    remediation: {
      upgrade: 'Upgrade to 5.4.3',
      steps: ['Upgrade', 'Limit named servers', 'Clean up'],
      namedServerLimit: {
        text: 'Limit to 10',
        yaml: 'hub:\n  config: {}\n',
        python: 'c.JupyterHub.named_server_limit_per_user = 10',
      },
      cleanup: { text: '3 stale', bash: '#!/bin/bash\n', python: '#!/usr/bin/env python3\n' },
    },
    health: [{ label: 'integrity', value: 'ok', severity: 'ok' }],
    notes: [],
  };
}
