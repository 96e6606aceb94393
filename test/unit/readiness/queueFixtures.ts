/** Queue models for the simulation's unit tests: 1 GiB user servers on nodes of a given room. */
import type { QueueModel, Resources, SimNode } from '../../../src/core/readiness/simulate';

export const GiB = 2 ** 30;
export const user: Resources = { memoryBytes: GiB, cpuMillis: 0, pods: 1 };

/** A node with room for `slots` user servers (memory-bound), `placeholders` of them held by placeholders. */
export const node = (slots: number, placeholders = 0): SimNode => ({
  free: { memoryBytes: (slots - placeholders) * GiB, cpuMillis: 4000, pods: 110 },
  placeholders,
});

/** 100 attendees at once, spawn limit 64, 30 s spawns, three nodes of 14, no autoscaler, unless `over` says. */
export const model = (over: Partial<QueueModel>): QueueModel => ({
  attendees: 100,
  arrivalMinutes: 0,
  spawnLimit: 64,
  activeServerLimit: null,
  activeServersAtStart: 0,
  spawnSeconds: 30,
  retrySeconds: { min: 30, max: 60 },
  user,
  placeholder: user,
  nodes: [node(14), node(14), node(14)],
  pendingPlaceholders: 0,
  newNode: { memoryBytes: 14.5 * GiB, cpuMillis: 4000, pods: 110 },
  autoscaler: null,
  ...over,
});
