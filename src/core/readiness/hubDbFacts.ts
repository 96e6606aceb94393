import type { HubDbAnalysis } from '../hubdb/analyzer';
import type { OpenedDb } from '../hubdb/openHubDb';

/** The hub DB code: in the extension a bundle of its own (the analyzer), loaded with the first DB read. */
type HubDbCode = typeof import('../hubdb');

/**
 * Why JupyterHub 6.0 rejects a named server's name, or null when it accepts it: 1–30 characters of
 * lowercase ASCII letters, digits and single hyphens, starting with a letter and ending with a letter or
 * digit.
 */
export function jupyterhub6NameProblem(name: string): string | null {
  if (name.length === 0) return 'empty';
  if (name.length > 30) return 'longer than 30 characters';
  if (!/^[a-z0-9-]+$/.test(name)) return 'characters other than a–z, 0–9 and -';
  if (!/^[a-z]/.test(name)) return 'does not start with a letter';
  if (name.includes('--')) return 'a double hyphen';
  if (name.endsWith('-')) return 'ends with a hyphen';
  return null;
}

export interface NamedServerFacts {
  namedServers: number;
  usersWithNamed: number;
  /** The users with the most named servers (at most 5). */
  top: { user: string; named: number }[];
  /** Named servers whose names JupyterHub 6.0 rejects. */
  rejectedBy6: number;
  /** A few of them, for the report (at most 20). */
  rejectedExamples: { user: string; server: string; problem: string }[];
}

export interface HubDbFacts {
  status: 'analysed';
  /** Where the snapshot came from, e.g. its file name and time. */
  source: string;
  analysis: Pick<HubDbAnalysis, 'verdict' | 'selected' | 'counts' | 'notes'> & {
    /** The estimate the verdict is for (the hub's version, or the worst its schema allows). */
    estimate: HubDbAnalysis['startup'][number];
  };
  named: NamedServerFacts;
  /** The analyzer's suggestion for `hub.namedServerLimitPerUser` (from the DB's own spread). */
  suggestedNamedServerLimit: number;
}

export type HubDbInput = HubDbFacts | { status: 'not-given' } | { status: 'unreadable'; reason: string };

const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

export function namedServerFacts(
  { selectAll, iterateRows }: Pick<HubDbCode, 'selectAll' | 'iterateRows'>,
  opened: OpenedDb,
): NamedServerFacts {
  const db = opened.db;
  const top = selectAll(
    db,
    `SELECT u.name, COUNT(*) FROM spawners s JOIN users u ON u.id = s.user_id
     WHERE s.name IS NOT NULL AND s.name != '' GROUP BY u.id ORDER BY 2 DESC, u.name LIMIT 5`,
  ).map((r) => ({ user: text(r[0]), named: Number(r[1]) }));
  const [totals] = selectAll(
    db,
    `SELECT COUNT(*), COUNT(DISTINCT s.user_id) FROM spawners s JOIN users u ON u.id = s.user_id
     WHERE s.name IS NOT NULL AND s.name != ''`,
  );
  let rejected = 0;
  const examples: NamedServerFacts['rejectedExamples'] = [];
  for (const [user, server] of iterateRows(
    db,
    `SELECT u.name, s.name FROM spawners s JOIN users u ON u.id = s.user_id
     WHERE s.name IS NOT NULL AND s.name != '' ORDER BY u.name, s.name`,
  )) {
    const problem = jupyterhub6NameProblem(text(server));
    if (!problem) continue;
    rejected++;
    if (examples.length < 20) examples.push({ user: text(user), server: text(server), problem });
  }
  return {
    namedServers: Number(totals?.[0] ?? 0),
    usersWithNamed: Number(totals?.[1] ?? 0),
    top,
    rejectedBy6: rejected,
    rejectedExamples: examples,
  };
}

/** A hub DB snapshot as the readiness check is given it. */
export interface HubDbSnapshot {
  bytes: Uint8Array;
  walBytes?: Uint8Array;
  source: string;
  wasmPath?: string;
}

/** Opens `snapshot` read-only and reads its facts (see hubDbFacts); an unreadable file says why. */
export async function readHubDbFacts(
  snapshot: HubDbSnapshot,
  options: { jupyterhubVersion: string | null; memoryLimitBytes: number | null; now?: Date },
): Promise<HubDbInput> {
  const code = await import('../hubdb');
  const opened = await code.openHubDb(snapshot.bytes, {
    ...(snapshot.walBytes ? { walBytes: snapshot.walBytes } : {}),
    ...(snapshot.wasmPath ? { wasmPath: snapshot.wasmPath } : {}),
  });
  if (!opened.ok) return { status: 'unreadable', reason: `${snapshot.source}: ${opened.error.userMessage}` };
  try {
    return hubDbFacts(code, opened.value, { ...options, source: snapshot.source });
  } finally {
    opened.value.close();
  }
}

/** The start-up cost at the hub's version and the named-server facts of one snapshot. */
export function hubDbFacts(
  code: HubDbCode,
  opened: OpenedDb,
  options: { source: string; jupyterhubVersion: string | null; memoryLimitBytes: number | null; now?: Date },
): HubDbInput {
  const result = code.analyzeHubDb(opened, {
    ...(options.jupyterhubVersion ? { jupyterhubVersion: options.jupyterhubVersion } : {}),
    memoryLimitBytes: options.memoryLimitBytes,
    ...(options.now ? { now: options.now } : {}),
    offenderLimit: 1,
    staleLimit: 1,
  });
  if (!result.ok) return { status: 'unreadable', reason: result.error.userMessage };
  const a = result.value;
  const estimate = a.selected ?? a.startup.find((s) => s.family === a.verdict.family) ?? a.startup.at(-1)!;
  let named: NamedServerFacts;
  try {
    named = namedServerFacts(code, opened);
  } catch (error) {
    return { status: 'unreadable', reason: `named servers not readable: ${String(error).slice(0, 200)}` };
  }
  return {
    status: 'analysed',
    source: options.source,
    analysis: { verdict: a.verdict, selected: a.selected, counts: a.counts, notes: a.notes, estimate },
    named,
    suggestedNamedServerLimit: a.remediation.namedServerLimit.suggested,
  };
}
