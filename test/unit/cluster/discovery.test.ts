import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { jupyterhubForChart } from '../../../src/core/cluster/jupyterhubVersion';
import { parsePodName, unescapeEscapism, userServerOf } from '../../../src/core/cluster/userServer';
import { podRole } from '../../../src/core/cluster/z2jhLabels';
import {
  T0,
  at,
  hubPod,
  imagePullerPod,
  kubespawner6PodName,
  kubespawner7PodName,
  placeholderPod,
  proxyPod,
  userPod,
  userSchedulerPod,
  type Pod,
} from '../../k8s-server/objects';
import { hubsOf, onlyHub, podNamed, raw, typedPod } from './modelFixtures';

const withoutMeta = (pod: Pod, drop: { labels?: string[]; annotations?: string[] }): Pod => {
  const copy = structuredClone(pod);
  for (const l of drop.labels ?? []) delete copy.metadata.labels?.[l];
  for (const a of drop.annotations ?? []) delete copy.metadata.annotations?.[a];
  return copy;
};

describe('cluster model: hub discovery', () => {
  it('gives z2jh 3.x and 4.x pods their roles, and ignores pods that are not JupyterHub', () => {
    for (const chart of ['3.3.8', '4.2.0']) {
      const r = { namespace: 'hub-a', chart };
      const roles = [
        hubPod({ ...r, node: 'core-1' }),
        proxyPod({ ...r, node: 'core-1' }),
        userPod({ ...r, username: 'ana', node: 'user-1' }),
        placeholderPod({ ...r, index: 0, node: 'user-1' }),
        userSchedulerPod({ ...r, node: 'core-1' }),
        imagePullerPod({ ...r, kind: 'continuous', node: 'user-1' }),
      ].map((p) => podRole(typedPod(p)));
      assert.deepEqual(roles, ['hub', 'proxy', 'user', 'placeholder', 'other', 'other'], `chart ${chart}`);
    }
    const foreign = raw<V1Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'coredns-1', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    });
    const hubs = hubsOf({ pods: [hubPod({ namespace: 'hub-a', node: 'n' })], now: T0 });
    assert.equal(hubs.length, 1);
    assert.equal(podRole(foreign), 'other');
  });

  it('finds one hub per release, from 3.x labels (release) and 4.1+ labels (app.kubernetes.io/instance)', () => {
    const old = { namespace: 'physics', chart: '3.3.8' };
    // A 4.x hub whose pods only carry the 4.1+ labels (the `release` label removed) is still found.
    const modern = { namespace: 'chem', chart: '4.3.2' };
    const modernHub = withoutMeta(hubPod({ ...modern, node: 'core-1' }), { labels: ['release', 'component', 'app'] });
    const hubs = hubsOf({
      pods: [
        hubPod({ ...old, node: 'core-1' }),
        proxyPod({ ...old, node: 'core-1' }),
        userPod({ ...old, username: 'ana', node: 'user-1' }),
        modernHub,
        userPod({ ...modern, username: 'bo', node: 'user-2' }),
        // Two releases in one namespace.
        hubPod({ namespace: 'shared', release: 'staging', node: 'core-2' }),
        hubPod({ namespace: 'shared', release: 'prod', node: 'core-2' }),
      ],
      now: T0,
    });
    assert.deepEqual(
      hubs.map((h) => [h.namespace, h.release, h.pods.map((p) => p.role).join(',')]),
      [
        ['chem', 'chem', 'hub,user'],
        ['physics', 'physics', 'hub,proxy,user'],
        ['shared', 'prod', 'hub'],
        ['shared', 'staging', 'hub'],
      ],
    );
  });

  it('puts a user pod without a release label into its namespace’s hub', () => {
    const r = { namespace: 'bio', release: 'bio-hub' };
    const unlabelled = withoutMeta(userPod({ ...r, username: 'cy', node: 'u' }), {
      labels: ['release', 'app.kubernetes.io/instance'],
    });
    const hub = onlyHub({ pods: [hubPod({ ...r, node: 'c' }), unlabelled], now: T0 });
    assert.equal(hub.release, 'bio-hub');
    assert.equal(podNamed(hub, 'jupyter-cy').role, 'user');
  });

  it('reads the JupyterHub version from the newest user pod’s annotation first', () => {
    const r = { namespace: 'hub-a', chart: '4.2.0' };
    /** A user pod of `username`, created at `created`, whose annotation says JupyterHub `version`. */
    const annotated = (username: string, created: string, version: string) =>
      userPod({ ...r, username, node: 'u', created, annotations: { 'hub.jupyter.org/jupyterhub-version': version } });
    const older = annotated('ana', at(-3600), '5.2.1');
    const newer = annotated('bo', at(-60), '5.4.3');
    const hub = onlyHub({ pods: [hubPod({ ...r, node: 'c' }), older, newer], now: T0 });
    assert.equal(hub.jupyterhubVersion, '5.4.3');
    assert.equal(hub.versionSource, 'user-pod-annotation');
    assert.match(hub.versionDetail, /jupyter-bo/);
  });

  it('falls back to the chart label through the chart table, then to the hub image tag', () => {
    // z2jh 3.x: KubeSpawner 6 writes no version annotation, the hub pod has no chart label: image tag.
    const r3 = { namespace: 'old', chart: '3.3.8' };
    const hub3 = onlyHub({
      pods: [hubPod({ ...r3, node: 'c' }), userPod({ ...r3, username: 'ana', node: 'u' })],
      now: T0,
    });
    assert.equal(hub3.jupyterhubVersion, '4.1.6');
    assert.equal(hub3.versionSource, 'chart-label'); // the KubeSpawner 6 user pod carries chart=jupyterhub-3.3.8
    assert.equal(hub3.chartVersion, '3.3.8');

    const hubOnly = onlyHub({ pods: [hubPod({ namespace: 'solo', chart: '4.3.2', node: 'c' })], now: T0 });
    assert.equal(hubOnly.jupyterhubVersion, '5.4.3');
    assert.equal(hubOnly.versionSource, 'hub-image-tag');
    assert.match(hubOnly.versionDetail, /4\.3\.2/);

    const custom = hubPod({ namespace: 'custom', node: 'c' });
    custom.spec.containers[0]!.image = 'registry.example.org/our-hub:2025-05-01';
    const unknown = onlyHub({ pods: [custom], now: T0 });
    assert.equal(unknown.jupyterhubVersion, null);
    assert.equal(unknown.versionSource, 'unknown');
  });

  it('maps chart versions to JupyterHub versions, including the 3.3.3–3.3.8 run and unknown charts', () => {
    const cases: [string, string | null][] = [
      ['3.0.0', '4.0.2'],
      ['3.2.1', '4.0.2'],
      ['3.3.2', '4.1.0'],
      ['3.3.3', '4.1.1'],
      ['3.3.8', '4.1.6'],
      ['4.0.0', '5.2.1'],
      ['4.1.0', '5.2.1'],
      ['4.2.0', '5.3.0'],
      ['4.3.0', '5.4.0'],
      ['4.3.1', '5.4.1'],
      ['4.3.2', '5.4.3'],
      ['4.3.5', '5.4.6'],
      ['4.4.0', '5.5.0'],
      ['4.0.1', null],
      ['2.0.0', null],
      ['4.2.1-0.dev.git.6957.h2b3c4d5', null],
    ];
    for (const [chart, jupyterhub] of cases) assert.equal(jupyterhubForChart(chart), jupyterhub, chart);
  });
});

