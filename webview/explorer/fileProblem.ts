import type { ErrorInfo, FileInfo } from '../../src/protocol/explorerProtocol';
import { el } from '../shared/dom';
import { formatBytes } from '../../src/shared/format';
import { inertText } from '../../src/shared/untrustedText';

const HINTS: Record<string, string> = {
  empty:
    'Copy the file again from the hub pod, e.g. kubectl cp <namespace>/<hub pod>:/srv/jupyterhub/jupyterhub.sqlite ./jupyterhub.sqlite',
  truncated:
    'The copy stopped early. Take a consistent snapshot in the hub pod with sqlite3 jupyterhub.sqlite ".backup /tmp/snapshot.sqlite" and copy that.',
  'not-sqlite':
    'Check that this is the hub database (hub.db.type sqlite-pvc keeps it at /srv/jupyterhub/jupyterhub.sqlite). Hubs on PostgreSQL or MySQL have no file to open.',
  corrupt:
    'Take a fresh snapshot with sqlite3 ".backup"; if the hub itself reports "database disk image is malformed", restore from a backup.',
};

/** The editor's content when a file cannot be opened: what, why, and what to do; never a blank page. */
export function fileProblem(file: FileInfo, error: ErrorInfo): HTMLElement {
  const code = error.code.replace(/^hubdb\./, '');
  return el(
    'section',
    { className: 'file-problem', attrs: { role: 'alert' } },
    el('h1', {}, `Cannot open ${inertText(file.name, 'line')}`),
    el('p', { className: 'problem-message' }, error.message),
    HINTS[code] ? el('p', { className: 'hint' }, HINTS[code]) : null,
    el('p', { className: 'muted small' }, `${formatBytes(file.bytes)} · ${error.code}`),
  );
}
