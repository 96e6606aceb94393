import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  ServerConfiguration,
  createConfiguration,
  dumpYaml,
  setHeaderMiddleware,
  type CoreV1Event,
  type PodMetric,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import { err, ok, UserError, type Result } from '../result';
import { hubConfigObjects, parseHubValues, type HubConfigRead } from './hubConfig';
import { summarizeHubMetrics, type HubMetricsReading } from './hubMetrics';
import { DisposableHttpLibrary } from './disposableHttp';
import { describeKubeError, statusOf, type KubeProblem, type KubeProblemCode, type RequestWhat } from './kubeErrors';

/** Every z2jh pod carries a `component` label (3.x and 4.x): listing only those skips kube-system & co. */
export const z2jhPodSelector = 'component';

/**
 * One kubeconfig context's API access: its own KubeConfig (client-node reads the current context for
 * every request), the typed core API and the metrics API. Holds credentials: never log or serialise it.
 */
export class ContextClient {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  readonly server: string;
  private readonly http = new DisposableHttpLibrary();

  /** The client of `context`, or why there is none (no such context, a config client-node refuses). */
  static open(base: KubeConfig, context: string): Result<ContextClient, UserError> {
    try {
      return ok(new ContextClient(base, context));
    } catch (error) {
      return err(error instanceof UserError ? error : new UserError(String(error), 'no-context'));
    }
  }

