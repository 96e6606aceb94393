/**
 * One readiness result on screen: the page's messages, Copy and Export as Markdown. The panels
 * (readinessPanels.ts) give it the page's connection and a `ReadinessUi`; nothing here imports VS Code.
 */
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../core/incident/reportFile';
import { slugify } from '../core/incident/slug';
import { readinessChartSvg } from '../core/readiness/chart';
import type { ReadinessReport } from '../core/readiness/evaluate';
import { readinessMarkdown } from '../core/readiness/markdown';
import { ok, type Result } from '../core/result';
import type { ReadinessView, ToHost, ToWebview } from '../protocol/readinessProtocol';
import type { PageConnection, PageHandler } from '../vscode/pageConnection';
import { readinessView } from './readinessView';

export type ReadinessPage = PageConnection<ToHost, ToWebview>;

/** What a readiness session needs from VS Code around it. */
export interface ReadinessUi {
  copyText(text: string): Promise<void>;
  /** The first workspace folder (where Export proposes to write), or undefined when none is open. */
  workspaceFolder(): string | undefined;
  /** Where to write the Markdown: the operator's choice from a save dialog opened at `proposed`. */
  chooseExportFile(proposed: string): Promise<string | undefined>;
  /** Opens an exported file in an editor. */
  showFile(file: string): Promise<void>;
}

/** What Export wrote: the Markdown and the chart beside it. */
export interface Exported {
  markdown: string;
  chart: string;
}

export class ReadinessSession implements PageHandler<ToHost, ToWebview> {
  readonly view: ReadinessView;

  constructor(
    readonly report: ReadinessReport,
    readonly profile: string | null,
    private readonly page: ReadinessPage,
    private readonly ui: ReadinessUi,
  ) {
    this.view = readinessView(report, { profile, exportName: this.exportName() });
    page.handleWith(this);
  }

  /** `readiness-<namespace>-<attendees>-<date>.md`, where Export proposes to write. */
  exportName(): string {
    const day = this.report.readAt.slice(0, 10);
    return `readiness-${slugify(this.report.hub.namespace, 40) || 'hub'}-${this.report.plan.attendees}-${day}.md`;
  }

  async receive(message: ToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.page.post({ type: 'readiness', view: this.view });
        return;
      case 'copy': {
        const text =
          message.what === 'values'
            ? this.report.valuesDiff.yaml
            : this.messageText(message.what === 'message-after' ? 'after' : 'now');
        await this.ui.copyText(text);
        this.notice(
          'info',
          message.what === 'values' ? 'Copied the values to merge.' : 'Copied the message for users.',
        );
        return;
      }
      case 'export': {
        const written = await this.exportMarkdown();
        if (!written.ok) return this.notice('error', written.error.userMessage);
        if (written.value)
          this.notice('info', `Exported to ${basename(written.value.markdown)} and ${basename(written.value.chart)}`);
        return;
      }
    }
  }

  /** The message for users of one view, ready to paste (before the event, then during it). */
  messageText(view: 'now' | 'after'): string {
    const m =
      view === 'after' && this.report.userMessageAfterChanges
        ? this.report.userMessageAfterChanges
        : this.report.userMessage;
    return `${m.before}\n\n${m.during}\n`;
  }

  /**
   * Writes the Markdown (the core's, redacted) and the chart as an SVG file beside it, then opens the
   * Markdown. `target` skips the save dialog; by default the dialog opens in the workspace folder.
   * ok(null): the operator cancelled the dialog.
   */
  async exportMarkdown(options: { target?: string; open?: boolean } = {}): Promise<Result<Exported | null>> {
    const folder = this.ui.workspaceFolder();
    const proposed = join(folder ?? homedir(), this.exportName());
    const chosen = options.target ?? (await this.ui.chooseExportFile(proposed));
    if (!chosen) return ok(null);
    const markdown = /\.md$/i.test(chosen) ? chosen : `${chosen}.md`;
    const chart = join(dirname(markdown), `${basename(markdown).replace(/\.md$/i, '')}.svg`);
    const svg = writeFileAtomic(chart, readinessChartSvg(this.report));
    if (!svg.ok) return svg;
    const md = writeFileAtomic(markdown, readinessMarkdown(this.report, { chartFile: basename(chart) }));
    if (!md.ok) return md;
    if (options.open !== false) await this.ui.showFile(markdown);
    return ok({ markdown, chart });
  }

  private notice(level: 'info' | 'error', text: string): void {
    this.page.post({ type: 'notice', level, text });
  }
}
