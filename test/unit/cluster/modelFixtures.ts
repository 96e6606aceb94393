/**
 * Turns the test server's wire objects into what client-node hands the model: typed list results go
 * through client-node's own deserializer (timestamps become Date objects, as after a list call), and
 * `raw` keeps the JSON as a watch event delivers it (timestamps stay strings).
 */
import type { CoreV1Event, PodMetric, V1Node, V1Pod } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { buildHubsWithEvents, type ClusterSnapshot, type HubExtras } from '../../../src/core/cluster/buildModel';
import { normalizeEvent } from '../../../src/core/cluster/clusterEvents';
import type { HubModel } from '../../../src/core/cluster/model';
import type { CoreEvent, KubeObject, Node, Pod, PodMetrics } from '../../k8s-server/objects';

export const typedPod = (pod: Pod): V1Pod => ObjectSerializer.deserialize(structuredClone(pod), 'V1Pod') as V1Pod;
export const typedNode = (node: Node): V1Node =>
  ObjectSerializer.deserialize(structuredClone(node), 'V1Node') as V1Node;
export const typedEvent = (event: CoreEvent): CoreV1Event =>
  ObjectSerializer.deserialize(structuredClone(event), 'CoreV1Event') as CoreV1Event;
/** As a watch event delivers it: plain JSON, times as strings. */
export const raw = <T>(object: KubeObject): T => structuredClone(object) as unknown as T;
export const asMetric = (m: PodMetrics): PodMetric => structuredClone(m) as unknown as PodMetric;

export interface Scene {
  pods?: Pod[];
  events?: CoreEvent[];
  nodes?: Node[] | null;
  metrics?: PodMetrics[] | null;
  hubExtras?: Map<string, HubExtras>;
  previousLogs?: Map<string, string>;
  now: string;
}

export function snapshotOf(scene: Scene): ClusterSnapshot {
  return {
    pods: (scene.pods ?? []).map(typedPod),
    events: (scene.events ?? []).map((e) => normalizeEvent(typedEvent(e))),
    nodes: scene.nodes === null ? null : (scene.nodes ?? []).map(typedNode),
    podMetrics: scene.metrics === null ? null : (scene.metrics ?? []).map(asMetric),
    ...(scene.hubExtras ? { hubExtras: scene.hubExtras } : {}),
    ...(scene.previousLogs ? { previousLogs: scene.previousLogs } : {}),
    now: Date.parse(scene.now),
  };
}

export function hubsOf(scene: Scene): HubModel[] {
  return buildHubsWithEvents(snapshotOf(scene)).hubs;
}

export function onlyHub(scene: Scene): HubModel {
  const hubs = hubsOf(scene);
  if (hubs.length !== 1) throw new Error(`expected one hub, got ${hubs.map((h) => h.release).join(', ') || 'none'}`);
  return hubs[0]!;
}

export function podNamed(hub: HubModel, name: string) {
  const pod = hub.pods.find((p) => p.name === name);
  if (!pod) throw new Error(`no pod ${name} in ${hub.pods.map((p) => p.name).join(', ')}`);
  return pod;
}
