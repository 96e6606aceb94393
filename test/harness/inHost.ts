import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { activate } from '../../src/extension';

export type ExtensionApi = ReturnType<typeof activate>;

export const EXTENSION_ID = 'jupyterhub-ops.jupyterhub-ops';

/** Activates the extension under test (as opening its view would) and returns what `activate` returned. */
export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this host`);
  return extension.activate();
}

/** Waits until `probe` returns a value (not undefined), checking every 100 ms; fails with `what` after 20 s. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function runDir(): string {
  const dir = process.env.HUBOPS_TEST_RUN_DIR;
  if (!dir) throw new Error('HUBOPS_TEST_RUN_DIR is not set: run in-host tests through test/harness/runHostTests.ts');
  return dir;
}

/**
 * Leaves the host as the next suite expects it: no incident recording (its journal removed), the
 * kubeconfig setting unset, no editors open, and the suite's server closed.
 */
export async function leaveHost(
  api: ExtensionApi | undefined,
  journal: string,
  server: { close(): Promise<void> } | undefined,
): Promise<void> {
  if (journal && api) {
    await vscode.commands.executeCommand('jupyterhubOps.stopIncident');
    api.incident.store.close();
    rmSync(journal, { force: true });
  }
  await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', undefined, true);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await server?.close();
}
