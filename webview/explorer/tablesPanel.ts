import type { TableInfo } from '../../src/protocol/explorerProtocol';
import { el } from '../shared/dom';
import { formatCount } from '../../src/shared/format';
import { inertText } from '../../src/shared/untrustedText';

/**
 * The tables and views of the DB with their row counts; each opens to its schema (columns, types,
 * keys, indexes, which columns hold secrets). Clicking a name queries the table.
 */
export function tablesPanel(tables: TableInfo[], onOpen: (table: TableInfo) => void): HTMLElement {
  if (tables.length === 0) return el('p', { className: 'muted' }, 'This database has no tables.');
  return el(
    'ul',
    { className: 'tables', attrs: { 'aria-label': 'Tables' } },
    ...tables.map((table) =>
      el(
        'li',
        { className: 'table-entry' },
        el(
          'details',
          {},
          el(
            'summary',
            { attrs: { title: table.problem ?? `${table.kind} ${inertText(table.name, 'line')}` } },
            el(
              'span',
              { className: `table-name${table.kind === 'view' ? ' is-view' : ''}` },
              inertText(table.name, 'line'),
            ),
            el(
              'span',
              { className: `table-count${table.rowCount === null ? ' problem' : ''}` },
              table.rowCount === null ? '?' : formatCount(table.rowCount),
            ),
          ),
          schema(table),
        ),
        el(
          'button',
          {
            className: 'table-open',
            attrs: { title: `Query ${inertText(table.name, 'line')}`, 'aria-label': `Query ${table.name}` },
            on: { click: () => onOpen(table) },
          },
          '▶',
        ),
      ),
    ),
  );
}

function schema(table: TableInfo): HTMLElement {
  return el(
    'div',
    { className: 'schema' },
    table.problem ? el('p', { className: 'problem' }, table.problem) : null,
    el(
      'table',
      { className: 'schema-columns' },
      el('thead', {}, el('tr', {}, el('th', {}, 'column'), el('th', {}, 'type'), el('th', {}, ''))),
      el(
        'tbody',
        {},
        ...table.columns.map((c) =>
          el(
            'tr',
            {},
            el('td', { className: 'mono' }, inertText(c.name, 'line')),
            el('td', { className: 'mono muted' }, c.type || '—'),
            el(
              'td',
              { className: 'flags' },
              [
                c.primaryKey ? 'PK' : '',
                c.notNull ? 'NOT NULL' : '',
                c.treatment === 'redact' ? 'secret' : c.treatment === 'json' ? 'secret keys hidden' : '',
                c.defaultValue !== null ? `= ${c.defaultValue}` : '',
              ]
                .filter(Boolean)
                .join(' · '),
            ),
          ),
        ),
      ),
    ),
    table.indexes.length
      ? el(
          'ul',
          { className: 'schema-indexes' },
          ...table.indexes.map((i) =>
            el(
              'li',
              { className: 'mono' },
              inertText(`${i.unique ? 'UNIQUE ' : ''}${i.name} (${i.columns.join(', ')})`, 'line'),
            ),
          ),
        )
      : el('p', { className: 'muted small' }, table.kind === 'view' ? 'A view.' : 'No indexes.'),
  );
}
