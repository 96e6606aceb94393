/**
 * Snapshot files on disk: a safe file name per (context, namespace, time), a small JSON sidecar next to
 * each snapshot (where it came from, size, sha256, quick_check), listing and deleting them.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { err, ok, UserError, type Result } from '../result';

export interface SnapshotInfo {
  /** The snapshot file (absolute). */
  file: string;
  context: string;
  namespace: string;
  pod: string;
  container: string;
  dbPath: string;
  /** ISO 8601, when the copy finished. */
  takenAt: string;
  bytes: number;
  sha256: string;
  /** 'ok' (a snapshot that failed its check is never kept). */
  quickCheck: string;
  /** How the copy was made in the container. */
  method: 'python3' | 'sqlite3';
  /**
   * The settings the hub ran with when the snapshot was taken, as detected from the cluster (null where
   * none was): an analysis at these is evidence, any other a what-if. Absent in sidecars written before.
   */
  hubSettings?: { jupyterhubVersion: string | null; memoryLimitBytes: number | null };
}

const SIDECAR_SUFFIX = '.json';
export const sidecarOf = (file: string) => file + SIDECAR_SUFFIX;

/** A file-name part: letters, digits, '.', '-' and '_' only, no leading dot, at most `max` characters. */
function safePart(text: string, max: number): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .replace(/_+$/, '')
    .slice(0, max);
  return cleaned || 'unnamed';
}

/** e.g. `hubdb-prod-eks_us-east-1-hub-physics-20250602T130512Z.sqlite` (UTC, sorts by time). */
export function snapshotFileName(context: string, namespace: string, date: Date): string {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `hubdb-${safePart(context, 60)}-${safePart(namespace, 63)}-${stamp}.sqlite`;
}

/** Writes the sidecar atomically (temp file + rename). */
export async function writeSidecar(info: SnapshotInfo): Promise<void> {
  const target = sidecarOf(info.file);
  const temp = `${target}.partial`;
  const { file: _file, ...rest } = info;
  await writeFile(temp, JSON.stringify({ snapshot: basename(info.file), ...rest }, null, 2) + '\n', { mode: 0o600 });
  await rename(temp, target);
}

export interface SnapshotListing {
  /** Newest first. */
  snapshots: SnapshotInfo[];
  /** Sidecars that could not be read, or whose snapshot file is gone. */
  problems: { file: string; message: string }[];
}

const fields = [
  'context',
  'namespace',
  'pod',
  'container',
  'dbPath',
  'takenAt',
  'sha256',
  'quickCheck',
  'method',
] as const;

/** The snapshots in a folder, from their sidecars. A missing folder is an empty list. */
export async function listSnapshots(dir: string): Promise<SnapshotListing> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { snapshots: [], problems: [] };
    throw error;
  }
  const present = new Set(names);
  const listing: SnapshotListing = { snapshots: [], problems: [] };
  for (const name of names.filter((n) => n.endsWith(`.sqlite${SIDECAR_SUFFIX}`))) {
    const sidecar = join(dir, name);
    const snapshotName = name.slice(0, -SIDECAR_SUFFIX.length);
    if (!present.has(snapshotName)) {
      listing.problems.push({
        file: sidecar,
        message: `The snapshot ${snapshotName} described by this sidecar is gone.`,
      });
      continue;
    }
    try {
      const raw = JSON.parse(await readFile(sidecar, 'utf8')) as Record<string, unknown>;
      const missing = fields.filter((f) => typeof raw[f] !== 'string');
      if (missing.length > 0 || typeof raw.bytes !== 'number')
        throw new Error(`missing ${[...missing, 'bytes'].join(', ')}`);
      const info = { file: join(dir, snapshotName), bytes: raw.bytes } as SnapshotInfo;
      for (const f of fields) (info as unknown as Record<string, unknown>)[f] = raw[f];
      const settings = hubSettingsOf(raw.hubSettings);
      if (settings) info.hubSettings = settings;
      listing.snapshots.push(info);
    } catch (error) {
      listing.problems.push({
        file: sidecar,
        message: `Unreadable snapshot sidecar: ${(error as Error).message.slice(0, 200)}`,
      });
    }
  }
  listing.snapshots.sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0));
  return listing;
}

/** A sidecar's hub settings, when they are well formed (a sidecar may be edited by hand). */
function hubSettingsOf(raw: unknown): SnapshotInfo['hubSettings'] {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { jupyterhubVersion: version, memoryLimitBytes: limit } = raw as Record<string, unknown>;
  const versionOk = version === null || (typeof version === 'string' && version.length <= 100);
  const limitOk = limit === null || (typeof limit === 'number' && Number.isFinite(limit) && limit > 0);
  return versionOk && limitOk
    ? { jupyterhubVersion: version as string | null, memoryLimitBytes: limit as number | null }
    : undefined;
}

/** Removes a snapshot and its sidecar. */
export async function deleteSnapshot(file: string): Promise<Result<void, UserError>> {
  try {
    await rm(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return err(
        new UserError(
          `Could not delete ${basename(file)} in ${dirname(file)}: ${(error as Error).message}`,
          'delete-failed',
          { cause: error },
        ),
      );
  }
  await rm(sidecarOf(file), { force: true });
  return ok(undefined);
}
