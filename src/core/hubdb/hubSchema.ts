import { selectAll, type ReadableDb } from './sqlRows';

/**
 * Which JupyterHub wrote a database, from its tables and alembic revision
 * (docs/jupyterhub-startup.md). The revision names a schema, not a release: 5.0 through 5.5 share
 * `4621fec11365`, so the DB alone cannot tell 5.3 (the O(N²) start-up) from 5.4.3 (linear).
 */
export type HubSchemaSeries = '6.x' | '5.x' | '4.x' | 'older' | 'unknown';

export interface HubSchemaInfo {
  kind: 'jupyterhub' | 'not-hub';
  /** null for a file that is not a hub DB. */
  series: HubSchemaSeries | null;
  revision: string | null;
  /** The JupyterHub releases that use this revision, e.g. '5.0–5.5'; '' when unknown. */
  jupyterhub: string;
  tables: string[];
  /** One sentence for the operator. */
  summary: string;
}

interface KnownRevision {
  series: Exclude<HubSchemaSeries, 'unknown'>;
  jupyterhub: string;
}

/** Alembic revisions this extension knows, newest first. */
export const KNOWN_REVISIONS: Readonly<Record<string, KnownRevision>> = {
  f460b0348206: { series: '6.x', jupyterhub: '6.0 (beta)' },
  afd65840b69e: { series: '6.x', jupyterhub: '6.0 (pre-release)' },
  '4621fec11365': { series: '5.x', jupyterhub: '5.0–5.5' },
  '3c2384c5aae1': { series: '4.x', jupyterhub: '4.x' },
  '0eee8c825d24': { series: '4.x', jupyterhub: '4.x' },
  '651f5419b74d': { series: 'older', jupyterhub: '3.x' },
  '833da8570507': { series: 'older', jupyterhub: '2.x' },
  '4dc2d5a8c53c': { series: 'older', jupyterhub: '1.x' },
  '99a28a4418e1': { series: 'older', jupyterhub: '1.0' },
  '896818069c98': { series: 'older', jupyterhub: '0.9' },
  '1cebaf56856c': { series: 'older', jupyterhub: '0.9' },
  '56cc5a70207e': { series: 'older', jupyterhub: '0.9' },
  '3ec6993fe20c': { series: 'older', jupyterhub: '0.8' },
  eeb276e51423: { series: 'older', jupyterhub: '0.8' },
  af4cbdb2d13c: { series: 'older', jupyterhub: '0.7' },
  '19c0846f6344': { series: 'older', jupyterhub: '0.5' },
};

/** The tables without which the start-up analysis has nothing to say. */
const HUB_TABLES = ['users', 'spawners'];

export function classifyHubSchema(db: ReadableDb): HubSchemaInfo {
  const tables = selectAll(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) =>
    String(r[0]),
  );
  const present = new Set(tables);
  const missing = HUB_TABLES.filter((t) => !present.has(t));
  if (missing.length > 0)
    return {
      kind: 'not-hub',
      series: null,
      revision: null,
      jupyterhub: '',
      tables,
      summary: `This is not a JupyterHub database: it has no ${missing.join(' or ')} table${missing.length > 1 ? 's' : ''}. The explorer can still browse it; the start-up analysis needs a hub DB.`,
    };

  if (!present.has('alembic_version'))
    return {
      kind: 'jupyterhub',
      series: 'unknown',
      revision: null,
      jupyterhub: '',
      tables,
      summary:
        'This looks like a JupyterHub database (users and spawners tables) but has no alembic_version table, so its schema version is unknown: a hand-made or very old DB. The analysis uses what the tables allow.',
    };

  const revisions = selectAll(db, 'SELECT version_num FROM alembic_version').map((r) => String(r[0]));
  if (revisions.length !== 1)
    return {
      kind: 'jupyterhub',
      series: 'unknown',
      revision: revisions[0] ?? null,
      jupyterhub: '',
      tables,
      summary: `The alembic_version table holds ${revisions.length} revisions (one is normal): the schema version is unclear. The analysis uses what the tables allow.`,
    };
  const revision = revisions[0]!;
  const known = Object.prototype.hasOwnProperty.call(KNOWN_REVISIONS, revision) ? KNOWN_REVISIONS[revision] : undefined;
  if (!known)
    return {
      kind: 'jupyterhub',
      series: 'unknown',
      revision,
      jupyterhub: '',
      tables,
      summary: `The alembic revision '${revision.slice(0, 64)}' is not one this extension knows: a newer JupyterHub or a modified schema. The explorer works; the analysis uses what the tables allow and assumes the slowest start-up it knows.`,
    };
  return {
    kind: 'jupyterhub',
    series: known.series,
    revision,
    jupyterhub: known.jupyterhub,
    tables,
    summary: `JupyterHub ${known.jupyterhub} schema (alembic ${revision}).`,
  };
}
