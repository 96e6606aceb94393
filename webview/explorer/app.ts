import type { ToWebview, ToWebviewOf, ToHost } from '../../src/protocol/explorerProtocol';
import { el, replaceChildren } from '../shared/dom';
import { formatBytes, formatMemoryQuantity } from '../../src/shared/format';
import { inertText } from '../../src/shared/untrustedText';
import { AnalysisTab } from './analysisTab';
import { DataTab } from './dataTab';
import { fileProblem } from './fileProblem';
import type { HostConnection } from '../shared/hostConnection';
import type { PersistedState } from './persistedState';
import { button, setEnabled, tabs } from '../shared/toolkit';

/** The whole page: a file that opened (header, notices, Data and Analysis tabs) or why it did not. */
export class ExplorerApp {
  private data: DataTab | undefined;
  private analysis: AnalysisTab | undefined;
  private panels: (HTMLElement & { activeid: string }) | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly connection: HostConnection<ToHost, ToWebview>,
    private readonly state: PersistedState,
  ) {
    connection.listen((message) => this.onMessage(message));
    connection.ready();
  }

  private onMessage(message: ToWebview): void {
    switch (message.type) {
      case 'opened':
        return this.renderOpened(message);
      case 'openFailed':
        return replaceChildren(this.root, fileProblem(message.file, message.error));
      case 'showAnalysis': {
        if (!this.analysis || !this.panels) return;
        this.panels.activeid = 'tab-analysis';
        if (this.state.get().tab !== 'analysis') {
          this.state.update({ tab: 'analysis' });
          this.connection.send({ type: 'tabChanged', tab: 'analysis' });
        }
        const { jupyterhubVersion, memoryLimitBytes } = message;
        void this.analysis.run({ jupyterhubVersion, memoryLimitBytes });
        return;
      }
      default:
        // Replies are matched to their requests by the connection; nothing else is expected here.
        return;
    }
  }

  private renderOpened(opened: ToWebviewOf<'opened'>): void {
    // After a window reload the page's own state may be missing or older than the last analysis (VS Code
    // saves it from time to time): the tab and the analysis come from what the extension kept on each change.
    const saved = opened.saved;
    if (saved)
      this.state.update({
        tab: saved.tab,
        ...(saved.analysis
          ? {
              analysisRan: true,
              analysisVersion: saved.analysis.jupyterhubVersion ?? '',
              memoryLimit:
                saved.analysis.memoryLimitBytes !== undefined
                  ? formatMemoryQuantity(saved.analysis.memoryLimitBytes)
                  : '',
            }
          : {}),
      });
    this.data = new DataTab(this.connection, this.state, opened.tables);
    this.analysis = new AnalysisTab(this.connection, this.state, opened.hub, opened.origin);
    const schemaLabel =
      opened.hub.kind === 'hub'
        ? `JupyterHub ${opened.hub.versions} schema`
        : opened.hub.kind === 'unknown-revision'
          ? 'Unknown JupyterHub schema'
          : 'Not a JupyterHub DB';
    this.panels = tabs(
      [
        { id: 'data', label: 'Data', view: this.data.element },
        { id: 'analysis', label: 'Analysis', view: this.analysis.element },
      ],
      this.state.get().tab,
      (id) => {
        const tab = id === 'analysis' ? 'analysis' : 'data';
        if (tab === this.state.get().tab) return;
        this.state.update({ tab });
        this.connection.send({ type: 'tabChanged', tab });
      },
    );
    replaceChildren(
      this.root,
      el(
        'header',
        { className: 'topbar' },
        el('h1', { className: 'file-name' }, inertText(opened.file.name, 'line')),
        el('span', { className: `pill hub-${opened.hub.kind}`, attrs: { title: opened.hub.summary } }, schemaLabel),
        el('span', { className: 'pill' }, formatBytes(opened.file.bytes)),
        el('span', { className: 'spacer' }),
        this.secretsControl(opened.secretsRevealed),
      ),
      opened.notices.length ? el('ul', { className: 'notices' }, ...opened.notices.map((n) => el('li', {}, n))) : null,
      this.panels,
    );
    // After a reload the tab shows what it showed before (the result is not kept, the form is: run it again).
    if (this.state.get().analysisRan) void this.analysis.run();
  }

  private secretsControl(revealed: boolean): HTMLElement {
    const label = el('span', {
      className: `secrets-state${revealed ? ' revealed' : ''}`,
      attrs: { id: 'secrets-state' },
    });
    const toggle = button('', () => void change(), { id: 'toggle-secrets' });
    let current = revealed;
    const show = () => {
      label.textContent = current ? 'Secrets visible in this editor' : 'Secrets hidden';
      label.className = `secrets-state${current ? ' revealed' : ''}`;
      toggle.textContent = current ? 'Hide Secrets' : 'Reveal Secrets for This Session…';
    };
    const change = async () => {
      setEnabled(toggle, false);
      const reply = await this.connection.request({ type: 'setSecretsRevealed', revealed: !current });
      setEnabled(toggle, true);
      if (reply.type !== 'secrets' || reply.revealed === current) return;
      current = reply.revealed;
      show();
      await this.data?.rerun();
    };
    show();
    return el('div', { className: 'secrets' }, label, toggle);
  }
}
