/**
 * Renders the report's Markdown for reading: paragraphs, `-` lists and `- [ ]` checklists, `###` day
 * headings, pipe tables (the timeline, the analyzer table), fenced blocks (the Mermaid chart, shown as
 * its text) and inline **bold**, _italic_ and `code`. Only what the drafting code writes: anything else
 * shows as plain text. Every string becomes a text node, so nothing from the journal can become markup.
 */
import { el, type Child } from '../shared/dom';

export interface MarkdownOptions {
  /** Called when a checklist box is clicked, with the source line and its new state. */
  onToggle?: (line: number, checked: boolean) => void;
}

export function renderMarkdown(source: string, options: MarkdownOptions = {}): HTMLElement {
  const root = el('div', { className: 'markdown' });
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = /^```\s*(\S*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^```/.test(lines[i]!)) body.push(lines[i++]!);
      i++;
      const language = fence[1] ?? '';
      root.append(
        el(
          'figure',
          { className: 'code-block' },
          language
            ? el(
                'figcaption',
                { className: 'muted small' },
                language === 'mermaid' ? 'Mermaid chart (GitHub renders it)' : language,
              )
            : null,
          el('pre', {}, el('code', {}, body.join('\n'))),
        ),
      );
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      root.append(el('h4', { className: `heading level-${heading[1]!.length}` }, ...inline(heading[2]!)));
      i++;
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) rows.push(lines[i++]!);
      root.append(table(rows));
      continue;
    }
    if (/^\s*[-*+]\s/.test(line)) {
      const list = el('ul');
      let checklist = false;
      while (i < lines.length && /^\s*[-*+]\s/.test(lines[i]!)) {
        const item = listItem(lines[i]!, i, options);
        checklist ||= item.classList.contains('task');
        list.append(item);
        i++;
      }
      if (checklist) list.classList.add('checklist');
      root.append(list);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,6}\s|```|\s*[-*+]\s|\s*\|)/.test(lines[i]!))
      paragraph.push(lines[i++]!.trim());
    root.append(el('p', {}, ...inline(paragraph.join(' '))));
  }
  return root;
}

function listItem(line: string, index: number, options: MarkdownOptions): HTMLLIElement {
  const task = /^\s*[-*+]\s+\[( |x|X)\]\s+(.*)$/.exec(line);
  if (!task) return el('li', {}, ...inline(line.replace(/^\s*[-*+]\s+/, '')));
  const checked = task[1] !== ' ';
  const box = el('input', {
    attrs: { type: 'checkbox', checked, 'aria-label': 'Done', disabled: !options.onToggle },
    on: { change: () => options.onToggle?.(index, box.checked) },
  });
  return el('li', { className: `task${checked ? ' done' : ''}` }, el('label', {}, box, ' ', ...inline(task[2]!)));
}

function table(rows: string[]): HTMLElement {
  const cells = (row: string) => splitRow(row).map((c) => c.trim());
  const isRule = (row: string) => cells(row).every((c) => /^:?-{3,}:?$/.test(c));
  const [head, ...rest] = rows;
  const body = rest.filter((r) => !isRule(r));
  const align = rest.find(isRule);
  const numeric = align ? cells(align).map((c) => c.endsWith(':')) : [];
  const cell = (tag: 'th' | 'td', text: string, column: number) =>
    el(tag, { className: numeric[column] ? 'num' : undefined }, ...inline(text));
  return el(
    'div',
    { className: 'table-scroll' },
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...cells(head!).map((c, n) => cell('th', c, n)))),
      el('tbody', {}, ...body.map((r) => el('tr', {}, ...cells(r).map((c, n) => cell('td', c, n))))),
    ),
  );
}

/** Splits `| a | b \| c |` into cells, keeping escaped pipes inside a cell. */
function splitRow(row: string): string[] {
  const out: string[] = [];
  let current = '';
  const text = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '|') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Inline Markdown to nodes: backslash escapes and entities become their characters, never markup. */
export function inline(text: string): Child[] {
  const root = document.createDocumentFragment();
  const stack: HTMLElement[] = [];
  const top = (): Node => stack[stack.length - 1] ?? root;
  let buffer = '';
  const flush = () => {
    if (buffer) top().appendChild(document.createTextNode(buffer));
    buffer = '';
  };
  const toggle = (tag: 'strong' | 'em') => {
    flush();
    const open = stack[stack.length - 1];
    if (open && open.tagName.toLowerCase() === tag) stack.pop();
    else {
      const element = document.createElement(tag);
      top().appendChild(element);
      stack.push(element);
    }
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]{}#|~!:.@+()<>$-]/.test(text[i + 1]!)) {
      buffer += text[++i];
    } else if (ch === '&') {
      const entity = /^&(?:amp|lt|gt|quot|#39);/.exec(text.slice(i));
      if (entity) {
        buffer += entities[entity[0]];
        i += entity[0].length - 1;
      } else buffer += ch;
    } else if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) buffer += ch;
      else {
        flush();
        top().appendChild(el('code', {}, text.slice(i + 1, end)));
        i = end;
      }
    } else if (ch === '*' && text[i + 1] === '*') {
      toggle('strong');
      i++;
    } else if (ch === '_' && (isBoundary(text[i - 1]) || isBoundary(text[i + 1]))) {
      toggle('em');
    } else buffer += ch;
  }
  flush();
  return [root];
}

/** `_` only starts or ends emphasis next to a space or punctuation, so snake_case stays as it is. */
const isBoundary = (ch: string | undefined) => ch === undefined || /[\s.,;:!?()"'’]/.test(ch);
