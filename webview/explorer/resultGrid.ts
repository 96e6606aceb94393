import type { Cell, ResultInfo } from '../../src/protocol/explorerProtocol';
import { el, replaceChildren } from '../shared/dom';
import { DynamicStyles } from '../shared/dynamicStyles';
import { inertText } from '../../src/shared/untrustedText';
import { cellView, isPartial } from './cellView';

/** What the grid needs from the page: rows by range, whole cell values, sorting, the clipboard. */
export interface GridSource {
  fetchRows(offset: number, limit: number): Promise<Cell[][] | undefined>;
  fetchCell(row: number, column: number): Promise<string | undefined>;
  sort(column: number, direction: 'asc' | 'desc' | 'none'): void;
  copy(text: string): void;
}

export const ROW_HEIGHT = 22;
const PAGE_ROWS = 200;
const MAX_CACHED_PAGES = 50;
/** Browsers stop laying out somewhere past 16–33 million px: beyond this the scrollbar is scaled. */
const MAX_BODY_PX = 8_000_000;
let instances = 0;

/**
 * A virtualized result grid: only the rows on screen exist in the DOM, fetched from the worker a
 * page at a time as the operator scrolls (a million rows cost the same as a hundred). Positions
 * and column widths live in a constructed stylesheet, never in style attributes.
 */
export class ResultGrid {
  readonly element: HTMLElement;
  private readonly id = `g${++instances}`;
  private readonly body: HTMLElement;
  private readonly rowsLayer: HTMLElement;
  private readonly styles = new DynamicStyles();
  private readonly pages = new Map<number, Cell[][]>();
  private readonly requested = new Set<number>();
  private selected: { row: number; column: number } | undefined;
  private frame = 0;
  private readonly seenWidths: number[];
  private disposed = false;

  constructor(
    private readonly info: ResultInfo,
    private readonly source: GridSource,
  ) {
    const header = el(
      'div',
      { className: 'grid-row grid-header', attrs: { role: 'row' } },
      el('div', { className: 'grid-cell grid-rownum', attrs: { role: 'columnheader' } }, '#'),
      ...info.columns.map((name, column) => this.headerCell(name, column)),
    );
    this.seenWidths = info.columns.map((name) => Math.max(4, name.length + 2));
    this.rowsLayer = el('div', { className: 'grid-rows', attrs: { role: 'rowgroup' } });
    this.body = el('div', { className: 'grid-body' }, this.rowsLayer);
    this.element = el(
      'div',
      {
        className: `grid ${this.id}`,
        attrs: { role: 'grid', tabindex: 0, 'aria-rowcount': info.rowCount, 'aria-colcount': info.columns.length },
        on: {
          scroll: () => this.schedule(),
          keydown: (event) => this.onKey(event),
          click: (event) => this.onClick(event),
        },
      },
      header,
      this.body,
    );
    new ResizeObserver(() => this.schedule()).observe(this.element);
    this.schedule();
  }

  /** Copies the selected cell's whole value. */
  async copySelectedCell(): Promise<boolean> {
    if (!this.selected) return false;
    const text = await this.cellText(this.selected.row, this.selected.column);
    if (text === undefined) return false;
    this.source.copy(text);
    return true;
  }

  /** Copies the selected row as tab-separated values. */
  async copySelectedRow(): Promise<boolean> {
    if (!this.selected) return false;
    const texts = await Promise.all(this.info.columns.map((_, column) => this.cellText(this.selected!.row, column)));
    if (texts.some((t) => t === undefined)) return false;
    this.source.copy(texts.join('\t'));
    return true;
  }

  get hasSelection(): boolean {
    return this.selected !== undefined;
  }

