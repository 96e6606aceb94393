import type {
  AnalysisView,
  FileOrigin,
  HubSchema,
  PlanStep,
  VerdictLevel,
  ToHost,
  ToWebview,
} from '../../src/protocol/explorerProtocol';
import { append, el, replaceChildren, type Child } from '../shared/dom';
import {
  formatBytes,
  formatCount,
  formatMemoryQuantity,
  formatSeconds,
  memoryQuantityProblem,
  parseMemoryQuantity,
} from '../../src/shared/format';
import { describeHubSettings, whatIfChanges, type AnalysisSettings } from '../../src/shared/whatIf';
import { inertText } from '../../src/shared/untrustedText';
import { verdictText } from '../../src/shared/verdictText';
import type { HostConnection } from '../shared/hostConnection';
import type { PersistedState } from './persistedState';
import { planTree } from './planTree';
import { button, dropdown, option, setEnabled, textField } from '../shared/toolkit';

/** The versions an operator can pick; '' shows every 5.x variant side by side. */
const VERSION_CHOICES = [
  { value: '', label: 'Every 5.x variant, side by side' },
  { value: '4.1.6', label: 'JupyterHub 4.1.6 (z2jh 3.3.8)' },
  { value: '5.2.1', label: 'JupyterHub 5.2.1 (z2jh 4.0.0, 4.1.0)' },
  { value: '5.3.0', label: 'JupyterHub 5.3.0 (z2jh 4.2.0)' },
  { value: '5.4.0', label: 'JupyterHub 5.4.0 (z2jh 4.3.0)' },
  { value: '5.4.3', label: 'JupyterHub 5.4.3 (z2jh 4.3.2)' },
  { value: '5.5.0', label: 'JupyterHub 5.5.0 (z2jh 4.4.0)' },
];

const VERDICT_TEXT: Record<VerdictLevel, string> = verdictText;

/** The version choices, the hub's detected version first among them and marked as such. */
function versionChoices(origin: FileOrigin | null): { value: string; label: string }[] {
  const detected = origin?.jupyterhubVersion;
  if (!detected || !origin) return VERSION_CHOICES;
  const label = `JupyterHub ${detected} · detected on ${inertText(origin.namespace, 'line')}`;
  const others = VERSION_CHOICES.filter((c) => c.value !== detected);
  return [others[0]!, { value: detected, label }, ...others.slice(1)];
}

/**
 * The Analysis tab: what JupyterHub's start-up query will cost on this DB, verdict first. The
 * operator picks the version (or sees every 5.x variant) and the hub's memory limit. For a snapshot of a
 * known hub the form starts at the hub's own settings; an analysis at any other is labelled a what-if.
 */
export class AnalysisTab {
  readonly element: HTMLElement;
  private readonly output = el('div', { className: 'analysis-output', attrs: { 'aria-live': 'polite' } });
  private readonly limitHint = el('span', { className: 'hint' });
  private readonly limitField;
  private readonly versionPicker;
  private readonly analyzeButton: HTMLElement;
  private version: string;

  constructor(
    private readonly connection: HostConnection<ToHost, ToWebview>,
    private readonly state: PersistedState,
    private readonly hub: HubSchema,
    private readonly origin: FileOrigin | null,
  ) {
    const saved = state.get();
    // A fresh page on a snapshot starts at the hub's settings; a restored one as the operator left it.
    const fresh = !saved.analysisRan && saved.analysisVersion === '' && saved.memoryLimit === '';
    this.version = fresh && origin?.jupyterhubVersion ? origin.jupyterhubVersion : saved.analysisVersion;
    const limit = fresh && origin?.memoryLimitBytes ? formatMemoryQuantity(origin.memoryLimitBytes) : saved.memoryLimit;
    this.versionPicker = dropdown(
      versionChoices(origin),
      this.version,
      (v) => this.pickVersion(v),
      'JupyterHub version',
    );
    this.limitField = textField({
      value: limit,
      placeholder: 'e.g. 2Gi',
      label: 'Hub memory limit',
      className: 'limit-field',
    });
    this.limitField.addEventListener('input', () => this.onLimitInput());
    this.analyzeButton = button('Analyze', () => void this.run(), { appearance: 'primary', id: 'run-analysis' });
    const off = hub.kind === 'foreign';
    setEnabled(this.analyzeButton, !off);
    this.element = el(
      'div',
      { className: 'analysis-tab' },
      el('p', { className: `hub-summary hub-${hub.kind}` }, hub.summary),
      el(
        'div',
        { className: 'analysis-controls' },
        el('label', { className: 'control' }, el('span', {}, 'JupyterHub version'), this.versionPicker),
        el('div', { className: 'control' }, this.limitField, this.limitHint),
        this.analyzeButton,
      ),
      this.output,
    );
    this.onLimitInput();
    if (this.version) this.pickVersion(this.version);
    if (off)
      replaceChildren(
        this.output,
        el('p', { className: 'muted' }, 'The start-up analysis needs a JupyterHub database.'),
      );
  }

