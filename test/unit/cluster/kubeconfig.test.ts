import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  kubeconfigFiles,
  kubeconfigOrigin,
  kubeconfigState,
  loadKubeconfig,
} from '../../../src/core/cluster/kubeconfig';
import { kubeconfigYaml } from '../../builders/kubeconfig';
import { useTempDir } from '../../harness/tempDir';

describe('kubeconfig loading', () => {
  const dir = useTempDir();

  it('prefers the override, then KUBECONFIG (deduplicated), then ~/.kube/config', () => {
    assert.deepEqual(kubeconfigFiles(' /x/config ', { KUBECONFIG: '/a' }), ['/x/config']);
    assert.deepEqual(kubeconfigFiles(undefined, { KUBECONFIG: ['/a', '', '/b', '/a'].join(delimiter) }), ['/a', '/b']);
    assert.deepEqual(kubeconfigFiles(undefined, { HOME: '/home/op' }), ['/home/op/.kube/config']);
  });

  it('merges several files as kubectl does: first definition and first current-context win', () => {
    const a = join(dir(), 'a.yaml');
    const b = join(dir(), 'b.yaml');
    writeFileSync(a, kubeconfigYaml([{ name: 'prod', server: 'https://prod:6443', namespace: 'hub-a' }]));
    writeFileSync(
      b,
      kubeconfigYaml(
        [
          { name: 'prod', server: 'https://other:6443' },
          { name: 'staging', server: 'https://staging:6443' },
        ],
        'staging',
      ),
    );
    const loaded = loadKubeconfig([a, join(dir(), 'missing.yaml'), b]);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(
      loaded.contexts.map((c) => [c.name, c.server, c.namespace ?? null, c.current]),
      [
        ['prod', 'https://prod:6443', 'hub-a', false],
        ['staging', 'https://staging:6443', null, true],
      ],
    );
    assert.equal(loaded.kubeConfig.getCurrentContext(), 'staging');
  });

  it('reports a malformed file with the reason and keeps the good ones', () => {
    const bad = join(dir(), 'bad.yaml');
    const good = join(dir(), 'good.yaml');
    writeFileSync(bad, 'clusters: [\n  - {name: x, cluster: {server: "https://x"}\n');
    writeFileSync(good, kubeconfigYaml([{ name: 'good' }], 'good'));
    const loaded = loadKubeconfig([bad, good]);
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0]!.message, /^Cannot read kubeconfig .*bad\.yaml: /);
    assert.deepEqual(
      loaded.contexts.map((c) => c.name),
      ['good'],
    );
  });

  it('says a single named file is missing, and an empty file has no contexts and no crash', () => {
    const missing = loadKubeconfig([join(dir(), 'nope')]);
    assert.match(missing.problems[0]!.message, /^No kubeconfig file at /);
    const empty = join(dir(), 'empty.yaml');
    writeFileSync(empty, '');
    const loaded = loadKubeconfig([empty]);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.contexts, []);
    assert.equal(loaded.currentContext, undefined);
  });

  it('reads `~/` in the setting as the home folder, as the operator means it', () => {
    assert.deepEqual(kubeconfigFiles('~/.kube/other', { HOME: '/home/op' }), ['/home/op/.kube/other']);
    assert.deepEqual(kubeconfigFiles('/srv/~x/config', { HOME: '/home/op' }), ['/srv/~x/config']);
  });

  it('tells the view what to show: contexts, problem rows, or the welcome text (missing default, empty)', () => {
    const good = join(dir(), 'good.yaml');
    writeFileSync(good, kubeconfigYaml([{ name: 'good' }], 'good'));
    const bad = join(dir(), 'bad.yaml');
    writeFileSync(bad, 'clusters: [\n');
    const empty = join(dir(), 'empty.yaml');
    writeFileSync(empty, '');
    const nope = join(dir(), 'nope');
    assert.equal(kubeconfigOrigin(' ', { KUBECONFIG: '' }), 'default');
    assert.equal(kubeconfigOrigin(undefined, { KUBECONFIG: good }), 'KUBECONFIG');
    assert.equal(kubeconfigOrigin(good, { KUBECONFIG: good }), 'setting');
    assert.equal(kubeconfigState(loadKubeconfig([bad, good]), 'KUBECONFIG'), 'contexts');
    assert.equal(kubeconfigState(loadKubeconfig([bad]), 'setting'), 'problem');
    assert.equal(kubeconfigState(loadKubeconfig([bad]), 'default'), 'problem');
    assert.equal(kubeconfigState(loadKubeconfig([nope]), 'setting'), 'problem');
    assert.equal(kubeconfigState(loadKubeconfig([nope]), 'default'), 'missing');
    assert.equal(kubeconfigState(loadKubeconfig([empty]), 'setting'), 'empty');
    assert.deepEqual(
      loadKubeconfig([nope, bad]).problems.map((p) => [p.file, p.kind]),
      [[bad, 'unreadable']],
      'of several files, a missing one is skipped as kubectl does',
    );
  });
});