  constructor(
    base: KubeConfig,
    readonly context: string,
  ) {
    if (!base.getContextObject(context))
      throw new UserError(`No context "${context}" in the kubeconfig.`, 'no-context');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: base.clusters,
      users: base.users,
      contexts: base.contexts,
      currentContext: context,
    });
    this.kubeConfig = kc;
    this.server = kc.getCurrentCluster()?.server ?? '';
    if (!this.server) {
      throw new UserError(`Context "${context}" names a cluster that has no server URL.`, 'no-server');
    }
    // makeApiClient's configuration, with an HTTP library that can be disposed (see disposableHttp.ts).
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(this.server, {}),
      authMethods: { default: kc },
      httpApi: this.http,
      middleware: [setHeaderMiddleware('User-Agent', 'jupyterhub-ops')],
    });
    this.core = new CoreV1Api(configuration);
    this.custom = new CustomObjectsApi(configuration);
  }

  /** Aborts requests in flight and closes their connections. */
  dispose(): void {
    this.http.dispose();
  }

  problem(error: unknown, action: string, namespace?: string, clusterScoped = false): KubeProblem {
    const what: RequestWhat = { context: this.context, server: this.server, action, clusterScoped };
    if (namespace !== undefined) what.namespace = namespace;
    return describeKubeError(error, what);
  }

  async listPods(namespace?: string): Promise<{ items: V1Pod[]; resourceVersion: string }> {
    const list = namespace
      ? await this.core.listNamespacedPod({ namespace, labelSelector: z2jhPodSelector })
      : await this.core.listPodForAllNamespaces({ labelSelector: z2jhPodSelector });
    return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  async listEvents(namespace?: string): Promise<{ items: CoreV1Event[]; resourceVersion: string }> {
    const list = namespace
      ? await this.core.listNamespacedEvent({ namespace })
      : await this.core.listEventForAllNamespaces();
    return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  async listNodes(): Promise<{ items: V1Node[]; resourceVersion: string }> {
    const list = await this.core.listNode();
    return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  /** Every pod bound to one node, in any namespace (what already takes the node's room). */
  async listPodsOnNode(node: string): Promise<V1Pod[]> {
    const list = await this.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` });
    return list.items;
  }

  /** One ConfigMap's data, or why it is not there (404 and 403 are normal answers, not failures). */
  async readConfigMapData(namespace: string, name: string): Promise<Result<Record<string, string>, KubeProblem>> {
    try {
      const configMap = await this.core.readNamespacedConfigMap({ name, namespace });
      return ok(configMap.data ?? {});
    } catch (error) {
      return err(this.problem(error, `read ConfigMap ${name}`, namespace));
    }
  }

  /** Pod metrics, or why there are none (no metrics-server is normal: the model says "no metrics"). */
  async podMetrics(namespace?: string): Promise<Result<PodMetric[], KubeProblem>> {
    const group = 'metrics.k8s.io';
    const version = 'v1beta1';
    try {
      const list: unknown = namespace
        ? await this.custom.listNamespacedCustomObject({ group, version, namespace, plural: 'pods' })
        : await this.custom.listClusterCustomObject({ group, version, plural: 'pods' });
      const items = (list as { items?: unknown } | null)?.items;
      return ok(Array.isArray(items) ? (items as PodMetric[]) : []);
    } catch (error) {
      const problem = this.problem(error, 'read pod metrics (metrics.k8s.io)', namespace);
      if (problem.code === 'not-found') {
        problem.message = `Context "${this.context}": no metrics API (metrics-server is not installed): memory shows "no metrics".`;
      }
      return err(problem);
    }
  }

  /**
   * The hub's Helm values, for its spawn limit: the Secret z2jh mounts in the hub pod (key `values.yaml`),
   * else the ConfigMap. Only the parsed settings leave this function: values.yaml holds the hub's
   * secrets (cookie secret, proxy token, auth client secrets) and must never be logged or kept.
   */
  async readHubConfig(namespace: string, hubPod: V1Pod | undefined): Promise<HubConfigRead> {
    return this.readHubValues(namespace, hubPod, parseHubValues, (reason, retry) => ({
      status: 'unreadable',
      reason,
      ...(retry ? { retry } : {}),
    }));
  }

  /**
   * The hub's values.yaml handed to `parse` (which keeps only the settings it needs), or `unreadable`
   * with why: the Secret z2jh mounts in the hub pod, else (when Secrets are forbidden) the ConfigMap.
   * `retry` says the failure may pass (a 500, no answer, rejected credentials).
   */
  async readHubValues<T>(
    namespace: string,
    hubPod: V1Pod | undefined,
    parse: (text: string, from: string) => T,
    unreadable: (reason: string, retry: boolean) => T,
  ): Promise<T> {
    const names = hubConfigObjects(hubPod);
    let secretProblem: KubeProblem;
    try {
      const secret = await this.core.readNamespacedSecret({ name: names.secret, namespace });
      const data = secret.data?.['values.yaml'];
      if (data) return parse(Buffer.from(data, 'base64').toString('utf8'), `Secret ${names.secret}`);
      return unreadable(`Secret ${names.secret} has no values.yaml`, false);
    } catch (error) {
      secretProblem = this.problem(error, `read Secret ${names.secret}`, namespace);
    }
    // A role that may not read Secrets may still read ConfigMaps, where some setups keep the values.
    if (secretProblem.code === 'forbidden') {
      try {
        const configMap = await this.core.readNamespacedConfigMap({ name: names.configMap, namespace });
        const text = configMap.data?.['values.yaml'];
        if (text) return parse(text, `ConfigMap ${names.configMap}`);
      } catch {
        // The Secret's problem is the one worth reporting: it is where z2jh keeps the values.
      }
    }
    return unreadable(secretReadReason(secretProblem, names.secret), passingProblems.has(secretProblem.code));
  }

  /** `/hub/metrics` through the API server's service proxy (needs services/proxy and an open metrics endpoint). */
  async readHubMetrics(
    namespace: string,
    options: { service?: string; baseUrl?: string | null } = {},
  ): Promise<Result<HubMetricsReading, KubeProblem>> {
    const service = options.service ?? 'hub';
    const base = (options.baseUrl ?? '/').replace(/^\/+|\/+$/g, '');
    const path = `${base ? `${base}/` : ''}hub/metrics`;
    const action = `read ${path} through service ${service}`;
    try {
      const text = await this.core.connectGetNamespacedServiceProxyWithPath({
        name: `${service}:8081`,
        namespace,
        path,
      });
      const reading = summarizeHubMetrics(String(text), new Date());
      if (!reading) {
        return err({
          code: 'unknown',
          status: 200,
          message: `Context "${this.context}": ${action}: no JupyterHub metrics in the answer.`,
        });
      }
      return ok(reading);
    } catch (error) {
      const problem = this.problem(error, action, namespace);
      if (statusOf(error) === 403 && problem.message.includes('services/proxy') === false) {
        // JupyterHub's own 403: the metrics need `read:metrics` unless authenticate_prometheus is off.
        problem.message += ' The hub may require read:metrics (set hub.authenticatePrometheus: false to open it).';
      }
      return err(problem);
    }
  }

  /** A container's log (tail), current or previous run. */
  async readPodLogs(
    namespace: string,
    pod: string,
    options: { container?: string; previous?: boolean; tailLines?: number } = {},
  ): Promise<Result<string, KubeProblem>> {
    try {
      const text = await this.core.readNamespacedPodLog({
        name: pod,
        namespace,
        ...(options.container ? { container: options.container } : {}),
        ...(options.previous ? { previous: true } : {}),
        ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
      });
      return ok(String(text ?? ''));
    } catch (error) {
      return err(this.problem(error, `read the ${options.previous ? 'previous ' : ''}log of pod ${pod}`, namespace));
    }
  }

  /**
   * The pod as YAML (client-node's `dumpYaml`). Environment values whose names say they are secret are
   * masked unless `reveal`: KubeSpawner puts the user's JUPYTERHUB_API_TOKEN in the pod's env.
   */
  async podYaml(
    namespace: string,
    pod: string,
    options: { reveal?: boolean } = {},
  ): Promise<Result<string, KubeProblem>> {
    try {
      const object = await this.core.readNamespacedPod({ name: pod, namespace });
      return ok(dumpYaml(options.reveal ? object : maskSecretEnv(object)));
    } catch (error) {
      return err(this.problem(error, `read pod ${pod}`, namespace));
    }
  }
}

/**
 * Problems that pass by themselves, unlike RBAC, a missing Secret or its content (which the running hub
 * read at start-up too, and which change only with a new hub pod).
 */
const passingProblems: ReadonlySet<KubeProblemCode> = new Set([
  'unauthorized',
  'server-error',
  'unreachable',
  'timeout',
  'unknown',
]);

/** Why the hub's Secret gave no values, in a few words (the model appends the default it assumes). */
function secretReadReason(problem: KubeProblem, secret: string): string {
  switch (problem.code) {
    case 'forbidden':
      return `not permitted to read Secret ${secret} (403 Forbidden)`;
    case 'not-found':
      return `Secret ${secret} not found (404)`;
    case 'unauthorized':
      return `hub config not readable: credentials rejected reading Secret ${secret} (401)`;
    default: {
      const status = problem.status ? ` (${problem.status})` : ` (${problem.code})`;
      return `hub config not readable: Secret ${secret}${status}`;
    }
  }
}

const secretName = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|CREDENTIAL|PRIVATE_KEY/i;

export function maskSecretEnv(pod: V1Pod): V1Pod {
  const copy = structuredClone(pod);
  for (const container of [...(copy.spec?.containers ?? []), ...(copy.spec?.initContainers ?? [])]) {
    for (const env of container.env ?? []) {
      if (env.value !== undefined && secretName.test(env.name)) env.value = '<hidden: reveal to show>';
    }
  }
  return copy;
}
