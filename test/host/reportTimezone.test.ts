import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { localTimezone } from '../../src/core/incident/zonedTime';
import { activateExtension, leaveHost, waitFor, type ExtensionApi } from '../harness/inHost';

/**
 * The report timezone setting in the real host (issue 14, item 3): a change reaches the open report panel
 * and the Incident view without a window reload, and a value that is no timezone is stated on the page.
 */
describe('Report timezone setting applies live (in the real host)', () => {
  let api: ExtensionApi;
  let journal = '';
  const config = () => vscode.workspace.getConfiguration('jupyterhubOps');
  const setZone = (zone: string | undefined) =>
    config().update('reportTimezone', zone, vscode.ConfigurationTarget.Global);

  /** The Incident view's header row, as the real tree gives it. */
  const header = () => {
    const [first] = api.incident.tree.getChildren();
    return first ? String(api.incident.tree.getTreeItem(first).description ?? '') : '';
  };
  const view = () => {
    const editor = api.incident.reports.editorOf(journal);
    const shown = editor?.view();
    return shown?.ok ? shown.value : undefined;
  };

  before(async () => {
    api = await activateExtension();
    await setZone('America/New_York');
    journal = (await vscode.commands.executeCommand<string>('jupyterhubOps.startIncident', {
      title: 'timezone follows the setting',
      hubs: [{ context: 'prod', namespace: 'stress-hub' }],
      startedAt: '2026-05-14T17:55:00.000Z',
    }))!;
    assert.ok(journal);
    await vscode.commands.executeCommand('jupyterhubOps.draftIncidentReport');
    await waitFor('the report panel', () => (api.incident.reports.editorOf(journal) ? true : undefined));
  });

  after(async () => {
    await setZone(undefined);
    await leaveHost(api, journal, undefined);
  });

  it('re-renders the open report and the Incident view in the new zone, with no reload', async () => {
    assert.equal(view()?.timezone, 'America/New_York');
    assert.match(header(), /times in E[DS]T$/);
    await setZone('Europe/Berlin');
    await waitFor('the report in Europe/Berlin', () => (view()?.timezone === 'Europe/Berlin' ? true : undefined));
    assert.match(view()!.facts.find((f) => f.label === 'Started')!.value, /14 May 2026 19:55 CEST$/);
    assert.match(header(), /times in CES?T$/);
    const exported = await vscode.commands.executeCommand<string>('jupyterhubOps.copyIncidentReport', {});
    assert.match(exported, /^- \*\*Started:\*\* Thursday, 14 May 2026 19:55 CEST \(17:55 UTC\)$/m);
  });

  it('falls back to this machine’s zone for a value that is no timezone, and says so on the page', async () => {
    await setZone('Mars/Olympus');
    await waitFor('the report in this machine’s zone', () =>
      view()?.facts.some((f) => f.label === 'Timezone') ? true : undefined,
    );
    assert.equal(view()!.timezone, localTimezone());
    assert.equal(
      view()!.facts.find((f) => f.label === 'Timezone')!.value,
      `The setting jupyterhubOps.reportTimezone "Mars/Olympus" is not an IANA timezone (such as America/New_York, Europe/Berlin or UTC): times are in ${localTimezone()}, this machine's zone.`,
    );
  });
});
