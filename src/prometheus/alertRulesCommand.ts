/**
 * "Export Alert Rules…": the core's rule pack (src/core/prometheus/alertRules.ts) for the chosen hubs, as a
 * Prometheus rules file or a prometheus-operator PrometheusRule, saved into the workspace
 * (`alert-rules/`) and opened. Version-aware: hubs on one JupyterHub version get that version's labels;
 * hubs on different or unknown versions get rules that match both label schemes.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/incident/reportFile';
import { prometheusRuleYaml, rulePack, rulesFileYaml } from '../core/prometheus/alertRules';
import { err, ok, UserError, type Result } from '../core/result';
import { isRecord, isString } from '../shared/guards';
import { commands } from '../vscode/contributes';
import { showUserError, type Log } from '../vscode/log';

export interface HubChoice {
  context: string;
  namespace: string;
  jupyterhubVersion: string | null;
}

export type RulesFormat = 'rules' | 'prometheusrule';

/** The file's text and its name: `alert-rules/jupyterhub-ops-<hubs>.rules.yaml`. */
export function alertRulesFile(hubs: readonly HubChoice[], format: RulesFormat): { name: string; text: string } {
  const namespaces = [...new Set(hubs.map((h) => h.namespace))].sort();
  const versions = [...new Set(hubs.map((h) => h.jupyterhubVersion))];
  const version = versions.length === 1 && versions[0] ? versions[0] : undefined;
  const pack = rulePack({ namespaces, ...(version ? { jupyterhubVersion: version } : {}) });
  const text = format === 'rules' ? rulesFileYaml(pack) : prometheusRuleYaml(pack);
  const slug = namespaces
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 80);
  return {
    name: join('alert-rules', `jupyterhub-ops-${slug}.${format === 'rules' ? 'rules' : 'prometheusrule'}.yaml`),
    text,
  };
}

export function registerAlertRulesCommand(deps: { log: Log; hubs(): HubChoice[] }): vscode.Disposable {
  const { log } = deps;
  const fail = (error: UserError) => showUserError(log, error, 'Export Alert Rules');

  /** `{ hubs: [{ context, namespace, jupyterhubVersion? }], format?, open? }`, a hub row, or asks. */
  const exportRules = async (arg?: unknown): Promise<string | undefined> => {
    const named = hubsFrom(arg);
    if (!named.ok) return fail(named.error);
    let hubs = named.value;
    if (hubs.length === 0) {
      const known = deps.hubs();
      if (known.length === 0)
        return fail(
          new UserError(
            'No hubs are known yet: open a context in the Clusters view first (its hubs are listed there).',
            'alerts-no-hubs',
          ),
        );
      const picked = await vscode.window.showQuickPick(
        known.map((h) => ({
          label: h.namespace,
          description: `${h.context}${h.jupyterhubVersion ? ` · JupyterHub ${h.jupyterhubVersion}` : ''}`,
          hub: h,
        })),
        { title: 'Export Alert Rules', placeHolder: 'Which hubs?', canPickMany: true },
      );
      if (!picked || picked.length === 0) return undefined;
      hubs = picked.map((p) => p.hub);
    }
    let format: RulesFormat | undefined =
      isRecord(arg) && (arg.format === 'rules' || arg.format === 'prometheusrule') ? arg.format : undefined;
    if (!format) {
      const choice = await vscode.window.showQuickPick(
        [
          {
            label: 'Prometheus rules file',
            detail: 'rule_files: in prometheus.yml (the prometheus chart: serverFiles)',
            id: 'rules' as const,
          },
          {
            label: 'PrometheusRule',
            detail: 'prometheus-operator / kube-prometheus-stack: kubectl apply -f',
            id: 'prometheusrule' as const,
          },
        ],
        { title: 'Export Alert Rules', placeHolder: 'As what?' },
      );
      if (!choice) return undefined;
      format = choice.id;
    }
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    if (!folder)
      return fail(
        new UserError(
          'Open a folder first: the rules are saved into the workspace (alert-rules/).',
          'alerts-no-workspace',
        ),
      );
    const file = alertRulesFile(hubs, format);
    const target = join(folder, file.name);
    const written = writeFileAtomic(target, file.text);
    if (!written.ok) return fail(written.error);
    log.info(`Alert rules: wrote ${target}`);
    if (!(isRecord(arg) && arg.open === false))
      await vscode.window.showTextDocument(vscode.Uri.file(target), { preview: false });
    return target;
  };

  return vscode.commands.registerCommand(commands.exportAlertRules, async (arg?: unknown) => {
    try {
      return await exportRules(arg);
    } catch (error) {
      return showUserError(log, error, 'Export Alert Rules');
    }
  });
}

/** Hubs named by the arguments (a hub row of the Clusters view, or `{ hubs }`); [] means ask. */
function hubsFrom(arg: unknown): Result<HubChoice[]> {
  if (arg === undefined) return ok([]);
  const bad = err(new UserError('Export Alert Rules was run with arguments it does not understand.', 'bad-arguments'));
  if (!isRecord(arg)) return bad;
  // A hub row: { kind: 'hub', context, hub: { namespace, jupyterhubVersion } }.
  if (arg.kind === 'hub' && isString(arg.context) && isRecord(arg.hub) && isString(arg.hub.namespace))
    return ok([
      {
        context: arg.context,
        namespace: arg.hub.namespace,
        jupyterhubVersion: isString(arg.hub.jupyterhubVersion) ? arg.hub.jupyterhubVersion : null,
      },
    ]);
  if (arg.hubs === undefined) return ok([]);
  if (!Array.isArray(arg.hubs)) return bad;
  const hubs: HubChoice[] = [];
  for (const h of arg.hubs) {
    if (
      !isRecord(h) ||
      !isString(h.context) ||
      !isString(h.namespace) ||
      !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(h.namespace)
    )
      return bad;
    hubs.push({
      context: h.context,
      namespace: h.namespace,
      jupyterhubVersion: isString(h.jupyterhubVersion) ? h.jupyterhubVersion : null,
    });
  }
  return ok(hubs);
}
