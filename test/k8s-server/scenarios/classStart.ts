/**
 * Scenario 2: a class starts. 150 students spawn at once against concurrentSpawnLimit 64: the hub
 * answers 429 (throttled) to the rest; admitted user pods fill the free room, preempt the user
 * placeholders, then wait Pending (FailedScheduling, Insufficient memory) while the cluster autoscaler
 * adds nodes (TriggeredScaleUp); new nodes are Ready ~10 virtual minutes later and pods get scheduled,
 * until the pool's maximum is reached (NotTriggerScaleUp). A small scheduler and autoscaler drive it,
 * ticking every 15 virtual seconds.
 */
import { hubPod, nodeMetrics, placeholderPod, podMetrics, uidFor, userPod, type Release } from '../objects';
import type { Node, Pod } from '../wireTypes';
import {
  corePoolNodes,
  deployRelease,
  ensureBaseNodes,
  initialUserNodes,
  userNode,
  userPoolGroup,
  userPoolMax,
  userPoolNode,
  usersPerNode,
} from './base';
import { hubMetricsText, type HubMetricsState } from './hubMetrics';
import { hubLogLine, hubStartupLines } from './hubLog';
import { recordEvent } from './recorder';
import { minutes, seconds, type ScenarioContext, type Step } from './timeline';

export interface ClassStartOptions {
  namespace?: string;
  /** Students who spawn at once (default 150). */
  students?: number;
  /** hub.concurrentSpawnLimit, in the hub Secret's values.yaml and enforced by the scenario (z2jh default 64). */
  spawnLimit?: number;
  /** When the class starts (default 60 s in). */
  classStartsAtMs?: number;
  /** How long a new node takes to become Ready (default 10 min). */
  nodeProvisionMs?: number;
  durationMs?: number;
}

interface UserState {
  phase: 'pending' | 'creating' | 'running';
  node?: string;
  /** Virtual ms when the pod was created. */
  since: number;
  creatingAt?: number;
  /** Scheduling attempts that failed. */
  attempts: number;
  /** A scale-up in flight counts this pod. */
  scaleUp: boolean;
}

const TICK = seconds(15);
const CONTAINER_START = seconds(20);

/** Student names, with a few that need KubeSpawner 7's safe slug (dots, capitals). */
export function studentNames(n: number): string[] {
  const special: Record<number, string> = { 7: 'li.wei', 19: 'Maria.Garcia', 42: 'o.brien', 101: 'j.smith' };
  return Array.from({ length: n }, (_, i) => special[i + 1] ?? `student-${String(i + 1).padStart(3, '0')}`);
}

