/**
 * Secrets and ConfigMaps on the test server, through the real client-node: the z2jh hub Secret's
 * values.yaml as base64 `data`, list/get/watch with selectors, discovery, and RBAC that denies secrets
 * to a token that may read everything else.
 */
import assert from 'node:assert/strict';
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import * as k8s from '../../k8s-server/objects';
import { apiError } from '../../k8s-server/apiError';
import { testTokens } from '../../k8s-server/auth';
import { useTestServer } from '../../k8s-server/useTestServer';
import { waitFor } from '../../k8s-server/waitFor';

const a = { namespace: 'hub-a', chart: '4.2.0' };
const b = { namespace: 'hub-b', chart: '3.3.8' };

describe('k8s test server: secrets and config maps with client-node', () => {
  const server = useTestServer({ tokens: testTokens('admin', 'noSecrets', 'hubAOnly') });

  const fill = () =>
    server().cluster.applyAll([
      k8s.namespace('hub-a'),
      k8s.namespace('hub-b'),
      k8s.node({ name: 'gke-core-1', pool: 'core' }),
      k8s.kubeRootCaConfigMap('hub-a'),
      k8s.kubeRootCaConfigMap('hub-b'),
      k8s.hubConfigMap(a),
      k8s.hubConfigMap(b),
      k8s.hubSecret(a, { concurrentSpawnLimit: 40 }),
      k8s.hubSecret(b),
      k8s.hubPod({ ...a, node: 'gke-core-1' }),
    ]);
  const core = (token = 'admin') => server().kubeConfig({ token }).makeApiClient(CoreV1Api);

  it('serves the hub k8s.Secret with values.yaml as base64 data, and the z2jh labels', async () => {
    fill();
    const secret = await core().readNamespacedSecret({ namespace: 'hub-a', name: 'hub' });
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(Object.keys(secret.data ?? {}).sort(), [
      'hub.config.ConfigurableHTTPProxy.auth_token',
      'hub.config.CryptKeeper.keys',
      'hub.config.JupyterHub.cookie_secret',
      'values.yaml',
    ]);
    const values = Buffer.from(secret.data!['values.yaml']!, 'base64').toString('utf8');
    assert.match(values, /^ {2}concurrentSpawnLimit: 40$/m);
    assert.match(values, /^Chart:\n {2}AppVersion: 5\.3\.0\n {2}Name: jupyterhub\n {2}Version: 4\.2\.0$/m);
    assert.equal(secret.metadata?.labels?.component, 'hub');
    assert.equal(secret.metadata?.labels?.['helm.sh/chart'], 'jupyterhub-4.2.0');
    // The 3.3.8 release renders the chart default, 64, and no 4.1+ labels.
    const legacy = await core().readNamespacedSecret({ namespace: 'hub-b', name: 'hub' });
    assert.match(Buffer.from(legacy.data!['values.yaml']!, 'base64').toString('utf8'), /concurrentSpawnLimit: 64\n/);
    assert.equal(legacy.metadata?.labels?.['helm.sh/chart'], undefined);
  });

  it('mounts the k8s.Secret and ConfigMap in the hub pod as z2jh does', async () => {
    fill();
    const [pod] = (await core().listNamespacedPod({ namespace: 'hub-a', labelSelector: 'component=hub' })).items;
    const volumes = pod!.spec!.volumes!;
    assert.equal(volumes.find((v) => v.name === 'secret')?.secret?.secretName, 'hub');
    assert.equal(volumes.find((v) => v.name === 'config')?.configMap?.name, 'hub');
    const mounts = pod!.spec!.containers[0]!.volumeMounts!;
    assert.ok(mounts.some((m) => m.name === 'secret' && m.mountPath === '/usr/local/etc/jupyterhub/secret/'));
  });

  it('lists secrets and config maps across and within namespaces, with label and field selectors', async () => {
    fill();
    const api = core();
    const all = await api.listSecretForAllNamespaces();
    assert.deepEqual(
      all.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`),
      ['hub-a/hub', 'hub-b/hub'],
    );
    const cms = await api.listNamespacedConfigMap({ namespace: 'hub-a' });
    assert.deepEqual(
      cms.items.map((c) => c.metadata?.name),
      ['hub', 'kube-root-ca.crt'],
    );
    assert.ok(cms.items[0]!.data?.['jupyterhub_config.py']?.includes('concurrent_spawn_limit'));
    assert.equal(cms.items[0]!.data?.['values.yaml'], undefined, 'z2jh 1.0+ keeps the values in the Secret');
    const hubOnly = await api.listConfigMapForAllNamespaces({ labelSelector: 'component=hub,app=jupyterhub' });
    assert.equal(hubOnly.items.length, 2);

    server().cluster.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-pull-secret', namespace: 'hub-a' },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': '{"auths":{}}' },
    } as k8s.Secret);
    const opaque = await api.listNamespacedSecret({ namespace: 'hub-a', fieldSelector: 'type=Opaque' });
    assert.deepEqual(
      opaque.items.map((s) => s.metadata?.name),
      ['hub'],
    );
    // stringData is folded into base64 data on write, as the API server does.
    const pull = await api.readNamespacedSecret({ namespace: 'hub-a', name: 'image-pull-secret' });
    assert.equal(Buffer.from(pull.data!['.dockerconfigjson']!, 'base64').toString('utf8'), '{"auths":{}}');
    assert.equal((pull as { stringData?: unknown }).stringData, undefined);

    const bad = await apiError(api.listNamespacedConfigMap({ namespace: 'hub-a', fieldSelector: 'type=Opaque' }));
    assert.equal(bad.code, 400);
    assert.match(String(bad.body), /field label not supported: type/);
  });

  it('answers 404 for a missing k8s.Secret, with the API server wording', async () => {
    fill();
    const e = await apiError(core().readNamespacedSecret({ namespace: 'hub-a', name: 'jhub-hub' }));
    assert.equal(e.code, 404);
    assert.match(String(e.body), /secrets \\?"jhub-hub\\?" not found/);
  });

  it('watches secrets: a helm upgrade that changes values.yaml arrives as MODIFIED', async () => {
    fill();
    const seen: { type: string; name?: string; limit?: string }[] = [];
    const controller = await new Watch(server().kubeConfig()).watch(
      '/api/v1/namespaces/hub-a/secrets',
      { labelSelector: 'component=hub' },
      (type, object: k8s.Secret) => {
        const values = Buffer.from(object.data?.['values.yaml'] ?? '', 'base64').toString('utf8');
        seen.push({ type, name: object.metadata.name, limit: /concurrentSpawnLimit: (\d+)/.exec(values)?.[1] });
      },
      () => undefined,
    );
    try {
      await waitFor(() => seen.length === 1, 'the initial ADDED');
      server().cluster.apply(k8s.hubSecret(a, { concurrentSpawnLimit: 80 }));
      await waitFor(() => seen.length === 2, 'the MODIFIED');
      assert.deepEqual(seen, [
        { type: 'ADDED', name: 'hub', limit: '40' },
        { type: 'MODIFIED', name: 'hub', limit: '80' },
      ]);
    } finally {
      controller.abort();
    }
  });

  it('lists secrets and configmaps in discovery', async () => {
    const list = (await core().getAPIResources()).resources;
    const secrets = list.find((r) => r.name === 'secrets');
    const configMaps = list.find((r) => r.name === 'configmaps');
    assert.deepEqual([secrets?.kind, secrets?.namespaced, secrets?.verbs], ['Secret', true, ['get', 'list', 'watch']]);
    assert.deepEqual([configMaps?.kind, configMaps?.shortNames], ['ConfigMap', ['cm']]);
  });

  it('denies secrets to a token with secrets: false, with the API server wording, and nothing else', async () => {
    fill();
    const api = core('no-secrets');
    const get = await apiError(api.readNamespacedSecret({ namespace: 'hub-a', name: 'hub' }));
    assert.equal(get.code, 403);
    assert.match(
      String(get.body),
      /secrets \\?"hub\\?" is forbidden: User \\?"system:serviceaccount:hubops:viewer\\?" cannot get resource \\?"secrets\\?" in API group \\?"\\?" in the namespace \\?"hub-a\\?"/,
    );
    const list = await apiError(api.listSecretForAllNamespaces());
    assert.equal(list.code, 403);
    assert.match(String(list.body), /cannot list resource \\?"secrets\\?" in API group \\?"\\?" at the cluster scope/);
    // Everything else still works for that token.
    assert.equal((await api.readNamespacedConfigMap({ namespace: 'hub-a', name: 'hub' })).metadata?.name, 'hub');
    assert.equal((await api.listNamespacedPod({ namespace: 'hub-a' })).items.length, 1);
  });

  it('limits secrets to a namespace-limited token’s namespaces', async () => {
    fill();
    const api = core('hub-a-only');
    assert.equal((await api.readNamespacedSecret({ namespace: 'hub-a', name: 'hub' })).metadata?.name, 'hub');
    const other = await apiError(api.readNamespacedSecret({ namespace: 'hub-b', name: 'hub' }));
    assert.equal(other.code, 403);
    const cm = await apiError(api.listNamespacedConfigMap({ namespace: 'hub-b' }));
    assert.equal(cm.code, 403);
  });
});