  /** Runs with options from the "Analyze Hub DB" command, or the ones in the form. */
  async run(options: { jupyterhubVersion?: string; memoryLimitBytes?: number } = {}): Promise<void> {
    if (this.hub.kind === 'foreign') return;
    if (options.jupyterhubVersion !== undefined) this.pickVersion(options.jupyterhubVersion);
    if (options.memoryLimitBytes !== undefined) {
      this.limitField.value = formatMemoryQuantity(options.memoryLimitBytes);
      this.onLimitInput();
    }
    const limitText = this.limitField.value.trim();
    const memoryLimitBytes = limitText ? parseMemoryQuantity(limitText) : undefined;
    if (memoryLimitBytes === null)
      return this.problem(`The memory limit ${memoryQuantityProblem(limitText) ?? 'is not a quantity'}.`);
    replaceChildren(this.output, el('p', { className: 'status status-busy' }, 'Analyzing…'));
    setEnabled(this.analyzeButton, false);
    const asked: AnalysisSettings = {
      ...(this.version ? { jupyterhubVersion: this.version } : {}),
      ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
    };
    const reply = await this.connection.request({ type: 'analyze', ...asked });
    setEnabled(this.analyzeButton, true);
    if (reply.type === 'analysis') {
      this.state.update({ analysisRan: true });
      replaceChildren(this.output, this.standing(asked), ...renderAnalysis(reply.analysis, (t) => this.copy(t)));
    } else if (reply.type === 'failed')
      this.problem(reply.error.code === 'cancelled' ? 'Cancelled.' : reply.error.message);
  }

  /**
   * Whether what follows is about the hub (the snapshot at the settings the hub ran with: the evidence the
   * journal and the hub row use) or a what-if at other settings, which neither records. Nothing for a file
   * that is not a snapshot of a known hub.
   */
  private standing(asked: AnalysisSettings): Child {
    const origin = this.origin;
    if (!origin) return null;
    const hubName = inertText(origin.namespace, 'line');
    const settings = describeHubSettings(origin);
    const changes = whatIfChanges(asked, origin);
    if (changes.length === 0)
      return el(
        'div',
        { className: 'standing standing-evidence', attrs: { id: 'analysis-standing', role: 'note' } },
        el('strong', {}, `At the hub's settings: ${settings}`),
        el(
          'p',
          {},
          `As ${hubName} ran when the snapshot was taken: this is the analysis the incident journal and the hub's row use.`,
        ),
      );
    return el(
      'div',
      { className: 'standing standing-what-if', attrs: { id: 'analysis-standing', role: 'note' } },
      el('strong', {}, `What if: ${changes.join(', ')} — not the hub's settings`),
      el(
        'p',
        {},
        `${hubName} ran ${settings} when the snapshot was taken. This what-if is not journaled and leaves the hub's row as it was.`,
      ),
      button('Analyze at the Hub’s Settings', () => void this.atHubSettings(), { id: 'use-hub-settings' }),
    );
  }

  /** Puts the form back to the hub's own settings and runs: the evidence again. */
  private async atHubSettings(): Promise<void> {
    if (!this.origin) return;
    this.pickVersion(this.origin.jupyterhubVersion ?? '');
    this.limitField.value =
      this.origin.memoryLimitBytes === null ? '' : formatMemoryQuantity(this.origin.memoryLimitBytes);
    this.onLimitInput();
    await this.run();
  }

