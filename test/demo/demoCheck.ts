import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { runFromPalette, openSidebar, setOpen, treeRows } from '../harness/workbench';

export const DEMO_HUBS = ['hub-physics', 'hub-classroom', 'hub-staff'] as const;

/**
 * What a person checks in the demo's workbench: the Clusters view lists the incident scenario's three hubs
 * (each with its JupyterHub version) and the healthy one says ok. Returns the rows it read.
 */
export async function checkDemoHubs(page: Page): Promise<string[]> {
  if (await page.locator('.part.auxiliarybar').isVisible())
    await runFromPalette(page, 'View: Toggle Secondary Side Bar Visibility');
  await openSidebar(page);
  await setOpen(page, 'demo-cluster');
  await page.locator('.monaco-list-row', { hasText: 'hub-staff' }).first().waitFor({ timeout: 60_000 });
  // Read the hub rows before opening any: an open hub's pods can push the others out of the rendered list.
  const rows = await treeRows(page, 'Clusters');
  for (const hub of DEMO_HUBS)
    assert.ok(
      rows.some((r) => r.startsWith(`${hub} | `) && / · 5\.\d+\.\d+$/.test(r)),
      `${hub} in ${rows.join('\n')}`,
    );
  assert.ok(
    rows.some((r) => /^hub-staff \| ok · 5\.4\.3$/.test(r)),
    rows.join('\n'),
  );
  await setOpen(page, 'hub-physics');
  await setOpen(page, 'hub-classroom');
  return rows;
}
