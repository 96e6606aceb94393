import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  commands,
  contextKeys,
  namespace,
  settingIds,
  settingReaders,
  viewContainer,
  views,
  webviews,
  type SettingsSource,
} from '../../../src/vscode/contributes';
import { repoRoot } from '../../harness/toolPaths';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { default: unknown }> };
    customEditors: { viewType: string }[];
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const { contributes } = manifest;
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const ids = (o: Record<string, string>) => sorted(Object.values(o));

/** A settings source holding these values under our section, as VS Code's configuration would. */
const source = (values: Record<string, unknown>): SettingsSource => ({
  get: <T>(key: string) => values[`${namespace}.${key}`] as T | undefined,
});

describe('the registry of commands, views and settings matches package.json', () => {
  it('names every command package.json contributes, and no other', () => {
    assert.deepEqual(ids(commands), sorted(contributes.commands.map((c) => c.command)));
  });

  it('names the view container and every view', () => {
    assert.deepEqual(
      contributes.viewsContainers.activitybar.map((c) => c.id),
      [viewContainer],
    );
    assert.deepEqual(Object.keys(contributes.views), [viewContainer]);
    assert.deepEqual(ids(views), sorted(Object.values(contributes.views).flatMap((list) => list.map((v) => v.id))));
  });

  it('names the custom editor and the webview panel VS Code restores (its activation event)', () => {
    assert.deepEqual(
      contributes.customEditors.map((e) => e.viewType),
      [webviews.hubDbExplorer],
    );
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${webviews.incidentReport}`));
  });

  it('names every setting, and reads each with its manifest default when unset', () => {
    assert.deepEqual(ids(settingIds), sorted(Object.keys(contributes.configuration.properties)));
    const defaults = source(
      Object.fromEntries(Object.entries(contributes.configuration.properties).map(([id, p]) => [id, p.default])),
    );
    const unset = source({});
    for (const read of [defaults, unset]) {
      assert.equal(settingReaders.kubeconfig(read), undefined);
      assert.deepEqual(settingReaders.namespaces(read), []);
      assert.equal(settingReaders.reportTimezone(read), '');
      assert.equal(settingReaders.metricsIntervalMs(read), 30_000);
      assert.deepEqual(settingReaders.prometheusUrls(read), {});
    }
  });

  it('menus, welcome views and when clauses name only registered commands, views and context keys', () => {
    const known = new Set<string>([
      ...Object.values(commands),
      ...Object.values(views),
      ...Object.values(contextKeys),
      ...Object.values(settingIds),
    ]);
    const menuItems = Object.values(contributes.menus).flat();
    for (const item of menuItems) assert.ok(known.has(item.command), `menu command ${item.command}`);
    for (const welcome of contributes.viewsWelcome) {
      assert.ok(known.has(welcome.view), `welcome view ${welcome.view}`);
      for (const [, id] of welcome.contents.matchAll(/command:([\w.]+)/g))
        assert.ok(known.has(id!) || !id!.startsWith(`${namespace}.`), `welcome link ${id}`);
    }
    const whenClauses = [...menuItems, ...contributes.viewsWelcome].map((item) => item.when ?? '');
    for (const when of whenClauses)
      for (const [name] of when.matchAll(new RegExp(`${namespace}\\.\\w+`, 'g')))
        assert.ok(known.has(name), `when clause names ${name}`);
    // Every context key the extension sets is read by some menu or welcome view.
    for (const key of Object.values(contextKeys))
      assert.ok(
        whenClauses.some((when) => when.includes(key)),
        `${key} is read by no menu or welcome view`,
      );
  });
});

describe('setting readers: one way to read each setting', () => {
  it('trims namespaces and drops blank and non-text entries (the Clusters view and Start Incident alike)', () => {
    const read = source({ [settingIds.namespaces]: [' hub-a ', '', '  ', 'hub-b', 3, null] });
    assert.deepEqual(settingReaders.namespaces(read), ['hub-a', 'hub-b']);
    assert.deepEqual(settingReaders.namespaces(source({ [settingIds.namespaces]: 'hub-a' })), []);
  });

  it('trims the kubeconfig path and the timezone; blank means the default', () => {
    assert.equal(settingReaders.kubeconfig(source({ [settingIds.kubeconfig]: ' /tmp/kc ' })), '/tmp/kc');
    assert.equal(settingReaders.kubeconfig(source({ [settingIds.kubeconfig]: '   ' })), undefined);
    assert.equal(settingReaders.reportTimezone(source({ [settingIds.reportTimezone]: ' UTC ' })), 'UTC');
  });

  it('reads a Prometheus URL per context, trimmed; blank names, blank or non-text URLs and non-objects are none', () => {
    const urls = (value: unknown) => settingReaders.prometheusUrls(source({ [settingIds.prometheusUrls]: value }));
    assert.deepEqual(urls({ ' prod ': ' http://127.0.0.1:9090 ', staging: '', '': 'http://x', lab: 5 }), {
      prod: 'http://127.0.0.1:9090',
    });
    assert.deepEqual(urls(['http://127.0.0.1:9090']), {});
    assert.deepEqual(urls('http://127.0.0.1:9090'), {});
    assert.deepEqual(urls(null), {});
  });

  it('polls metrics no faster than every 5 s, and every 30 s when the setting is not a number', () => {
    const every = (value: unknown) =>
      settingReaders.metricsIntervalMs(source({ [settingIds.metricsIntervalSeconds]: value }));
    assert.equal(every(60), 60_000);
    assert.equal(every(1), 5_000);
    assert.equal(every('10'), 30_000);
    assert.equal(every(Number.NaN), 30_000);
  });
});
