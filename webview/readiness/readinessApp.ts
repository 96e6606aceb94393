import type {
  ChangeView,
  CheckView,
  OutcomeView,
  ReadinessView,
  ToHost,
  ToWebview,
} from '../../src/protocol/readinessProtocol';
import { isRecord } from '../../src/shared/guards';
import { el, replaceChildren, type Child } from '../shared/dom';
import type { HostConnection, VsCodeApi } from '../shared/hostConnection';
import { importSvg } from '../shared/svg';
import { button } from '../shared/toolkit';

type Shown = 'now' | 'after';

const verdictWord = { ok: 'OK', warn: 'WARN', fail: 'FAIL' } as const;

/**
 * The readiness page: the verdict line first, then the start-up chart with the figures, each check, the
 * suggested changes as a values diff (each with its own curve), the message for users and what was
 * assumed. A toggle switches everything that depends on it between the hub as it is now and the hub
 * with the suggested changes; the choice survives the panel being hidden (webview state).
 */
export class ReadinessApp {
  private view: ReadinessView | null = null;
  private shown: Shown;
  private readonly notice = el('div', { className: 'notice', attrs: { role: 'status', 'aria-live': 'polite' } });

  constructor(
    private readonly root: HTMLElement,
    private readonly connection: HostConnection<ToHost, ToWebview>,
    private readonly api: VsCodeApi,
  ) {
    const state = api.getState();
    this.shown = isRecord(state) && state.shown === 'after' ? 'after' : 'now';
    connection.listen((message) => this.onMessage(message));
    connection.ready();
  }

  private onMessage(message: ToWebview): void {
    switch (message.type) {
      case 'readiness':
        this.view = message.view;
        if (!message.view.after) this.shown = 'now';
        return this.render();
      case 'notice':
        this.notice.className = `notice ${message.level}`;
        this.notice.textContent = message.text;
        return;
    }
  }

  private show(shown: Shown): void {
    this.shown = shown;
    this.api.setState({ shown });
    this.render();
  }

  private render(): void {
    const v = this.view;
    if (!v) return;
    const after = this.shown === 'after' && v.after ? v.after : null;
    const current = after ?? v.now;
    replaceChildren(
      this.root,
      el(
        'header',
        { className: 'header' },
        el('h1', {}, `Readiness for ${v.plan.split(' · ')[0]}`),
        el('p', { className: 'muted' }, v.hub),
        el('p', { className: 'muted' }, v.plan),
      ),
      this.verdictLine(v, current, after !== null),
      el('p', { className: 'headline' }, v.headline),
      this.toolbar(v),
      this.notice,
      el(
        'section',
        { className: 'chart-section', attrs: { 'aria-label': 'Start-up curve' } },
        el('h2', {}, after ? 'Start-up curve with the suggested changes' : 'Start-up curve'),
        chart(current.chartSvg, `Start-up curve, ${current.label}`, 'chart'),
        figures(v),
      ),
      section('Checks', el('ul', { className: 'checks' }, ...v.checks.map(check))),
      this.changes(v),
      this.message(current),
      v.assumptions.length ? section('Assumed', list(v.assumptions)) : null,
      v.warnings.length ? section('Partly readable', list(v.warnings)) : null,
    );
  }

  private verdictLine(v: ReadinessView, current: OutcomeView, after: boolean): HTMLElement {
    return el(
      'div',
      {
        className: `verdict ${after ? 'after' : v.verdict}`,
        attrs: { id: 'verdict', role: 'heading', 'aria-level': 2 },
      },
      el('span', { className: 'badge' }, after ? 'WITH CHANGES' : verdictWord[v.verdict]),
      el('span', { className: 'summary' }, capitalise(current.summary)),
    );
  }

  private toolbar(v: ReadinessView): HTMLElement {
    const toggle = (shown: Shown, label: string) =>
      button(label, () => this.show(shown), {
        appearance: this.shown === shown ? 'primary' : 'secondary',
        id: `show-${shown}`,
        title: shown === 'now' ? 'The hub as it is now' : 'The hub with every suggested change made',
      });
    return el(
      'div',
      { className: 'toolbar' },
      toggle('now', 'Now'),
      v.after
        ? toggle('after', 'After the suggested changes')
        : el('span', { className: 'muted' }, 'Nothing needs to change.'),
      el('span', { className: 'spacer' }),
      button('Export as Markdown…', () => this.connection.send({ type: 'export' }), {
        appearance: 'secondary',
        id: 'export',
        title: `Write ${v.exportName} (and the chart beside it as .svg); you choose where`,
      }),
    );
  }