  /** Selects a version; one the list lacks (read from the hub, e.g. 5.3.1) is added to it. */
  private pickVersion(version: string): void {
    this.version = version.trim().slice(0, 40);
    const known = [...this.versionPicker.querySelectorAll('vscode-option')].some(
      (option) => option.getAttribute('value') === this.version,
    );
    if (!known) append(this.versionPicker, option(this.version, `JupyterHub ${this.version}`));
    // The dropdown registers a new option on its next update: select once it has.
    const select = () => {
      if (this.versionPicker.value !== this.version) this.versionPicker.value = this.version;
    };
    select();
    requestAnimationFrame(select);
    this.state.update({ analysisVersion: this.version });
  }

  private onLimitInput(): void {
    const text = this.limitField.value.trim();
    this.state.update({ memoryLimit: text });
    const bytes = text ? parseMemoryQuantity(text) : undefined;
    this.limitHint.textContent =
      bytes === undefined
        ? 'no limit: the verdict compares nothing'
        : bytes === null
          ? (memoryQuantityProblem(text) ?? 'not a quantity')
          : `= ${formatCount(bytes)} bytes`;
    this.limitHint.className = `hint${bytes === null ? ' problem' : ''}`;
  }

  private problem(text: string): void {
    replaceChildren(this.output, el('p', { className: 'status status-error' }, text));
  }

  private copy(text: string): void {
    this.connection.send({ type: 'copyText', text });
  }
}