export function classStartSteps(options: ClassStartOptions = {}): Step[] {
  const release: Release = { namespace: options.namespace ?? 'hub-classroom', chart: '4.2.0' };
  const ns = release.namespace;
  const limit = options.spawnLimit ?? 64;
  const startsAt = options.classStartsAtMs ?? seconds(60);
  const provisionMs = options.nodeProvisionMs ?? minutes(10);
  const duration = options.durationMs ?? minutes(30);
  const scheduler = `${ns}-user-scheduler`;
  const userResources = { memoryRequest: '1073741824', memoryLimit: '2147483648' };

  const tas = Array.from({ length: 20 }, (_, i) => `ta-${String(i + 1).padStart(2, '0')}`);
  const students = studentNames(options.students ?? 150);
  const users = new Map<string, UserState>();
  const queue: string[] = []; // students whose spawn the hub has not admitted yet
  const placeholders = new Map<number, { node?: string; gen: number }>();
  const readyNodes: string[] = Array.from({ length: initialUserNodes }, (_, i) => userPoolNode(i));
  const scaleUps: { arriveAt: number; from: number; to: number }[] = [];
  const metrics: HubMetricsState = {
    runningServers: 0,
    totalUsers: 612,
    spawns: { success: 0, failure: 0, throttled: 0 },
  };
  let plannedNodes = initialUserNodes;

  const used = (nodeName: string) =>
    [...users.values()].filter((u) => u.node === nodeName).length +
    [...placeholders.values()].filter((p) => p.node === nodeName).length;
  const freeNode = () => readyNodes.find((n) => used(n) < usersPerNode);

  const failedSchedulingMessage = (ctx: ScenarioContext) => {
    const nodes = ctx.cluster.list('nodes') as Node[];
    const core = nodes.filter((n) => n.metadata.labels?.['hub.jupyter.org/node-purpose'] === 'core').length;
    const user = nodes.length - core;
    return (
      `0/${nodes.length} nodes are available: ${core} node(s) didn't match Pod's node affinity/selector, ${user} Insufficient memory. ` +
      `preemption: 0/${nodes.length} nodes are available: ${core} Preemption is not helpful for scheduling, ${user} No preemption victims found for incoming pod.`
    );
  };

  const applyUser = (ctx: ScenarioContext, name: string): Pod => {
    const u = users.get(name)!;
    const created = new Date(ctx.start.getTime() + u.since).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const base = { ...release, ...userResources, username: name, created };
    if (u.phase === 'pending')
      return ctx.cluster.apply(userPod({ ...base, unschedulableMessage: failedSchedulingMessage(ctx) }));
    if (u.phase === 'creating')
      return ctx.cluster.apply(
        userPod({ ...base, node: u.node!, container: { state: 'waiting', reason: 'ContainerCreating' } }),
      );
    return ctx.cluster.apply(
      userPod({ ...base, node: u.node!, container: { state: 'running', ready: true, startedAt: ctx.iso() } }),
    );
  };

  const placeholderUid = (i: number) => uidFor('pod', ns, `user-placeholder-${i}`, String(placeholders.get(i)!.gen));
  const applyPlaceholder = (ctx: ScenarioContext, i: number): Pod => {
    const p = placeholders.get(i)!;
    return ctx.cluster.apply(
      placeholderPod({
        ...release,
        ...userResources,
        index: i,
        uid: placeholderUid(i),
        created: ctx.iso(),
        ...(p.node ? { node: p.node } : { unschedulableMessage: failedSchedulingMessage(ctx) }),
      }),
    );
  };

  const bind = (ctx: ScenarioContext, pod: Pod, nodeName: string) =>
    recordEvent(ctx, {
      involved: pod,
      reason: 'Scheduled',
      source: scheduler,
      message: `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`,
    });

  /** The hub admits spawns up to the limit; the rest get 429 now and retry about every 45 s. */
  const admit = (ctx: ScenarioContext, firstWave: boolean) => {
    const pendingSpawns = [...users.entries()].filter(([n, u]) => !tas.includes(n) && u.phase !== 'running').length;
    let room = limit - pendingSpawns;
    while (room > 0 && queue.length > 0) {
      const name = queue.shift()!;
      users.set(name, { phase: 'pending', since: ctx.elapsedMs, attempts: 0, scaleUp: false });
      applyUser(ctx, name);
      room--;
    }
    const retries = firstWave ? queue.length : Math.ceil((queue.length * TICK) / seconds(45));
    metrics.spawns.throttled += retries;
    if (retries > 0)
      ctx.cluster.logs.append(
        ns,
        hubName(),
        'hub',
        hubLogLine(
          'W',
          ctx.iso(),
          'base:1123',
          `${retries} spawns throttled: Too many users trying to log in right now. Try again in 47 seconds.`,
        ),
      );
  };

  const schedule = (ctx: ScenarioContext) => {
    const pending = [...users.entries()]
      .filter(([, u]) => u.phase === 'pending')
      .sort(([, a], [, b]) => a.since - b.since);
    for (const [name, u] of pending) {
      const free = freeNode();
      const victim = free ? undefined : [...placeholders.entries()].find(([, p]) => p.node);
      const target = free ?? victim?.[1].node;
      if (target) {
        if (victim) {
          const [index, p] = victim;
          const before = ctx.cluster.get<Pod>('Pod', ns, `user-placeholder-${index}`)!;
          const preemptor = uidFor('pod', ns, userPodName(name));
          recordEvent(ctx, {
            involved: before,
            reason: 'Preempted',
            source: scheduler,
            message: `Preempted by pod ${preemptor} on node ${target}`,
          });
          ctx.cluster.delete('Pod', ns, `user-placeholder-${index}`);
          placeholders.set(index, { gen: p.gen + 1 }); // the StatefulSet re-creates it, unscheduled
          applyPlaceholder(ctx, index);
        }
        u.phase = 'creating';
        u.node = target;
        u.creatingAt = ctx.elapsedMs;
        bind(ctx, applyUser(ctx, name), target);
        continue;
      }
      // Unschedulable: the scheduler says why (about once a minute per pod).
      if (u.attempts++ % 4 === 0) {
        const pod = applyUser(ctx, name);
        recordEvent(ctx, {
          involved: pod,
          reason: 'FailedScheduling',
          type: 'Warning',
          source: scheduler,
          message: failedSchedulingMessage(ctx),
        });
      }
    }
    for (const [index, p] of placeholders) {
      if (p.node) continue;
      const free = freeNode();
      if (free) {
        p.node = free;
        bind(ctx, applyPlaceholder(ctx, index), free);
      } else if (ctx.elapsedMs % minutes(1) < TICK) {
        const pod = ctx.cluster.get<Pod>('Pod', ns, `user-placeholder-${index}`)!;
        recordEvent(ctx, {
          involved: pod,
          reason: 'FailedScheduling',
          type: 'Warning',
          source: scheduler,
          message: failedSchedulingMessage(ctx),
        });
      }
    }
  };

  const startContainers = (ctx: ScenarioContext) => {
    for (const [name, u] of users) {
      if (u.phase === 'creating' && u.creatingAt !== undefined && ctx.elapsedMs - u.creatingAt >= CONTAINER_START) {
        u.phase = 'running';
        applyUser(ctx, name);
        if (!tas.includes(name)) metrics.spawns.success++;
      }
    }
  };

  /** The cluster autoscaler: pending pods not covered by a scale-up in flight grow the pool, up to its max. */
  const autoscale = (ctx: ScenarioContext) => {
    for (const s of scaleUps.filter((s) => s.arriveAt <= ctx.elapsedMs)) {
      for (let n = s.from; n < s.to; n++) {
        const created = ctx.iso();
        const fresh = userNode(n, created);
        ctx.cluster.apply(fresh);
        ctx.cluster.setNodeMetrics(nodeMetrics(fresh, { cpu: '98m', memory: '812Mi' }, ctx.iso()));
        readyNodes.push(fresh.metadata.name);
      }
      scaleUps.splice(scaleUps.indexOf(s), 1);
    }
    const uncovered = [...users.entries()].filter(([, u]) => u.phase === 'pending' && !u.scaleUp);
    if (uncovered.length === 0) return;
    if (plannedNodes >= userPoolMax) {
      for (const [name, u] of uncovered)
        if (u.attempts % 4 === 1)
          recordEvent(ctx, {
            involved: ctx.cluster.get<Pod>('Pod', ns, userPodName(name))!,
            reason: 'NotTriggerScaleUp',
            source: 'cluster-autoscaler',
            message: `pod didn't trigger scale-up: 1 max node group size reached`,
          });
      return;
    }
    const to = Math.min(userPoolMax, plannedNodes + Math.ceil(uncovered.length / usersPerNode));
    const message = `pod triggered scale-up: [{${userPoolGroup} ${plannedNodes}->${to} (max: ${userPoolMax})}]`;
    const covered = uncovered.slice(0, (to - plannedNodes) * usersPerNode);
    for (const [name, u] of covered) {
      u.scaleUp = true;
      recordEvent(ctx, {
        involved: ctx.cluster.get<Pod>('Pod', ns, userPodName(name))!,
        reason: 'TriggeredScaleUp',
        source: 'cluster-autoscaler',
        message,
      });
    }
    scaleUps.push({ arriveAt: ctx.elapsedMs + provisionMs, from: plannedNodes, to });
    plannedNodes = to;
  };

  const publishMetrics = (ctx: ScenarioContext) => {
    metrics.runningServers = [...users.values()].filter((u) => u.phase === 'running').length;
    ctx.cluster.setHubMetrics(ns, hubMetricsText(metrics));
    const hub = ctx.cluster.get<Pod>('Pod', ns, hubName());
    if (hub) {
      const mib = 380 + Math.round(queue.length * 1.5) + metrics.runningServers;
      ctx.cluster.setPodMetrics(
        podMetrics(hub, { hub: { cpu: queue.length ? '870m' : '120m', memory: `${mib}Mi` } }, ctx.iso()),
      );
    }
  };

  const hubName = () => hubPod({ ...release, node: corePoolNodes[0]! }).metadata.name;

  const steps: Step[] = [
    {
      atMs: 0,
      label: `${ns}: healthy hub, ${tas.length} users running, ${6} placeholders`,
      run: (ctx) => {
        ensureBaseNodes(ctx);
        deployRelease(ctx, release, { concurrentSpawnLimit: limit });
        const hub = ctx.cluster.apply(
          hubPod({
            ...release,
            node: corePoolNodes[0]!,
            created: ctx.iso(-86400_000),
            resources: { requests: { memory: '512Mi' }, limits: { memory: '4Gi' } },
          }),
        );
        ctx.cluster.logs.set(ns, hub.metadata.name, 'hub', {
          current: hubStartupLines((o = 0) => ctx.iso(o - 86400_000), 632).join('\n') + '\n',
        });
        tas.forEach((name, i) => {
          users.set(name, {
            phase: 'running',
            node: userPoolNode(i % initialUserNodes),
            since: -minutes(30),
            attempts: 0,
            scaleUp: false,
          });
          applyUser(ctx, name);
        });
        for (let i = 0; i < 6; i++) {
          placeholders.set(i, { node: userPoolNode(i % initialUserNodes), gen: 0 });
          applyPlaceholder(ctx, i);
        }
        publishMetrics(ctx);
      },
    },
  ];
  for (let t = TICK; t <= duration; t += TICK) {
    const firstWave = t >= startsAt && t - TICK < startsAt;
    steps.push({
      atMs: t,
      label: firstWave ? `${ns}: class starts, ${students.length} students spawn` : `${ns}: tick`,
      run: (ctx) => {
        if (firstWave) queue.push(...students);
        autoscale(ctx);
        startContainers(ctx);
        if (t >= startsAt) admit(ctx, firstWave);
        schedule(ctx);
        autoscale(ctx);
        publishMetrics(ctx);
      },
    });
  }
  return steps;
}

const podNameCache = new Map<string, string>();
function userPodName(username: string): string {
  let name = podNameCache.get(username);
  if (!name) {
    name = userPod({ namespace: 'x', username }).metadata.name;
    podNameCache.set(username, name);
  }
  return name;
}