  private changes(v: ReadinessView): HTMLElement {
    if (!v.changes.length) return section('Changes that make it fit', el('p', {}, 'None needed.'));
    return section(
      'Changes that make it fit',
      v.diff
        ? el(
            'div',
            { className: 'diff-block' },
            el(
              'div',
              { className: 'diff-header' },
              el('span', { className: 'muted' }, "The hub's values (z2jh values.yaml)"),
              el('span', { className: 'spacer' }),
              button('Copy Values', () => this.connection.send({ type: 'copy', what: 'values' }), {
                title: 'Copy the values to merge into the hub’s values.yaml',
              }),
            ),
            diff(v.diff),
          )
        : null,
      v.cluster.length ? el('div', {}, el('p', { className: 'muted' }, 'Outside the chart:'), list(v.cluster)) : null,
      el('ul', { className: 'changes' }, ...v.changes.map(change)),
    );
  }

  private message(current: OutcomeView): HTMLElement {
    const which = this.shown === 'after' && this.view?.after ? 'message-after' : 'message-now';
    return section(
      'Message for users',
      el('p', { className: 'muted' }, `Figures from ${current.message.basis}.`),
      el('h3', {}, 'Before the event'),
      el('blockquote', { className: 'message' }, current.message.before),
      el('h3', {}, 'During it'),
      el('blockquote', { className: 'message' }, current.message.during),
      button('Copy', () => this.connection.send({ type: 'copy', what: which }), {
        id: 'copy-message',
        title: 'Copy the message, ready to paste into the hub’s announcement or a class channel',
      }),
    );
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { attrs: { 'aria-label': title } }, el('h2', {}, title), ...children);
}

function list(items: string[]): HTMLElement {
  return el('ul', { className: 'plain' }, ...items.map((i) => el('li', {}, i)));
}

function chart(svgText: string, label: string, className: string): HTMLElement {
  const svg = importSvg(svgText, label);
  return el('figure', { className }, svg ?? el('p', { className: 'muted' }, 'The chart could not be shown.'));
}

function figures(v: ReadinessView): HTMLElement {
  const after = v.after;
  return el(
    'table',
    { className: 'figures' },
    el(
      'thead',
      {},
      el('tr', {}, el('th', {}, ''), el('th', {}, 'now'), after ? el('th', {}, 'with the changes') : null),
    ),
    el(
      'tbody',
      {},
      ...v.now.figures.map((f, i) =>
        el(
          'tr',
          {},
          el('th', {}, f.label),
          el('td', {}, f.value),
          after ? el('td', {}, after.figures[i]?.value ?? '') : null,
        ),
      ),
    ),
  );
}

function check(c: CheckView): HTMLElement {
  return el(
    'li',
    { className: `check ${c.verdict}`, attrs: { 'data-check': c.id } },
    el('span', { className: 'badge' }, verdictWord[c.verdict]),
    el(
      'div',
      { className: 'check-body' },
      el('div', { className: 'check-name' }, c.name),
      el('div', {}, c.detail),
      el('div', { className: 'muted small' }, `Source: ${c.source}`),
    ),
  );
}

function diff(text: string): HTMLElement {
  return el(
    'pre',
    { className: 'diff' },
    ...text
      .trimEnd()
      .split('\n')
      .map((line) =>
        el('span', { className: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx' }, `${line}\n`),
      ),
  );
}

function change(c: ChangeView): HTMLElement {
  return el(
    'li',
    { className: 'change', attrs: { 'data-change': c.id } },
    el(
      'div',
      { className: 'change-text' },
      el('div', { className: 'change-key' }, el('code', {}, c.key), ` ${c.from} → ${c.to}`),
      c.alternativeTo ? el('div', { className: 'muted small' }, `instead of ${c.alternativeTo}`) : null,
      el('div', {}, c.why),
      c.when ? el('div', { className: 'muted' }, `When: ${c.when}`) : null,
      el('div', { className: 'muted small' }, capitalise(c.predicted)),
    ),
    chart(c.chartSvg, `Start-up curve with ${c.key} alone`, 'change-chart'),
  );
}