function renderAnalysis(a: AnalysisView, copy: (text: string) => void): Child[] {
  const v = a.verdict;
  const selectedVersion = a.versions.find((r) => r.selected)?.version;
  const margin =
    v.marginBytes === null
      ? null
      : v.marginBytes >= 0
        ? `${formatBytes(v.marginBytes)} below the ${formatBytes(v.memoryLimitBytes ?? 0)} limit`
        : `${formatBytes(-v.marginBytes)} over the ${formatBytes(v.memoryLimitBytes ?? 0)} limit`;
  return [
    el(
      'section',
      { className: `verdict verdict-${v.level}`, attrs: { id: 'verdict' } },
      el('h2', {}, `${VERDICT_TEXT[v.level]}${v.version ? ` · JupyterHub ${v.version}` : ''}`),
      el('p', { className: 'verdict-headline' }, v.headline),
      v.predictedBytes !== null
        ? el('p', {}, `Predicted start-up peak: ${formatBytes(v.predictedBytes)}${margin ? ` (${margin})` : ''}.`)
        : null,
    ),
    section('By version', versionsTable(a)),
    section(
      'Offenders',
      a.offenders.length === 0
        ? el('p', { className: 'muted' }, 'No user stands out.')
        : table(
            ['user', 'spawners', 'running', 'named servers', 'start-up rows', 'share'],
            a.offenders.map((o) => [
              inertText(o.user, 'line'),
              formatCount(o.spawners),
              formatCount(o.running),
              formatCount(o.namedServers),
              formatCount(o.mainRows),
              `${(o.share * 100).toFixed(1)}%`,
            ]),
            [false, true, true, true, true, true],
          ),
    ),
    section(`Stale named servers (${formatCount(a.staleServers.length)})`, staleServers(a)),
    section(
      'The SQL JupyterHub runs at start-up',
      // The main statement of the version the verdict is about starts open.
      ...a.startupQueries.map((q) =>
        startupQuery(q.version, q.label, q.sql, q.plan, copy, q.version === selectedVersion && /\(main/.test(q.label)),
      ),
    ),
    section(
      'Remediation',
      el('ol', { className: 'steps' }, ...a.remediation.steps.map((step) => el('li', {}, step))),
      el('h4', {}, 'Upgrade'),
      el('p', {}, a.remediation.upgrade),
      el('h4', {}, 'Limit named servers per user'),
      el('p', {}, a.remediation.namedServerLimit.text),
      codeBlock('z2jh values.yaml', a.remediation.namedServerLimit.yaml, copy, 'copy-yaml'),
      codeBlock('jupyterhub_config.py', a.remediation.namedServerLimit.python, copy, 'copy-config-py'),
      el('h4', {}, 'Remove stale named servers'),
      el('p', {}, a.remediation.cleanup.text),
      codeBlock('Cleanup script (bash, JupyterHub REST API)', a.remediation.cleanup.bash, copy, 'copy-cleanup'),
      codeBlock('Cleanup script (Python)', a.remediation.cleanup.python, copy, 'copy-cleanup-py'),
    ),
    section(
      'Database health',
      el(
        'ul',
        { className: 'health' },
        ...a.health.map((h) =>
          el(
            'li',
            { className: `health-${h.severity}` },
            el('span', { className: 'health-label' }, h.label),
            ' ',
            h.value,
          ),
        ),
      ),
    ),
    a.notes.length ? section('Notes', el('ul', {}, ...a.notes.map((n) => el('li', {}, n)))) : null,
  ];
}

/** Stopped named servers nobody used for a while: who owns most of them, and the list (collapsed). */
function staleServers(a: AnalysisView): Child {
  if (a.staleServers.length === 0) return el('p', { className: 'muted' }, 'None.');
  const byUser = new Map<string, number>();
  for (const s of a.staleServers) byUser.set(s.user, (byUser.get(s.user) ?? 0) + 1);
  const owners = [...byUser.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3)
    .map(([user, count]) => `${inertText(user, 'line')} (${formatCount(count)})`)
    .join(', ');
  const shown = a.staleServers.slice(0, 500);
  return el(
    'details',
    { className: 'stale-servers' },
    el(
      'summary',
      {},
      `Most are owned by ${owners}. Removing them shrinks the start-up join and loses nothing running.`,
    ),
    table(
      ['user', 'server', 'last activity', 'idle days'],
      shown.map((s) => [
        inertText(s.user, 'line'),
        inertText(s.server, 'line'),
        s.lastActivity ?? 'never',
        s.idleDays === null ? '—' : s.idleDays.toFixed(0),
      ]),
      [false, false, false, true],
    ),
    a.staleServers.length > shown.length
      ? el(
          'p',
          { className: 'muted' },
          `…and ${formatCount(a.staleServers.length - shown.length)} more (the cleanup script has them all).`,
        )
      : null,
  );
}

function versionsTable(a: AnalysisView): HTMLElement {
  return table(
    [
      'JupyterHub',
      'start-up query',
      'main rows',
      'total rows',
      'statements',
      'predicted memory',
      'predicted time',
      'verdict',
    ],
    a.versions.map((r) => [
      r.version,
      r.form,
      formatCount(r.mainRows),
      formatCount(r.totalRows),
      formatCount(r.statements),
      formatBytes(r.predictedBytes),
      formatSeconds(r.predictedSeconds),
      VERDICT_TEXT[r.verdict],
    ]),
    [false, false, true, true, true, true, true, false],
    a.versions.map((r) => `verdict-row-${r.verdict}${r.selected ? ' selected-version' : ''}`),
  );
}

function startupQuery(
  version: string,
  label: string,
  sql: string,
  plan: PlanStep[],
  copy: (t: string) => void,
  open: boolean,
): HTMLElement {
  return el(
    'details',
    { className: 'startup-query', attrs: { open } },
    el('summary', {}, `${version}: ${label}`),
    codeBlock('SQL', sql, copy),
    el('h4', {}, 'EXPLAIN QUERY PLAN'),
    planTree(plan),
  );
}

function codeBlock(title: string, code: string, copy: (t: string) => void, id?: string): HTMLElement {
  return el(
    'div',
    { className: 'code-block' },
    el(
      'div',
      { className: 'code-title' },
      el('span', {}, title),
      button('Copy', () => copy(code), { id }),
    ),
    el('pre', { className: 'mono' }, code),
  );
}

function section(title: string, ...content: Child[]): HTMLElement {
  return el('section', { className: 'analysis-section' }, el('h3', {}, title), ...content);
}

function table(header: string[], rows: string[][], numeric: boolean[], rowClasses: string[] = []): HTMLElement {
  return el(
    'table',
    { className: 'data-table' },
    el('thead', {}, el('tr', {}, ...header.map((h, i) => el('th', { className: numeric[i] ? 'num' : '' }, h)))),
    el(
      'tbody',
      {},
      ...rows.map((cells, r) =>
        el(
          'tr',
          { className: rowClasses[r] ?? '' },
          ...cells.map((c, i) => el('td', { className: numeric[i] ? 'num' : '' }, c)),
        ),
      ),
    ),
  );
}
