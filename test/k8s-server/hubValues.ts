/**
 * The Helm values z2jh renders into the hub Secret's `values.yaml`: the chart's defaults merged with the
 * operator's config, plus `Chart` and `Release` (the chart's secret template adds them), keys sorted as
 * Helm's toYaml writes them. Abridged to the parts an operator recognises; the spawn settings are real.
 * Secrets live in there too (OAuth client secret, proxy token): tests check they never leave the client.
 */
import { createHash } from 'node:crypto';
import { dumpYaml } from '@kubernetes/client-node';

export interface HubValuesOptions {
  /**
   * `hub.concurrentSpawnLimit`. Default 64 (the chart's default, so the key is always there); null = the
   * key is absent, as after an operator's `concurrentSpawnLimit: null` (Helm deletes nulled keys).
   */
  concurrentSpawnLimit?: number | null;
  /** `hub.consecutiveFailureLimit` (chart default 5). */
  consecutiveFailureLimit?: number;
  /** `hub.baseUrl` (default '/'). */
  baseUrl?: string;
  /** Extra `hub.config` sections (traitlets), e.g. `{ JupyterHub: { concurrent_spawn_limit: 10 } }`. */
  hubConfig?: Record<string, Record<string, unknown>>;
  /** `scheduling.userPlaceholder.replicas` (default 6). */
  placeholderReplicas?: number;
  /** The OAuth client secret in `hub.config.GitHubOAuthenticator` (default derived from the namespace). */
  clientSecret?: string;
}

/** The parts of a release the values mention (a subset of objects.ts's `Release`). */
export interface ValuesRelease {
  namespace: string;
  release?: string;
  chart?: string;
  /** `Chart.AppVersion`: the JupyterHub version the chart ships (objects.ts maps charts to it). */
  appVersion?: string;
}

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);

/** The merged values as an object (what `helm get values --all` shows). */
export function hubValues(r: ValuesRelease, o: HubValuesOptions = {}): Record<string, unknown> {
  const chart = r.chart ?? '4.2.0';
  const release = r.release ?? r.namespace;
  const limit = o.concurrentSpawnLimit === undefined ? 64 : o.concurrentSpawnLimit;
  const hub: Record<string, unknown> = {
    activeServerLimit: null,
    allowNamedServers: true,
    baseUrl: o.baseUrl ?? '/',
    ...(limit === null ? {} : { concurrentSpawnLimit: limit }),
    config: {
      GitHubOAuthenticator: {
        allowed_organizations: [`${r.namespace}-org`],
        client_id: hex(`${r.namespace}/client-id`, 20),
        client_secret: o.clientSecret ?? hex(`${r.namespace}/client-secret`, 40),
        oauth_callback_url: `https://${r.namespace}.hubs.example.org/hub/oauth_callback`,
        scope: ['read:org'],
      },
      JupyterHub: { admin_access: true, authenticator_class: 'github' },
      ...o.hubConfig,
    },
    consecutiveFailureLimit: o.consecutiveFailureLimit ?? 5,
    db: { pvc: { accessModes: ['ReadWriteOnce'], storage: '1Gi' }, type: 'sqlite-pvc', upgrade: null, url: null },
    deploymentStrategy: { type: 'Recreate' },
    image: { name: 'quay.io/jupyterhub/k8s-hub', tag: chart },
    livenessProbe: { enabled: true, failureThreshold: 30, initialDelaySeconds: 300, periodSeconds: 10 },
    networkPolicy: { enabled: true },
    nodeSelector: { 'hub.jupyter.org/node-purpose': 'core' },
    readinessProbe: { enabled: true, failureThreshold: 1000, periodSeconds: 2 },
    resources: {},
    revisionHistoryLimit: null,
  };
  return {
    Chart: { AppVersion: r.appVersion ?? '5.3.0', Name: 'jupyterhub', Version: chart },
    Release: { Name: release, Namespace: r.namespace, Service: 'Helm' },
    cull: { enabled: true, every: 600, maxAge: 0, timeout: 3600, users: false },
    debug: { enabled: false },
    fullnameOverride: '',
    hub,
    prePuller: { continuous: { enabled: true }, hook: { enabled: true } },
    proxy: { chp: { networkPolicy: { enabled: true } }, service: { type: 'LoadBalancer' } },
    rbac: { create: true },
    scheduling: {
      podPriority: { enabled: true },
      userPlaceholder: { enabled: true, replicas: o.placeholderReplicas ?? 6 },
      userScheduler: { enabled: true, replicas: 2 },
    },
    singleuser: {
      cpu: { guarantee: null, limit: null },
      image: { name: 'quay.io/jupyterhub/k8s-singleuser-sample', tag: chart },
      memory: { guarantee: '1G', limit: null },
      storage: { capacity: '10Gi', type: 'dynamic' },
    },
  };
}

/** `values.yaml` as the hub Secret holds it (before base64). */
export function hubValuesYaml(r: ValuesRelease, o: HubValuesOptions = {}): string {
  return dumpYaml(hubValues(r, o), { sortKeys: true, lineWidth: -1 });
}