describe('cluster model: user servers', () => {
  const r7 = { namespace: 'hub-a', chart: '4.2.0' };
  const r6 = { namespace: 'hub-b', chart: '3.3.8' };

  it('takes the raw user and server names from KubeSpawner’s annotations', () => {
    const pod = typedPod(userPod({ ...r7, username: 'Li.Wei@example.org', servername: 'gpu run', node: 'u' }));
    assert.deepEqual(userServerOf(pod), { name: 'Li.Wei@example.org', server: 'gpu run', source: 'annotation' });
    const defaultServer = typedPod(userPod({ ...r7, username: 'ana', node: 'u' }));
    assert.deepEqual(userServerOf(defaultServer), { name: 'ana', server: '', source: 'annotation' });
  });

  it('falls back to the labels when the annotations are gone', () => {
    const pod = userPod({ ...r7, username: 'li.wei', servername: 'gpu', node: 'u' });
    const bare = withoutMeta(pod, { annotations: ['hub.jupyter.org/username', 'hub.jupyter.org/servername'] });
    assert.deepEqual(userServerOf(typedPod(bare)), { name: 'li-wei---0a5df1f7', server: 'gpu', source: 'label' });
  });

  it('parses KubeSpawner 6 (escapism) and 7 (safe slug) pod names back into names', () => {
    assert.equal(kubespawner6PodName('li.wei'), 'jupyter-li-2ewei');
    assert.deepEqual(parsePodName(kubespawner6PodName('li.wei'), 'escapism'), { name: 'li.wei', server: '' });
    assert.deepEqual(parsePodName(kubespawner6PodName('ana-maria', 'gpu.1'), 'escapism'), {
      name: 'ana-maria',
      server: 'gpu.1',
    });
    assert.deepEqual(parsePodName(kubespawner6PodName('zoë'), 'escapism'), { name: 'zoë', server: '' });
    assert.equal(unescapeEscapism('j-40x-2eorg'), 'j@x.org');

    assert.equal(kubespawner7PodName('li.wei'), 'jupyter-li-wei---0a5df1f7');
    assert.deepEqual(parsePodName('jupyter-li-wei---0a5df1f7', 'safe-slug'), { name: 'li-wei', server: '' });
    assert.deepEqual(parsePodName(kubespawner7PodName('ana', 'gpu'), 'safe-slug'), { name: 'ana', server: 'gpu' });
    assert.deepEqual(parsePodName(kubespawner7PodName('li.wei', 'gpu'), 'safe-slug'), {
      name: 'li-wei',
      server: 'gpu',
    });
    // A long user + server pair is hashed once for both (multi slug).
    const long = kubespawner7PodName('a-very-long-user-name-for-testing', 'an-equally-long-server-name');
    assert.match(long, /---[0-9a-f]{8}$/);
    const parsed = parsePodName(long, 'safe-slug')!;
    assert.ok('a-very-long-user-name-for-testing'.startsWith(parsed.name), parsed.name);
    assert.ok('an-equally-long-server-name'.startsWith(parsed.server), parsed.server);
    assert.equal(parsePodName('hub-7d9f8-abcde', 'safe-slug'), null);
  });

  it('uses the pod name when labels and annotations are both gone, guessing the scheme from the chart', () => {
    const strip = {
      labels: ['hub.jupyter.org/username', 'hub.jupyter.org/servername'],
      annotations: ['hub.jupyter.org/username', 'hub.jupyter.org/servername', 'hub.jupyter.org/kubespawner-version'],
    };
    const ks6 = withoutMeta(userPod({ ...r6, username: 'li.wei', servername: 'gpu', node: 'u' }), strip);
    assert.equal(ks6.metadata.name, 'jupyter-li-2ewei--gpu');
    assert.deepEqual(userServerOf(typedPod(ks6)), { name: 'li.wei', server: 'gpu', source: 'pod-name' });
    const ks7 = withoutMeta(userPod({ ...r7, username: 'li.wei', node: 'u' }), strip);
    assert.deepEqual(userServerOf(typedPod(ks7)), { name: 'li-wei', server: '', source: 'pod-name' });
    // No chart label either: an escaped '.' reads as escapism, a ---hash as a safe slug.
    const noChart = { ...strip, labels: [...strip.labels, 'chart', 'helm.sh/chart'] };
    assert.deepEqual(userServerOf(typedPod(withoutMeta(userPod({ ...r6, username: 'j.doe', node: 'u' }), noChart))), {
      name: 'j.doe',
      server: '',
      source: 'pod-name',
    });
  });

  it('puts the user on the pod model and works on raw watch objects (string times) too', () => {
    const pod = userPod({ ...r7, username: 'ana', servername: 'gpu', node: 'u' });
    const hub = onlyHub({ pods: [hubPod({ ...r7, node: 'c' }), pod], now: T0 });
    assert.deepEqual(podNamed(hub, pod.metadata.name).user, { name: 'ana', server: 'gpu', source: 'annotation' });
    assert.deepEqual(userServerOf(raw<V1Pod>(pod)), { name: 'ana', server: 'gpu', source: 'annotation' });
  });
});
