import * as vscode from 'vscode';
import type { Result } from '../../core/result';
import { isRecord } from '../../shared/guards';
import { commands } from '../../vscode/contributes';
import { showUserError, type Log } from '../../vscode/log';
import type { IncidentStore } from '../incidentStore';
import { currentJournalFile, type ReportPanels } from './reportPanels';

/**
 * Draft Incident Report (opens the panel), Export Incident Report (Markdown into the workspace) and Copy
 * Incident Report as Markdown. Each works on the current incident, or on `{ file }` (a journal).
 */
export function registerReportCommands(store: IncidentStore, panels: ReportPanels, log: Log): vscode.Disposable {
  const fail = (error: unknown) => showUserError(log, error, 'Incident report');
  const journalOf = (arg: unknown): Result<string> =>
    isRecord(arg) && typeof arg.file === 'string' ? { ok: true, value: arg.file } : currentJournalFile(store);
  const guarded =
    <R>(name: string, run: (arg?: unknown) => Promise<R | undefined> | R | undefined) =>
    async (arg?: unknown): Promise<R | undefined> => {
      try {
        return await run(arg);
      } catch (error) {
        return showUserError(log, error, name);
      }
    };

  const draft = async (arg?: unknown): Promise<{ journalFile: string } | undefined> => {
    const file = journalOf(arg);
    if (!file.ok) return fail(file.error);
    const editor = await panels.show(file.value);
    return editor.ok ? { journalFile: editor.value.journalFile } : undefined;
  };

  const exportReport = async (arg?: unknown): Promise<string | undefined> => {
    const file = journalOf(arg);
    if (!file.ok) return fail(file.error);
    const editor = await panels.headless(file.value);
    if (!editor.ok) return fail(editor.error);
    const options = isRecord(arg) ? arg : {};
    const written = await editor.value.exportMarkdown({
      ...(typeof options.target === 'string' ? { target: options.target } : {}),
      ...(options.overwrite === true ? { overwrite: true } : {}),
      ...(options.open === false ? { open: false } : {}),
    });
    if (!written.ok) return fail(written.error);
    return written.value ?? undefined;
  };

  const copyReport = async (arg?: unknown): Promise<string | undefined> => {
    const file = journalOf(arg);
    if (!file.ok) return fail(file.error);
    const editor = await panels.headless(file.value);
    if (!editor.ok) return fail(editor.error);
    const markdown = editor.value.markdown(await editor.value.loadHistory());
    if (!markdown.ok) return fail(markdown.error);
    await vscode.env.clipboard.writeText(markdown.value);
    if (!isRecord(arg))
      void vscode.window.showInformationMessage(
        'JupyterHub Ops: copied the incident report as Markdown (secrets redacted).',
      );
    return markdown.value;
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(commands.draftIncidentReport, guarded('Draft Incident Report', draft)),
    vscode.commands.registerCommand(commands.exportIncidentReport, guarded('Export Incident Report', exportReport)),
    vscode.commands.registerCommand(commands.copyIncidentReport, guarded('Copy Incident Report', copyReport)),
  );
}
