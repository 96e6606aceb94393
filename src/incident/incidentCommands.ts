/**
 * The incident commands. Each takes optional arguments so tests and other features can run it without
 * any prompt (`executeCommand(id, { … })`); without arguments it asks. Arguments are checked: a command
 * can be run from a command link in any Markdown, so nothing about them is trusted.
 */
import * as vscode from 'vscode';
import type { HubRef, JournalEntry, NoteTag } from '../core/incident/journalEntry';
import { parseNoteTime } from '../core/incident/noteTime';
import { UserError, type Result } from '../core/result';
import { isRecord, isString } from '../shared/guards';
import { commands, focusViewCommand, views } from '../vscode/contributes';
import { showUserError, type Log } from '../vscode/log';
import type { IncidentNode } from './incidentTree';
import type { IncidentStore } from './incidentStore';
import { isNoteTag, parseNoteInput } from './noteInput';
import { promptStartIncident, type StartPromptDeps } from './startIncidentPrompt';

export interface IncidentCommandDeps extends StartPromptDeps {
  store: IncidentStore;
  timezone(): string;
  log: Log;
}

function hubsOf(value: unknown): HubRef[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const hubs = value.filter((h): h is HubRef => isRecord(h) && isString(h.context) && isString(h.namespace));
  return hubs.length === value.length ? hubs.map((h) => ({ context: h.context, namespace: h.namespace })) : undefined;
}

/** An entry named by a tree row or by `{ id }`. */
function entryTarget(arg: unknown): { id: string; entry?: JournalEntry; text?: string } | undefined {
  if (!isRecord(arg)) return undefined;
  const node = arg as Partial<IncidentNode> & Record<string, unknown>;
  if (node.type === 'entry' && isRecord(node.entry) && isString(node.entry.id))
    return { id: node.entry.id, entry: node.entry as JournalEntry };
  if (isString(arg.id)) return { id: arg.id, ...(isString(arg.text) ? { text: arg.text } : {}) };
  return undefined;
}

