import * as vscode from 'vscode';
import type { ContextInfo } from '../core/cluster/kubeconfig';
import type { HubRef } from '../core/incident/journalEntry';
import { contextChoices, namespaceChoices, type KnownHub, type NamespaceChoice } from '../core/incident/startChoices';

export interface StartIncidentArgs {
  title: string;
  hubs?: HubRef[];
  severity?: string;
}

export interface StartPromptDeps {
  contexts(): ContextInfo[];
  /** Namespaces worth offering for a context (the setting's list, hubs the cluster browser found). */
  namespaces(context: ContextInfo): string[];
  /** The hubs the cluster browser knows, with their health: down and degraded ones are ticked. */
  hubs(): KnownHub[];
}

const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

/**
 * Asks what "Start Incident" needs: a title, the affected contexts (from the kubeconfig) and for each the
 * hubs' namespaces (picked from what is known or typed), and an optional severity. Undefined when the
 * operator backs out at any step.
 */
export async function promptStartIncident(deps: StartPromptDeps): Promise<StartIncidentArgs | undefined> {
  const title = await vscode.window.showInputBox({
    title: 'Start Incident (1/4): title',
    prompt: 'What is happening, in a few words? It names the journal and the report.',
    placeHolder: 'Hub crash-looping after the Helm upgrade',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Give the incident a title.' : undefined),
  });
  if (title === undefined) return undefined;

  const contexts = deps.contexts();
  const known = deps.hubs();
  const hubs: HubRef[] = [];
  if (contexts.length > 0) {
    const picked = await vscode.window.showQuickPick(
      contextChoices(contexts, known).map((c) => ({
        label: c.context.name,
        description: c.description,
        detail: c.context.server || undefined,
        picked: c.picked,
        context: c.context,
      })),
      {
        title: 'Start Incident (2/4): affected clusters',
        placeHolder: 'The kubeconfig contexts whose hubs are affected (none: journal notes only)',
        canPickMany: true,
        ignoreFocusOut: true,
      },
    );
    if (picked === undefined) return undefined;
    for (const { context } of picked) {
      const namespaces = await pickNamespaces(context, namespaceChoices(context, deps.namespaces(context), known));
      if (namespaces === undefined) return undefined;
      for (const namespace of namespaces) hubs.push({ context: context.name, namespace });
    }
  }

  const severity = await vscode.window.showQuickPick(
    [{ label: 'No severity', value: '' }, ...severities.map((s) => ({ label: s, value: s }))],
    { title: 'Start Incident (4/4): severity (optional)', ignoreFocusOut: true },
  );
  if (severity === undefined) return undefined;
  return { title: title.trim(), hubs, ...(severity.value ? { severity: severity.value } : {}) };
}

/** Namespaces of one context: pick known ones, or type a name (it is offered as an item as you type). */
async function pickNamespaces(context: ContextInfo, choices: NamespaceChoice[]): Promise<string[] | undefined> {
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  quickPick.title = `Start Incident (3/4): hubs in ${context.name}`;
  quickPick.placeholder = 'Pick the hubs’ namespaces, or type one and press Enter';
  quickPick.canSelectMany = true;
  quickPick.ignoreFocusOut = true;
  const base: vscode.QuickPickItem[] = choices.map((c) => ({
    label: c.namespace,
    ...(c.description ? { description: c.description } : {}),
  }));
  const typed = new Map<string, vscode.QuickPickItem>();
  quickPick.items = base;
  quickPick.selectedItems = base.filter((i) => choices.some((c) => c.picked && c.namespace === i.label));
  quickPick.onDidChangeValue((value) => {
    const name = value.trim();
    const selected = quickPick.selectedItems;
    const extra = [...typed.values()];
    if (isNamespaceName(name) && !base.some((i) => i.label === name) && !typed.has(name)) {
      extra.unshift({ label: name, description: 'typed' });
    }
    quickPick.items = [...extra, ...base];
    quickPick.selectedItems = quickPick.items.filter((i) => selected.some((s) => s.label === i.label));
  });
  return new Promise((resolve) => {
    let done = false;
    quickPick.onDidAccept(() => {
      const name = quickPick.value.trim();
      const chosen = new Set(quickPick.selectedItems.map((i) => i.label));
      // Enter on a typed name that is not ticked: take it too (what a person typing means).
      if (isNamespaceName(name)) chosen.add(name);
      for (const n of chosen) if (!typed.has(n) && !base.some((i) => i.label === n)) typed.set(n, { label: n });
      done = true;
      resolve([...chosen]);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      if (!done) resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

/** A Kubernetes namespace name (RFC 1123 label). */
export function isNamespaceName(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name);
}