  /** Selects a cell (0-based row) and scrolls it into view. */
  select(row: number, column: number): void {
    if (this.info.rowCount === 0) return;
    this.selected = {
      row: Math.max(0, Math.min(this.info.rowCount - 1, row)),
      column: Math.max(0, Math.min(this.info.columns.length - 1, column)),
    };
    this.scrollToRow(this.selected.row);
    this.schedule();
    this.element.dispatchEvent(new CustomEvent('selectionchange'));
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.frame);
    this.styles.dispose();
  }

  private headerCell(name: string, column: number): HTMLElement {
    const sort = this.info.sort?.column === column ? this.info.sort.direction : 'none';
    const next = sort === 'none' ? 'asc' : sort === 'asc' ? 'desc' : 'none';
    return el(
      'button',
      {
        className: `grid-cell grid-head sort-${sort}`,
        attrs: {
          role: 'columnheader',
          'aria-sort': sort === 'none' ? 'none' : sort === 'asc' ? 'ascending' : 'descending',
          title: `Sort by ${inertText(name, 'line')} (${next === 'none' ? 'original order' : next === 'asc' ? 'ascending' : 'descending'})`,
          'data-column': column,
        },
        on: { click: (event) => (event.stopPropagation(), this.source.sort(column, next)) },
      },
      el('span', { className: 'grid-head-name' }, inertText(name, 'line')),
      el(
        'span',
        { className: 'sort-mark', attrs: { 'aria-hidden': 'true' } },
        sort === 'asc' ? '▲' : sort === 'desc' ? '▼' : '',
      ),
    );
  }

  private schedule(): void {
    if (this.disposed || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Which rows are on screen, where the row layer sits, and how tall the scrollable body is. */
  private layout(): { first: number; count: number; top: number; bodyHeight: number } {
    const rows = this.info.rowCount;
    const viewport = Math.max(ROW_HEIGHT, this.element.clientHeight - ROW_HEIGHT);
    const visible = Math.ceil(viewport / ROW_HEIGHT) + 1;
    const fullHeight = rows * ROW_HEIGHT;
    const scrollTop = this.element.scrollTop;
    if (fullHeight <= MAX_BODY_PX) {
      const first = Math.min(Math.floor(scrollTop / ROW_HEIGHT), Math.max(0, rows - 1));
      return { first, count: Math.min(visible, rows - first), top: first * ROW_HEIGHT, bodyHeight: fullHeight };
    }
    // Scaled: the scrollbar's position is a fraction of the rows; the row layer follows the viewport.
    const maxScroll = MAX_BODY_PX - viewport;
    const lastFirst = rows - Math.floor(viewport / ROW_HEIGHT);
    const first = Math.round((Math.min(scrollTop, maxScroll) / maxScroll) * lastFirst);
    return {
      first,
      count: Math.min(visible, rows - first),
      top: Math.min(scrollTop, maxScroll),
      bodyHeight: MAX_BODY_PX,
    };
  }

  private scrollToRow(row: number): void {
    const viewport = Math.max(ROW_HEIGHT, this.element.clientHeight - ROW_HEIGHT);
    const { first } = this.layout();
    const fullRows = Math.floor(viewport / ROW_HEIGHT);
    if (row >= first && row < first + fullRows) return;
    const target = row < first ? row : row - fullRows + 1;
    const fullHeight = this.info.rowCount * ROW_HEIGHT;
    if (fullHeight <= MAX_BODY_PX) this.element.scrollTop = target * ROW_HEIGHT;
    else {
      const lastFirst = this.info.rowCount - fullRows;
      this.element.scrollTop = (target / lastFirst) * (MAX_BODY_PX - viewport);
    }
  }

  private render(): void {
    const { first, count, top, bodyHeight } = this.layout();
    const rows: HTMLElement[] = [];
    for (let row = first; row < first + count; row++) rows.push(this.rowElement(row));
    replaceChildren(this.rowsLayer, ...rows);
    this.requestPages(first, count);
    const g = `.${this.id}`;
    this.styles.set(
      `${g} .grid-row { grid-template-columns: ${this.columnWidths()}; height: ${ROW_HEIGHT}px; }\n` +
        `${g} .grid-body { height: ${bodyHeight}px; }\n` +
        `${g} .grid-rows { transform: translateY(${top}px); }`,
    );
  }

  private rowElement(row: number): HTMLElement {
    const page = this.pages.get(Math.floor(row / PAGE_ROWS));
    const cells = page?.[row % PAGE_ROWS];
    const selectedRow = this.selected?.row === row;
    return el(
      'div',
      {
        className: `grid-row${selectedRow ? ' selected-row' : ''}${cells ? '' : ' loading'}`,
        attrs: { role: 'row', 'aria-rowindex': row + 2, 'data-row': row },
      },
      el('div', { className: 'grid-cell grid-rownum', attrs: { role: 'rowheader' } }, row + 1),
      ...this.info.columns.map((_, column) => {
        const view = cells ? cellView(cells[column] ?? null) : { text: '', kind: 'pending' };
        const selected = selectedRow && this.selected?.column === column;
        return el(
          'div',
          {
            className: `grid-cell cell-${view.kind}${selected ? ' selected' : ''}`,
            attrs: { role: 'gridcell', 'data-column': column, 'aria-selected': selected ? 'true' : undefined },
          },
          view.text,
        );
      }),
    );
  }

  private requestPages(first: number, count: number): void {
    if (count <= 0) return;
    const lastPage = Math.floor((first + count - 1) / PAGE_ROWS);
    for (let page = Math.floor(first / PAGE_ROWS); page <= lastPage; page++) {
      const cached = this.pages.get(page);
      if (cached) {
        // Most recently used goes last; the oldest is evicted first.
        this.pages.delete(page);
        this.pages.set(page, cached);
        continue;
      }
      if (this.requested.has(page)) continue;
      this.requested.add(page);
      void this.source.fetchRows(page * PAGE_ROWS, PAGE_ROWS).then((rows) => {
        this.requested.delete(page);
        if (!rows || this.disposed) return;
        this.pages.set(page, rows);
        this.noteWidths(rows);
        while (this.pages.size > MAX_CACHED_PAGES) this.pages.delete(this.pages.keys().next().value!);
        this.schedule();
      });
    }
  }

  /**
   * Column widths in `ch` from the header and the rows fetched so far (see noteWidths). They only grow
   * (capped), so a column never jumps narrower under the reader's eyes.
   */
  private columnWidths(): string {
    // `ch` counts characters; the extra pixels are the cell's padding and border.
    const rownum = `calc(${String(this.info.rowCount).length}ch + 18px)`;
    return [rownum, ...this.seenWidths.map((w) => `calc(${w}ch + 18px)`)].join(' ');
  }

  private noteWidths(rows: Cell[][]): void {
    for (const row of rows)
      row.forEach((cell, column) => {
        const width = Math.min(48, cellView(cell).text.length);
        if (width > (this.seenWidths[column] ?? 0)) this.seenWidths[column] = width;
      });
  }

  private async cellText(row: number, column: number): Promise<string | undefined> {
    const cell = this.pages.get(Math.floor(row / PAGE_ROWS))?.[row % PAGE_ROWS]?.[column];
    if (cell === undefined || isPartial(cell)) return this.source.fetchCell(row, column);
    return cell === null ? '' : String(cell);
  }

  private onClick(event: MouseEvent): void {
    const cell = (event.target as Element).closest('[data-column]');
    const row = cell?.closest('[data-row]');
    if (!cell || !row) return;
    this.select(Number(row.getAttribute('data-row')), Number(cell.getAttribute('data-column')));
  }

  private onKey(event: KeyboardEvent): void {
    const copy = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c';
    if (copy && this.selected) {
      event.preventDefault();
      void (event.shiftKey ? this.copySelectedRow() : this.copySelectedCell());
      return;
    }
    const moves: Record<string, [number, number]> = {
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const from = this.selected ?? { row: this.layout().first, column: 0 };
    this.select(from.row + move[0], from.column + move[1]);
  }
}
