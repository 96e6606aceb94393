import { REDACTED, type Cell } from '../../src/protocol/explorerProtocol';
import { formatBytes, formatCount } from '../../src/shared/format';
import { inertText } from '../../src/shared/untrustedText';

/** How one cell reads in the grid, and the class that styles it (null, number, secret, blob, long text). */
export function cellView(cell: Cell): { text: string; kind: string } {
  if (cell === null) return { text: 'NULL', kind: 'null' };
  if (typeof cell === 'number') return { text: String(cell), kind: 'number' };
  if (typeof cell === 'string') {
    if (cell === REDACTED) return { text: cell, kind: 'redacted' };
    const text = inertText(cell, 'line');
    return { text, kind: text === cell ? 'text' : 'text has-invisibles' };
  }
  if (cell.kind === 'blob')
    return {
      text: `‹blob ${formatBytes(cell.bytes)}› ${cell.hexPrefix}${cell.bytes > cell.hexPrefix.length / 2 ? '…' : ''}`,
      kind: 'blob',
    };
  return { text: `${inertText(cell.preview, 'line')}… (${formatCount(cell.length)} chars)`, kind: 'long' };
}

/** True when what the grid holds is not the whole value (copying fetches it from the worker). */
export const isPartial = (cell: Cell): boolean => typeof cell === 'object' && cell !== null;
