/**
 * Prometheus servers as they appear in a cluster, for the service proxy to forward to a real (test)
 * Prometheus: 2i2c's `support` chart (the prometheus-community chart's server: Service
 * `support-prometheus-server` in namespace `support`, port 80 → 9090) and kube-prometheus-stack
 * (prometheus-operator's governing Service `prometheus-operated`, port `web` 9090, and the release's
 * `<release>-kube-prometheus-prometheus`).
 */
import type { ClusterState } from './cluster';
import { at, namespace as namespaceObject, uidFor } from './objects';
import type { KubeObject, Pod } from './wireTypes';

export type PrometheusFlavour = 'support-chart' | 'kube-prometheus-stack';

interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
}

function service(
  ns: string,
  name: string,
  labels: Record<string, string>,
  selector: Record<string, string>,
  ports: ServicePort[],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, uid: uidFor('service', ns, name), labels, creationTimestamp: at(-30 * 86400) },
    spec: {
      type: 'ClusterIP',
      clusterIP: name === 'prometheus-operated' ? 'None' : '10.8.12.40',
      ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
      selector,
    },
  };
}

function serverPod(ns: string, name: string, labels: Record<string, string>, node: string): Pod {
  const created = at(-30 * 86400);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, uid: uidFor('pod', ns, name), labels, creationTimestamp: created },
    spec: {
      nodeName: node,
      containers: [
        {
          name: 'prometheus-server',
          image: 'quay.io/prometheus/prometheus:v2.42.0',
          ports: [{ containerPort: 9090, name: 'web' }],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.4.0.40',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: created }],
    },
  } as unknown as Pod;
}

export interface InstalledPrometheus {
  namespace: string;
  /** The Service the extension should find first. */
  service: string;
  port: string;
}

/**
 * Puts a Prometheus server of `flavour` into the cluster and sends its service-proxy requests to
 * `backendUrl` (a running test Prometheus, or any HTTP server standing in for one).
 */
export function installPrometheus(
  cluster: ClusterState,
  flavour: PrometheusFlavour,
  backendUrl: string,
  node = 'gke-hub-cluster-core-pool-8d1c3f2a-7k2x',
): InstalledPrometheus {
  if (flavour === 'support-chart') {
    const ns = 'support';
    const selector = {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/instance': 'support',
    };
    const labels = { ...selector, 'app.kubernetes.io/part-of': 'prometheus', 'helm.sh/chart': 'prometheus-25.27.0' };
    cluster.apply(namespaceObject(ns));
    cluster.apply(
      service(ns, 'support-prometheus-server', labels, selector, [{ name: 'http', port: 80, targetPort: 9090 }]),
    );
    cluster.apply(serverPod(ns, 'support-prometheus-server-6d9f8b7c5d-x2k4q', labels, node));
    cluster.setServiceBackend(ns, 'support-prometheus-server', backendUrl);
    return { namespace: ns, service: 'support-prometheus-server', port: 'http' };
  }
  const ns = 'monitoring';
  const selector = { 'app.kubernetes.io/name': 'prometheus', prometheus: 'kube-prometheus-stack-prometheus' };
  cluster.apply(namespaceObject(ns));
  cluster.apply(
    service(ns, 'prometheus-operated', { 'operated-prometheus': 'true' }, { 'app.kubernetes.io/name': 'prometheus' }, [
      { name: 'web', port: 9090, targetPort: 'web' },
    ]),
  );
  cluster.apply(
    service(
      ns,
      'kube-prometheus-stack-prometheus',
      { app: 'kube-prometheus-stack-prometheus', release: 'kube-prometheus-stack' },
      selector,
      [{ name: 'http-web', port: 9090, targetPort: 9090 }],
    ),
  );
  cluster.apply(serverPod(ns, 'prometheus-kube-prometheus-stack-prometheus-0', selector, node));
  cluster.setServiceBackend(ns, 'prometheus-operated', backendUrl);
  cluster.setServiceBackend(ns, 'kube-prometheus-stack-prometheus', backendUrl);
  return { namespace: ns, service: 'prometheus-operated', port: 'web' };
}
