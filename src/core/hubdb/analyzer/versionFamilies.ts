import type { HubSchemaSeries } from '../hubSchema';

/**
 * JupyterHub releases grouped by how `init_spawners` loads running servers at start-up
 * (docs/jupyterhub-startup.md).
 */
export type VersionFamilyId = '4.x' | '5.0-5.3' | '5.4.0-5.4.2' | '5.4.3+' | '6.x';

export interface VersionFamily {
  id: VersionFamilyId;
  /** The release range, as the operator reads it. */
  jupyterhub: string;
  /** How the running servers are loaded, in one line. */
  form: string;
  /** Whether the main statement is the O(N²) join of the incident. */
  quadratic: boolean;
}

export const VERSION_FAMILIES: readonly VersionFamily[] = [
  {
    id: '4.x',
    jupyterhub: '4.0.0-4.1.6',
    form: "iterate servers; lazy-load each server's spawner, its user and the user's spawners (N+1 statements)",
    quadratic: false,
  },
  {
    id: '5.0-5.3',
    jupyterhub: '5.0.0-5.3.0',
    form: 'users JOIN spawners with joinedload(User._orm_spawners): Σ running(u) × spawners(u) rows',
    quadratic: true,
  },
  {
    id: '5.4.0-5.4.2',
    jupyterhub: '5.4.0-5.4.2',
    form: 'users JOIN spawners with contains_eager: one row per running server (stopped named servers drop out, issue 5211)',
    quadratic: false,
  },
  {
    id: '5.4.3+',
    jupyterhub: '5.4.3-5.5.x',
    form: 'running spawners, then selectin loads of their users and those users spawners (≤ 500 keys a statement)',
    quadratic: false,
  },
  {
    id: '6.x',
    jupyterhub: '6.0.0+',
    form: 'as 5.4.3+ (running spawners plus selectin loads), on the 6.x schema',
    quadratic: false,
  },
];

export function familyById(id: VersionFamilyId): VersionFamily {
  return VERSION_FAMILIES.find((f) => f.id === id)!;
}

export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
  /** The text after the numbers: 'b1', 'rc2', '.dev0', … */
  suffix: string;
}

/** Parses '5.3.0', 'v5.4.3', '6.0.0b1', '4.1' (missing parts are 0); null when it is not a version. */
export function parseJupyterHubVersion(text: string): ParsedVersion | null {
  const match = /^\s*v?(\d{1,3})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?([A-Za-z0-9.+-]{0,40})\s*$/.exec(text);
  if (!match) return null;
  return {
    major: Number(match[1]),
    minor: Number(match[2] ?? 0),
    patch: Number(match[3] ?? 0),
    suffix: match[4] ?? '',
  };
}

/**
 * The family of a release, with a note when the mapping is an assumption (releases before 4.0 load
 * like 4.x; releases after 6.x are assumed to load like 6.x). null for text that is not a version.
 */
export function familyForVersion(text: string): { family: VersionFamily; note: string | null } | null {
  const v = parseJupyterHubVersion(text);
  if (!v) return null;
  const { major, minor, patch } = v;
  // A pre-release of x.y.0 (5.4.0b1) behaves as the release it precedes for this purpose.
  if (major < 4)
    return {
      family: familyById('4.x'),
      note: `JupyterHub ${text.trim()} is older than 4.0: its start-up loads servers one by one, like 4.x (estimated with the 4.x model).`,
    };
  if (major === 4) return { family: familyById('4.x'), note: null };
  if (major === 5) {
    if (minor <= 3) return { family: familyById('5.0-5.3'), note: null };
    if (minor === 4 && patch <= 2) return { family: familyById('5.4.0-5.4.2'), note: null };
    return { family: familyById('5.4.3+'), note: null };
  }
  if (major === 6) return { family: familyById('6.x'), note: null };
  return {
    family: familyById('6.x'),
    note: `JupyterHub ${text.trim()} is newer than this extension knows: estimated as 6.x.`,
  };
}

/**
 * The family to assume when the hub's version is not known, from the DB's schema series: the slowest
 * start-up the schema allows (5.x DBs come from 5.0–5.5, and 5.0–5.3 is the O(N²) one).
 */
export function worstFamilyForSchema(series: HubSchemaSeries | null): VersionFamily {
  switch (series) {
    case '4.x':
    case 'older':
      return familyById('4.x');
    case '6.x':
      return familyById('6.x');
    default:
      return familyById('5.0-5.3');
  }
}
