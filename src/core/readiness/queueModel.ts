import type { EventPlan, ReadinessInputs } from './inputs';
import { fitCount, type QueueModel, type Resources, type SimNode } from './simulate';

/** Changes the suggestions try, applied to what was read (before the event starts). */
export interface Adjustments {
  spawnLimit?: number;
  /** Placeholder replicas, set long enough before the event for the autoscaler to add their nodes. */
  placeholderReplicas?: number;
  /** Nodes added to the pool before the event (autoscaler min raised, or the pool resized). */
  extraNodes?: number;
  /** The node group's new max (total nodes). */
  poolMaxNodes?: number;
}

/** The requests of one attendee's server. */
export function userRequest(inputs: ReadinessInputs): Resources {
  return {
    memoryBytes: inputs.userMemoryGuarantee.value ?? 0,
    cpuMillis: (inputs.userCpuGuarantee.value ?? 0) * 1000,
    pods: 1,
  };
}

const freeOf = (n: { allocatable: Resources; requested: Resources }): Resources => ({
  memoryBytes: n.allocatable.memoryBytes - n.requested.memoryBytes,
  cpuMillis: n.allocatable.cpuMillis - n.requested.cpuMillis,
  pods: n.allocatable.pods - n.requested.pods,
});

/** The pool's ready, schedulable nodes as the simulation takes them. */
export function simNodes(inputs: ReadinessInputs): SimNode[] | null {
  const pool = inputs.pool.value;
  if (!pool) return null;
  return pool.nodes
    .filter((n) => n.ready && n.schedulable)
    .map((n) => ({ free: freeOf(n), placeholders: n.placeholders }));
}

/** User servers the pool can take now: free room plus what its placeholders hold. */
export function slotsNow(inputs: ReadinessInputs): number | null {
  const nodes = simNodes(inputs);
  if (!nodes) return null;
  const user = userRequest(inputs);
  const ph = inputs.placeholderRequest.value;
  return nodes.reduce(
    (sum, n) =>
      sum +
      fitCount(
        {
          memoryBytes: n.free.memoryBytes + n.placeholders * ph.memoryBytes,
          cpuMillis: n.free.cpuMillis + n.placeholders * ph.cpuMillis,
          pods: n.free.pods + n.placeholders,
        },
        user,
      ),
    0,
  );
}

/** User servers one new node of the pool takes (0 when none can be added or a server does not fit). */
export function slotsPerNewNode(inputs: ReadinessInputs): number {
  const room = inputs.pool.value?.newNode;
  return room ? Math.min(fitCount(room, userRequest(inputs)), 10_000) : 0;
}

/** How many more nodes the pool may get (Infinity-free: 0 without an autoscaler). */
export function nodeHeadroom(inputs: ReadinessInputs, adjust: Adjustments = {}): number {
  const a = inputs.autoscaler.value;
  const nodes = inputs.pool.value?.nodes.length ?? 0;
  if (adjust.poolMaxNodes !== undefined) return Math.max(0, adjust.poolMaxNodes - Math.max(a?.target ?? 0, nodes));
  return a ? a.headroom : 0;
}

/** The simulation's model of the event as the hub stands (or with `adjust` applied beforehand). */
export function queueModel(inputs: ReadinessInputs, plan: EventPlan, adjust: Adjustments = {}): QueueModel {
  const user = userRequest(inputs);
  const placeholder = inputs.placeholderRequest.value;
  let nodes = simNodes(inputs);
  const newNode = inputs.pool.value?.newNode ?? null;
  const autoscaling = inputs.autoscaler.value !== null || adjust.poolMaxNodes !== undefined;
  let headroom = nodeHeadroom(inputs, adjust);
  // Placeholders the StatefulSet still has to create count as pending.
  let pendingPlaceholders =
    inputs.placeholdersPending +
    Math.max(0, inputs.placeholderReplicas.value - inputs.placeholdersRunning - inputs.placeholdersPending);

  if (nodes && newNode && adjust.extraNodes) {
    // Within the node group's max when an autoscaler manages the pool; a fixed pool is resized by hand.
    const added = autoscaling ? Math.min(adjust.extraNodes, headroom) : adjust.extraNodes;
    for (let i = 0; i < added; i++) nodes.push({ free: { ...newNode }, placeholders: 0 });
    headroom = Math.max(0, headroom - added);
  }
  if (nodes && adjust.placeholderReplicas !== undefined) {
    // Applied ahead of time: the new placeholders took free room, then nodes the autoscaler added for them.
    const running = nodes.reduce((s, n) => s + n.placeholders, 0);
    let missing = Math.max(0, adjust.placeholderReplicas - running);
    nodes = nodes.map((n) => ({ ...n, free: { ...n.free } }));
    const place = (n: SimNode) => {
      const k = Math.min(missing, fitCount(n.free, placeholder));
      n.placeholders += k;
      n.free = {
        memoryBytes: n.free.memoryBytes - k * placeholder.memoryBytes,
        cpuMillis: n.free.cpuMillis - k * placeholder.cpuMillis,
        pods: n.free.pods - k * placeholder.pods,
      };
      missing -= k;
    };
    nodes.forEach(place);
    while (missing > 0 && newNode && autoscaling && headroom > 0 && fitCount(newNode, placeholder) > 0) {
      const n: SimNode = { free: { ...newNode }, placeholders: 0 };
      place(n);
      nodes.push(n);
      headroom--;
    }
    pendingPlaceholders = missing;
  }

  return {
    attendees: plan.attendees,
    arrivalMinutes: plan.arrivalMinutes,
    spawnLimit: adjust.spawnLimit ?? inputs.spawnLimit.value,
    activeServerLimit: inputs.activeServerLimit.value,
    activeServersAtStart: inputs.activeServers,
    spawnSeconds: inputs.spawnSeconds.value,
    retrySeconds: { min: 30, max: 60 },
    user,
    placeholder,
    nodes,
    pendingPlaceholders: nodes ? pendingPlaceholders : 0,
    newNode,
    autoscaler: autoscaling ? { maxNewNodes: headroom, scaleUpSeconds: inputs.scaleUpSeconds.value } : null,
  };
}
