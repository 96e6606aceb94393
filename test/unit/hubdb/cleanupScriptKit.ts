import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bashCleanupScript,
  leftOutReason,
  pythonCleanupScript,
  type CleanupScriptOptions,
  type ScriptLanguage,
  type StaleServer,
} from '../../../src/core/hubdb';
import {
  matchHubRoute,
  type HubServerState,
  type HubUserState,
  type RecordedRequest,
  type RecordingHub,
} from '../../harness/recordingHub';

export const TOKEN = 'hubops-test-token-7f3a9c0d2b';
export const SNAPSHOT = '2025-06-01T12:00:00.000Z';
/** A last activity long before the snapshot, in the DB's form and in the API's. */
export const OLD_DB = '2024-01-01 10:00:00.000000';
export const OLD_API = '2024-01-01T10:00:00Z';

/** --stale-days values that must be refused (the first four are the findings' own: empty, 0, huge, two lines). */
export const BAD_STALE_DAYS: readonly string[] = [
  '',
  '0',
  '99999999999999999999',
  '5\n6',
  '-1',
  '1.5',
  '1e3',
  '36501',
  ' 5',
  '05',
  '\u0663',
  'abc',
  '0x10',
];

export const script = (
  language: ScriptLanguage,
  servers: readonly StaleServer[],
  options?: Partial<CleanupScriptOptions>,
) =>
  (language === 'bash' ? bashCleanupScript : pythonCleanupScript)(servers, {
    days: 30,
    snapshotTime: SNAPSHOT,
    ...options,
  });

export const stale = (user: string, server: string, lastActivity: string | null = OLD_DB): StaleServer => ({
  user,
  server,
  lastActivity,
  idleDays: lastActivity ? 500 : null,
});

/** The hub's state matching the snapshot: every stale server stopped, last used when the DB says. */
export function hubState(
  servers: readonly StaleServer[],
  extra: Record<string, Record<string, HubServerState>> = {},
): Map<string, HubUserState> {
  const users = new Map<string, HubUserState>();
  const user = (name: string) => {
    if (!users.has(name)) users.set(name, { lastActivity: OLD_API, servers: new Map() });
    return users.get(name)!;
  };
  for (const s of servers)
    user(s.user).servers.set(s.server, {
      stopped: true,
      lastActivity: s.lastActivity ? s.lastActivity.replace(' ', 'T').replace(/\.0+$/, '') + 'Z' : null,
      started: null,
    });
  for (const [name, named] of Object.entries(extra))
    for (const [server, state] of Object.entries(named)) user(name).servers.set(server, state);
  return users;
}

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a generated script with real bash or python3, in a clean environment (no proxies). */
export function runScript(
  dir: string,
  language: ScriptLanguage,
  text: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  const file = join(dir, language === 'bash' ? 'remove-stale-servers.sh' : 'remove_stale_servers.py');
  writeFileSync(file, text);
  return new Promise((resolve) => {
    execFile(
      language === 'bash' ? 'bash' : 'python3',
      [file, ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Every way a recorded request strays from what the script may send: a GET of the user's model or the
 * DELETE of one named server in `allowed` (each decoded as tornado would), byte-exact paths in the strict
 * alphabet, the token only in the Authorization header. Empty when all is well.
 */
export function strayRequests(
  requests: readonly RecordedRequest[],
  allowed: readonly StaleServer[],
  options: { basePath?: string; token?: string } = {},
): string[] {
  const base = options.basePath ?? '/';
  const token = options.token ?? TOKEN;
  const servers = new Set(allowed.map((s) => JSON.stringify([s.user, s.server])));
  const users = new Set(allowed.map((s) => s.user));
  const deleted = new Set<string>();
  const problems: string[] = [];
  for (const r of requests) {
    const where = `${r.method} ${r.rawPath.slice(0, 200)}`;
    const route = matchHubRoute(r.rawPath, base);
    const segments = /^[A-Za-z0-9_~%-]+$/;
    if (route === null || route === 'not-utf-8') {
      problems.push(`not a hub API route: ${where}`);
      continue;
    }
    const pathPart = r.rawPath.split('?')[0]!.slice(`${base}hub/api/users/`.length).split('/');
    if (!pathPart.filter((_, i) => i !== 1).every((p) => segments.test(p)))
      problems.push(`not strictly encoded: ${where}`);
    if (r.method === 'GET') {
      if (route.kind !== 'user' || !r.rawPath.endsWith('?include_stopped_servers=1'))
        problems.push(`a GET that is not the user check: ${where}`);
      if (!users.has(route.user)) problems.push(`a GET of a user not in the DB: ${where}`);
    } else if (r.method === 'DELETE') {
      const key = JSON.stringify([route.user, route.server]);
      if (route.kind !== 'server') problems.push(`a DELETE of a user URL: ${where}`);
      else if (!servers.has(key)) problems.push(`a DELETE of a server not in the DB: ${where}`);
      else if (deleted.has(key)) problems.push(`a second DELETE of the same server: ${where}`);
      deleted.add(key);
      if (r.body.toString('utf8') !== '{"remove": true}')
        problems.push(`a DELETE body other than {"remove": true}: ${where}`);
      if (r.rawPath.includes('?')) problems.push(`a DELETE with a query: ${where}`);
    } else {
      problems.push(`method ${r.method}: ${where}`);
    }
    const auth = r.headers.filter(([name]) => name === 'authorization');
    if (auth.length !== 1 || auth[0]![1] !== `token ${token}`)
      problems.push(`Authorization is not the token: ${where}`);
    const elsewhere = [
      r.rawPath,
      r.body.toString('latin1'),
      ...r.headers.filter(([name]) => name !== 'authorization').map(([n, v]) => `${n}: ${v}`),
    ];
    if (elsewhere.some((text) => text.includes(token)))
      problems.push(`the token outside the Authorization header: ${where}`);
  }
  return problems;
}

/** The servers a script for `language` includes (the rest are left out with a comment). */
export const includedIn = (language: ScriptLanguage, servers: readonly StaleServer[]) =>
  servers.filter((s) => leftOutReason(s, language) === null);

export const deletes = (hub: RecordingHub) => hub.requests.filter((r) => r.method === 'DELETE');

/** The (user, server) each DELETE decoded to, in order. */
export const deletedNames = (hub: RecordingHub, basePath = '/') =>
  deletes(hub).map((r) => {
    const route = matchHubRoute(r.rawPath, basePath);
    return route && route !== 'not-utf-8' ? [route.user, route.server ?? null] : null;
  });
