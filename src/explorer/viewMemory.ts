import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SavedView } from '../protocol/explorerProtocol';
import { isRecord } from '../shared/guards';

/** How many files' views are kept (the oldest go first). */
const MAX_FILES = 200;

/**
 * What each explorer tab showed, per file, kept by the extension across window reloads (a reloaded page
 * may lose its own webview state): the tab and the last analysis run. A small JSON file in the
 * extension's storage, read once, written whole (temp file and rename) on each change.
 */
export class ViewMemory {
  private views: Map<string, SavedView> | undefined;

  constructor(private readonly file: string) {}

  get(key: string): SavedView | null {
    return this.load().get(key) ?? null;
  }

  update(key: string, change: Partial<SavedView>): void {
    const views = this.load();
    const next: SavedView = { tab: 'data', analysis: null, ...views.get(key), ...change };
    views.delete(key);
    views.set(key, next);
    for (const old of [...views.keys()].slice(0, Math.max(0, views.size - MAX_FILES))) views.delete(old);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(`${this.file}.partial`, JSON.stringify(Object.fromEntries(views)), { mode: 0o600 });
      renameSync(`${this.file}.partial`, this.file);
    } catch {
      // Only a convenience: a reloaded page then starts as a fresh one.
    }
  }

  private load(): Map<string, SavedView> {
    if (this.views) return this.views;
    this.views = new Map();
    try {
      const raw: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (isRecord(raw))
        for (const [key, value] of Object.entries(raw)) {
          const view = savedViewOf(value);
          if (view) this.views.set(key, view);
        }
    } catch {
      // Missing or damaged: nothing remembered.
    }
    return this.views;
  }
}

/** A remembered view, taken field by field (the file may be old or edited). */
function savedViewOf(value: unknown): SavedView | null {
  if (!isRecord(value)) return null;
  const tab = value.tab === 'analysis' ? 'analysis' : 'data';
  const a = value.analysis;
  if (!isRecord(a)) return { tab, analysis: null };
  const version = typeof a.jupyterhubVersion === 'string' ? a.jupyterhubVersion.slice(0, 100) : undefined;
  const limit =
    typeof a.memoryLimitBytes === 'number' && Number.isFinite(a.memoryLimitBytes) && a.memoryLimitBytes > 0
      ? a.memoryLimitBytes
      : undefined;
  return {
    tab,
    analysis: {
      ...(version !== undefined ? { jupyterhubVersion: version } : {}),
      ...(limit !== undefined ? { memoryLimitBytes: limit } : {}),
    },
  };
}
