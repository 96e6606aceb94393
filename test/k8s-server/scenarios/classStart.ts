/**
 * Scenario 2: a class starts. 150 students spawn at once (or spread over `arrivalMs`) against
 * concurrentSpawnLimit 64: the hub answers 429 (throttled) to the rest, who each try again 30–60 s later;
 * admitted user pods fill the free room, preempt the user placeholders, then wait Pending
 * (FailedScheduling, Insufficient memory) while the cluster autoscaler adds nodes (TriggeredScaleUp);
 * new nodes are Ready ~10 virtual minutes later and pods get scheduled, until the pool's maximum is
 * reached (NotTriggerScaleUp). The autoscaler publishes its state in ConfigMap
 * kube-system/cluster-autoscaler-status. A small hub, scheduler and autoscaler drive it, ticking every
 * 15 virtual seconds; none of it shares code with the extension's readiness simulation.
 */
import { createHash } from 'node:crypto';
import {
  autoscalerStatusConfigMap,
  hubPod,
  nodeMetrics,
  placeholderPod,
  podMetrics,
  uidFor,
  userPod,
  type Release,
} from '../objects';
import type { Node, Pod } from '../wireTypes';
import {
  corePoolGroup,
  corePoolNodes,
  deployRelease,
  ensureBaseNodes,
  initialUserNodes,
  userNode,
  userPoolGroup,
  userPoolMax as defaultPoolMax,
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
  /** Students start evenly over this span from the class start (default 0: all at once). */
  arrivalMs?: number;
  /** The user node group's max size (default 10). */
  userPoolMax?: number;
  /** User nodes when the scenario starts (default 3), as after pre-scaling the pool. */
  userNodes?: number;
  /** `scheduling.userPlaceholder.replicas` (default 6); they take free room node by node. */
  placeholders?: number;
  durationMs?: number;
  /**
   * The JupyterHub the hub's /hub/metrics is written as (default 5.3.0, what chart 4.2.0 ships: throttled
   * spawn pages answer 200). "6.0.0" gives JupyterHub 6's spawn labels (`status="failure", reason="throttled"`).
   */
  jupyterhubVersion?: string;
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

/** A throttled student's next try: JupyterHub's Retry-After is 30–60 s; each student's draw is fixed. */
const retryAfterMs = (name: string, attempt: number) =>
  seconds(30) + (createHash('sha256').update(`${name}/${attempt}`).digest().readUInt32BE(0) / 2 ** 32) * seconds(30);

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
  const arrivalMs = options.arrivalMs ?? 0;
  const poolMax = options.userPoolMax ?? defaultPoolMax;
  const userNodes = options.userNodes ?? initialUserNodes;
  const placeholderCount = options.placeholders ?? 6;
  const scheduler = `${ns}-user-scheduler`;
  const userResources = { memoryRequest: '1073741824', memoryLimit: '2147483648' };

  const tas = Array.from({ length: 20 }, (_, i) => `ta-${String(i + 1).padStart(2, '0')}`);
  const students = studentNames(options.students ?? 150);
  const users = new Map<string, UserState>();
  /** Students whose spawn the hub has not admitted yet: when they (next) try, and how often they tried. */
  const tries = new Map<string, { at: number; attempts: number; order: number }>();
  const placeholders = new Map<number, { node?: string; gen: number }>();
  const readyNodes: string[] = Array.from({ length: userNodes }, (_, i) => userPoolNode(i));
  const scaleUps: { arriveAt: number; from: number; to: number; message: string }[] = [];
  const metrics: HubMetricsState = {
    jupyterhubVersion: options.jupyterhubVersion ?? '5.3.0',
    runningServers: 0,
    totalUsers: 612,
    spawns: { success: 0, failure: 0, throttled: 0 },
  };
  let plannedNodes = userNodes;
  let publishedStatus = '';

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
  /** The scheduler's word on a pod it could not place. */
  const recordFailedScheduling = (ctx: ScenarioContext, pod: Pod) =>
    recordEvent(ctx, {
      involved: pod,
      reason: 'FailedScheduling',
      type: 'Warning',
      source: scheduler,
      message: failedSchedulingMessage(ctx),
    });

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

  /** The hub admits spawns up to the limit; the rest get 429 and try again 30–60 s later. */
  const admit = (ctx: ScenarioContext) => {
    const pendingSpawns = [...users.entries()].filter(([n, u]) => !tas.includes(n) && u.phase !== 'running').length;
    let room = limit > 0 ? limit - pendingSpawns : Infinity;
    const due = [...tries.entries()]
      .filter(([, t]) => t.at <= ctx.elapsedMs)
      .sort(([, a], [, b]) => a.at - b.at || a.order - b.order);
    let throttled = 0;
    for (const [name, t] of due) {
      if (room > 0) {
        tries.delete(name);
        users.set(name, { phase: 'pending', since: ctx.elapsedMs, attempts: 0, scaleUp: false });
        applyUser(ctx, name);
        room--;
      } else {
        t.attempts++;
        t.at = ctx.elapsedMs + retryAfterMs(name, t.attempts);
        throttled++;
      }
    }
    metrics.spawns.throttled += throttled;
    if (throttled > 0)
      ctx.cluster.logs.append(
        ns,
        hubName(),
        'hub',
        hubLogLine(
          'W',
          ctx.iso(),
          'base:1123',
          `${throttled} spawns throttled: Too many users trying to log in right now. Try again in 47 seconds.`,
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
        recordFailedScheduling(ctx, applyUser(ctx, name));
      }
    }
    for (const [index, p] of placeholders) {
      if (p.node) continue;
      const free = freeNode();
      if (free) {
        p.node = free;
        bind(ctx, applyPlaceholder(ctx, index), free);
      } else if (ctx.elapsedMs % minutes(1) < TICK) {
        recordFailedScheduling(ctx, ctx.cluster.get<Pod>('Pod', ns, `user-placeholder-${index}`)!);
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

  /** The cluster autoscaler: pending pods that nodes in flight will not hold grow the pool, up to its max. */
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
    // Like the real autoscaler, pods that fit on nodes already on their way ask for nothing new: they
    // wait for the scale-up in flight (and say so, as the tree shows it).
    const pending = [...users.entries()].filter(([, u]) => u.phase === 'pending');
    const upcoming = scaleUps.reduce((sum, s) => sum + (s.to - s.from) * usersPerNode, 0);
    const beyond = pending.length - upcoming;
    const uncovered = pending.filter(([, u]) => !u.scaleUp);
    const triggered = (name: string, u: UserState, message: string) => {
      u.scaleUp = true;
      recordEvent(ctx, {
        involved: ctx.cluster.get<Pod>('Pod', ns, userPodName(name))!,
        reason: 'TriggeredScaleUp',
        source: 'cluster-autoscaler',
        message,
      });
    };
    const inFlight = scaleUps.at(-1);
    const held = inFlight ? uncovered.slice(0, Math.max(0, uncovered.length - Math.max(beyond, 0))) : [];
    for (const [name, u] of held) triggered(name, u, inFlight!.message);
    const rest = uncovered.slice(held.length);
    // The decision counts every pending pod; the marks only keep events to one per pod.
    if (beyond <= 0) return;
    if (plannedNodes >= poolMax) {
      for (const [name, u] of rest)
        if (u.attempts % 4 === 1)
          recordEvent(ctx, {
            involved: ctx.cluster.get<Pod>('Pod', ns, userPodName(name))!,
            reason: 'NotTriggerScaleUp',
            source: 'cluster-autoscaler',
            message: `pod didn't trigger scale-up: 1 max node group size reached`,
          });
      return;
    }
    const to = Math.min(poolMax, plannedNodes + Math.ceil(beyond / usersPerNode));
    const message = `pod triggered scale-up: [{${userPoolGroup} ${plannedNodes}->${to} (max: ${poolMax})}]`;
    for (const [name, u] of rest.slice(0, (to - plannedNodes) * usersPerNode)) triggered(name, u, message);
    scaleUps.push({ arriveAt: ctx.elapsedMs + provisionMs, from: plannedNodes, to, message });
    plannedNodes = to;
  };

  /** The autoscaler's own account of its node groups, rewritten when it changes. */
  const publishAutoscalerStatus = (ctx: ScenarioContext) => {
    const groups = [
      { name: corePoolGroup, ready: corePoolNodes.length, min: corePoolNodes.length, max: corePoolNodes.length },
      {
        name: userPoolGroup,
        ready: readyNodes.length,
        target: plannedNodes,
        min: userNodes,
        max: poolMax,
        scaleUp: scaleUps.length ? ('InProgress' as const) : ('NoActivity' as const),
      },
    ];
    const signature = JSON.stringify(groups);
    if (signature === publishedStatus) return;
    publishedStatus = signature;
    ctx.cluster.apply(autoscalerStatusConfigMap({ time: ctx.iso(), groups }));
  };

  const publishMetrics = (ctx: ScenarioContext) => {
    publishAutoscalerStatus(ctx);
    const queued = tries.size;
    metrics.runningServers = [...users.values()].filter((u) => u.phase === 'running').length;
    ctx.cluster.setHubMetrics(ns, hubMetricsText(metrics));
    const hub = ctx.cluster.get<Pod>('Pod', ns, hubName());
    if (hub) {
      const mib = 380 + Math.round(queued * 1.5) + metrics.runningServers;
      ctx.cluster.setPodMetrics(
        podMetrics(hub, { hub: { cpu: queued ? '870m' : '120m', memory: `${mib}Mi` } }, ctx.iso()),
      );
    }
  };

  const hubName = () => hubPod({ ...release, node: corePoolNodes[0]! }).metadata.name;

  const steps: Step[] = [
    {
      atMs: 0,
      label: `${ns}: healthy hub, ${tas.length} users running, ${placeholderCount} placeholders`,
      run: (ctx) => {
        ensureBaseNodes(ctx, userNodes);
        deployRelease(ctx, release, { concurrentSpawnLimit: limit, placeholderReplicas: placeholderCount });
        const hub = ctx.cluster.apply(
          hubPod({
            ...release,
            node: corePoolNodes[0]!,
            created: ctx.iso(-86400_000),
            resources: { requests: { memory: '512Mi' }, limits: { memory: '4Gi' } },
          }),
        );
        metrics.processStartSeconds = Date.parse(hub.metadata.creationTimestamp!) / 1000;
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
        // Round robin over the nodes that still have room (the StatefulSet's pods spread out).
        for (let i = 0; i < placeholderCount; i++) {
          const node = Array.from({ length: userNodes }, (_, k) => readyNodes[(i + k) % userNodes]!).find(
            (n) => used(n) < usersPerNode,
          );
          placeholders.set(i, { ...(node ? { node } : {}), gen: 0 });
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
        if (firstWave)
          students.forEach((name, i) =>
            tries.set(name, {
              at: startsAt + Math.floor((i * arrivalMs) / students.length),
              attempts: 0,
              order: i,
            }),
          );
        autoscale(ctx);
        startContainers(ctx);
        if (t >= startsAt) admit(ctx);
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