export function registerIncidentCommands(deps: IncidentCommandDeps): vscode.Disposable {
  const { store } = deps;

  /** The value, or the failure shown (and logged); undefined then. */
  const report = <T>(result: Result<T>, what: string): T | undefined =>
    result.ok ? result.value : showUserError(deps.log, result.error, what);
  const badArgs = (command: string) =>
    showUserError(
      deps.log,
      new UserError(`${command} was run with arguments it does not understand.`, 'bad-arguments'),
      command,
    );

  const start = async (arg?: unknown): Promise<string | undefined> => {
    let args: { title: string; hubs: HubRef[]; severity?: string; startedAt?: string };
    if (arg === undefined) {
      if (store.recording) {
        const current = store.current!;
        const choice = await vscode.window.showWarningMessage(
          `"${current.incident.title}" is recording. Start another incident?`,
          { modal: true, detail: 'The new incident becomes the current one; stop the other first if it is over.' },
          'Stop It and Start',
          'Start Another',
        );
        if (!choice) return undefined;
        if (choice === 'Stop It and Start' && !report(store.stop(), 'stopping the incident')) return undefined;
      }
      const prompted = await promptStartIncident(deps);
      if (!prompted) return undefined;
      args = { ...prompted, hubs: prompted.hubs ?? [] };
    } else {
      // `startedAt`: when the incident began, if recording starts late ("it started at 13:55").
      const hubs = isRecord(arg) ? hubsOf(arg.hubs) : undefined;
      if (
        !isRecord(arg) ||
        !isString(arg.title) ||
        !hubs ||
        (arg.severity !== undefined && !isString(arg.severity)) ||
        (arg.startedAt !== undefined && !(isString(arg.startedAt) && !Number.isNaN(Date.parse(arg.startedAt))))
      )
        return badArgs('Start Incident');
      args = {
        title: arg.title,
        hubs,
        ...(isString(arg.severity) && arg.severity ? { severity: arg.severity } : {}),
        ...(isString(arg.startedAt) ? { startedAt: arg.startedAt } : {}),
      };
    }
    const journal = report(store.start(args), 'starting an incident');
    if (!journal) return undefined;
    if (arg === undefined) {
      void vscode.commands.executeCommand(focusViewCommand(views.incident));
      void vscode.window.showInformationMessage(
        `Recording incident "${journal.incident.title}". Cluster events, snapshots and your notes go into its journal.`,
      );
    }
    return journal.file;
  };

  const stop = async (arg?: unknown): Promise<boolean> => {
    const journal = store.current;
    if (!journal || !store.recording) {
      if (arg === undefined) void vscode.window.showInformationMessage('JupyterHub Ops: no incident is recording.');
      return false;
    }
    // `time`: when it ended, if the operator stops the recording later (read like a note's time).
    let time: Date | undefined;
    if (isRecord(arg) && arg.time !== undefined) {
      if (!isString(arg.time)) return badArgs('Stop Incident') ?? false;
      time = report(parseNoteTime(arg.time, deps.timezone()), 'reading the stop time');
      if (!time) return false;
    }
    if (arg === undefined) {
      const choice = await vscode.window.showWarningMessage(
        `Stop recording "${journal.incident.title}"?`,
        { modal: true, detail: 'Cluster events stop going into its journal. Notes and the report stay available.' },
        'Stop Incident',
      );
      if (choice !== 'Stop Incident') return false;
    }
    return report(store.stop(time), 'stopping the incident') !== undefined;
  };

  const addNote = async (arg?: unknown): Promise<JournalEntry | undefined> => {
    if (!store.current) {
      void vscode.window.showInformationMessage('JupyterHub Ops: start an incident first; notes go into its journal.');
      return undefined;
    }
    const timezone = deps.timezone();
    let note: { text: string; time?: Date; tag?: NoteTag; hub?: string | null };
    if (arg === undefined) {
      const typed = await vscode.window.showInputBox({
        title: 'Add Timeline Note',
        prompt: `What happened? Optionally start with a time (14:05, 2026-11-23 14:05; ${timezone}) and add #resolution, #learned, #action or #cause.`,
        placeHolder: '14:05 raised the hub memory limit to 4Gi #resolution',
        ignoreFocusOut: true,
        validateInput: (value) => {
          const parsed = parseNoteInput(value, timezone);
          return parsed.ok ? undefined : parsed.error.userMessage;
        },
      });
      if (typed === undefined) return undefined;
      const parsed = report(parseNoteInput(typed, timezone), 'adding a note');
      if (!parsed) return undefined;
      note = parsed;
    } else {
      if (!isRecord(arg) || !isString(arg.text) || arg.text.trim() === '') return badArgs('Add Timeline Note');
      if (arg.tag !== undefined && arg.tag !== '' && !isNoteTag(arg.tag)) return badArgs('Add Timeline Note');
      let time: Date | undefined;
      if (arg.time !== undefined) {
        if (!isString(arg.time)) return badArgs('Add Timeline Note');
        time = report(parseNoteTime(arg.time, timezone), 'reading the note time');
        if (!time) return undefined;
      }
      note = {
        text: arg.text.trim(),
        ...(time ? { time } : {}),
        ...(isNoteTag(arg.tag) ? { tag: arg.tag } : {}),
        ...(isString(arg.hub) ? { hub: arg.hub } : {}),
      };
    }
    return report(
      store.append({
        kind: 'note',
        source: 'operator',
        text: note.text,
        hub: note.hub ?? null,
        ...(note.time ? { time: note.time } : {}),
        ...(note.tag ? { tag: note.tag } : {}),
      }),
      'adding a note',
    );
  };

  const editEntry = async (arg?: unknown): Promise<JournalEntry | undefined> => {
    const target = entryTarget(arg);
    if (!target) return badArgs('Edit Entry');
    let text = target.text;
    if (text === undefined) {
      text = await vscode.window.showInputBox({
        title: 'Edit Timeline Entry',
        prompt: 'The timeline and the report use your wording; the original stays in the journal file.',
        value: target.entry?.text ?? '',
        ignoreFocusOut: true,
        validateInput: (value) =>
          value.trim() === '' ? 'An entry needs text (hide it instead to leave it out).' : undefined,
      });
      if (text === undefined) return undefined;
    }
    return report(store.edit(target.id, text.trim()), 'editing an entry');
  };

  const hideEntry = (hidden: boolean) => (arg?: unknown) => {
    const target = entryTarget(arg);
    if (!target) return badArgs(hidden ? 'Hide Entry' : 'Show Entry');
    return report(store.hide(target.id, hidden), hidden ? 'hiding an entry' : 'showing an entry');
  };

  const deleteEntry = async (arg?: unknown): Promise<JournalEntry | undefined> => {
    const target = entryTarget(arg);
    if (!target) return badArgs('Delete Entry');
    const fromTree = isRecord(arg) && arg.type === 'entry';
    if (fromTree || (isRecord(arg) && arg.confirm === true)) {
      const choice = await vscode.window.showWarningMessage(
        'Delete this timeline entry?',
        {
          modal: true,
          detail: `${target.entry?.text ?? target.id}\n\nIt leaves the view and the report for good (Hide keeps it recoverable).`,
        },
        'Delete',
      );
      if (choice !== 'Delete') return undefined;
    }
    return report(store.delete(target.id), 'deleting an entry');
  };

  const switchIncident = (arg?: unknown): string | undefined => {
    const file =
      isRecord(arg) && isString(arg.file)
        ? arg.file
        : isRecord(arg) && arg.type === 'incident' && isRecord(arg.item) && isString(arg.item.file)
          ? arg.item.file
          : undefined;
    if (!file) return badArgs('Make Incident Current');
    return report(store.switchTo(file), 'switching incidents')?.file;
  };

  const guarded =
    <A extends unknown[], R>(name: string, run: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await run(...args);
      } catch (error) {
        return showUserError(deps.log, error, name);
      }
    };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(commands.startIncident, guarded('Start Incident', start)),
    vscode.commands.registerCommand(commands.stopIncident, guarded('Stop Incident', stop)),
    vscode.commands.registerCommand(commands.addTimelineNote, guarded('Add Timeline Note', addNote)),
    vscode.commands.registerCommand(commands.editIncidentEntry, guarded('Edit Entry', editEntry)),
    vscode.commands.registerCommand(commands.hideIncidentEntry, guarded('Hide Entry', hideEntry(true))),
    vscode.commands.registerCommand(commands.showIncidentEntry, guarded('Show Entry', hideEntry(false))),
    vscode.commands.registerCommand(commands.deleteIncidentEntry, guarded('Delete Entry', deleteEntry)),
    vscode.commands.registerCommand(commands.switchIncident, guarded('Make Incident Current', switchIncident)),
  );
}
