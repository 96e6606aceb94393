/**
 * Scenario 1: a hub OOMKilled at start-up, restarting in a loop. Each run loads its spawners, memory
 * climbs to the 2Gi limit, the kernel kills it (OOMKilled, exit 137), kubelet backs off (10 s doubling to
 * 5 min, CrashLoopBackOff) and starts it again. z2jh 4.2.0 / JupyterHub 5.3.0; the hub container holds
 * /srv/jupyterhub/jupyterhub.sqlite (a given file, or a small valid one). Its values.yaml has no
 * hub.concurrentSpawnLimit (the operators set it to null).
 *
 * With `limitRaisedAtMs`, the operators raise the hub's memory limit to 4Gi then (a helm upgrade: a new hub
 * pod): the next start-up peaks at about 2.2Gi, takes 95 s, and the hub stays up, its metrics scraped.
 */
import { at, crashLoopBackOff, hubPod, nodeMetrics, node, oomKilled, podMetrics, type Release } from '../objects';
import { hubMetricsText } from './hubMetrics';
import type { Pod } from '../wireTypes';
import { corePoolNodes, deployRelease, ensureBaseNodes } from './base';
import { installHubDb } from './hubDb';
import { hubLogLine, hubStartupLines } from './hubLog';
import { recordEvent } from './recorder';
import { minutes, seconds, type ScenarioContext, type Step } from './timeline';

export interface OomLoopOptions {
  namespace?: string;
  /** A hub DB file to copy to /srv/jupyterhub/jupyterhub.sqlite (default: a small generated one). */
  hubDbFile?: string;
  durationMs?: number;
  /** When the operators raise the limit to 4Gi (the first start-up at or after it succeeds). */
  limitRaisedAtMs?: number;
}

const MiB = 1024 * 1024;
/** How long a run lives before the kernel kills it. */
const runMs = seconds(80);
const limitBytes = 2 * 1024 * MiB;
const raisedLimitBytes = 4 * 1024 * MiB;
const baseBytes = 310 * MiB;
/** Memory of a start-up `t` ms in: the spawners load at the same pace on every run. */
const startupBytes = (t: number) => Math.round(baseBytes + ((limitBytes - baseBytes) * t) / runMs);
/** With room to finish, the start-up takes this long and peaks just before. */
const recoveredStartupMs = seconds(95);

export function oomLoopSteps(options: OomLoopOptions = {}): Step[] {
  const release: Release = { namespace: options.namespace ?? 'hub-physics', chart: '4.2.0' };
  const ns = release.namespace;
  const hubNode = corePoolNodes[0]!;
  const duration = options.durationMs ?? minutes(30);
  const resources = { requests: { cpu: '200m', memory: '128Mi' }, limits: { memory: String(limitBytes) } };
  const state = { restarts: 0, startedAt: '', created: '', revision: undefined as string | undefined };

  const hub = (ctx: ScenarioContext, extra: Partial<Parameters<typeof hubPod>[0]>): Pod =>
    hubPod({
      ...release,
      node: hubNode,
      resources,
      created: state.created || ctx.iso(),
      restartCount: state.restarts,
      ...(state.revision ? { revision: state.revision } : {}),
      ...extra,
    });
  const hubName = (ctx: ScenarioContext) => hub(ctx, {}).metadata.name;

  const startRun = (ctx: ScenarioContext) => {
    state.startedAt = ctx.iso();
    const pod = ctx.cluster.apply(
      hub(ctx, {
        container: { state: 'running', ready: false, startedAt: state.startedAt },
        ...(state.restarts > 0 ? { lastTerminated: lastKill(ctx) } : {}),
      }),
    );
    const image = pod.spec.containers[0]!.image;
    recordEvent(ctx, {
      involved: pod,
      reason: 'Pulled',
      container: 'hub',
      host: hubNode,
      message: `Container image "${image}" already present on machine`,
    });
    recordEvent(ctx, {
      involved: pod,
      reason: 'Created',
      container: 'hub',
      host: hubNode,
      message: 'Created container hub',
    });
    recordEvent(ctx, {
      involved: pod,
      reason: 'Started',
      container: 'hub',
      host: hubNode,
      message: 'Started container hub',
    });
    for (const line of hubStartupLines(ctx.iso, 1746)) ctx.cluster.logs.append(ns, pod.metadata.name, 'hub', line);
  };
  const lastKill = (ctx: ScenarioContext) => {
    const prev = ctx.cluster.get<Pod>('Pod', ns, hubName(ctx))?.status.containerStatuses?.[0]?.lastState.terminated;
    return prev ?? oomKilled(at(0), at(80));
  };

  const steps: Step[] = [
    {
      atMs: 0,
      label: `${ns}: hub (z2jh 4.2.0, JupyterHub 5.3.0) starts`,
      run: (ctx) => {
        ensureBaseNodes(ctx);
        // The physics team nulled hub.concurrentSpawnLimit: Helm drops the key, the hub runs JupyterHub's 100.
        deployRelease(ctx, release, { concurrentSpawnLimit: null });
        state.created = ctx.iso();
        const pod = hub(ctx, {});
        ctx.cluster.apply(pod);
        recordEvent(ctx, {
          involved: pod,
          reason: 'Scheduled',
          source: 'default-scheduler',
          message: `Successfully assigned ${ns}/${pod.metadata.name} to ${hubNode}`,
        });
        installHubDb(ctx.cluster.containers.get(ns, pod.metadata.name, 'hub'), options.hubDbFile);
        startRun(ctx);
      },
    },
  ];

  // One run after another: memory climbs for runMs, the kill, the back-off, the next start.
  let runStart = 0;
  for (let restart = 0; ; restart++) {
    if (options.limitRaisedAtMs !== undefined && runStart > 0 && runStart >= options.limitRaisedAtMs) {
      steps.pop(); // this start is the new pod's, with the raised limit
      steps.push(...recoverySteps(runStart));
      break;
    }
    const killAt = runStart + runMs;
    if (killAt > duration) break;
    for (let t = seconds(15); t < runMs; t += seconds(15)) {
      const bytes = startupBytes(t);
      steps.push({
        atMs: runStart + t,
        label: `${ns}: hub memory ${Math.round(bytes / MiB)}Mi`,
        run: (ctx) => {
          const pod = ctx.cluster.get<Pod>('Pod', ns, hubName(ctx))!;
          ctx.cluster.setPodMetrics(
            podMetrics(pod, { hub: { cpu: '985m', memory: `${Math.round(bytes / 1024)}Ki` } }, ctx.iso()),
          );
          if (t === seconds(15))
            recordEvent(ctx, {
              involved: pod,
              reason: 'Unhealthy',
              type: 'Warning',
              container: 'hub',
              host: hubNode,
              message: `Readiness probe failed: Get "http://${pod.status.podIP as string}:8081/hub/health": dial tcp ${pod.status.podIP as string}:8081: connect: connection refused`,
            });
        },
      });
    }
    const backoffMs = seconds(Math.min(10 * 2 ** restart, 300));
    steps.push({
      atMs: killAt,
      label: `${ns}: hub OOMKilled (restart ${restart + 1})`,
      run: (ctx) => {
        const pod = ctx.cluster.get<Pod>('Pod', ns, hubName(ctx))!;
        ctx.cluster.logs.append(
          ns,
          pod.metadata.name,
          'hub',
          hubLogLine('D', ctx.iso(-200), 'orm:1163', 'Loading spawners for 199 users'),
        );
        state.restarts++;
        const killed = oomKilled(state.startedAt, ctx.iso());
        const backoff = `${backoffMs / 1000 >= 60 ? `${Math.floor(backoffMs / 60000)}m${(backoffMs % 60000) / 1000}s` : `${backoffMs / 1000}s`}`;
        const updated = ctx.cluster.apply(
          hub(ctx, {
            container: crashLoopBackOff(
              { namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid! },
              'hub',
              backoff,
            ),
            lastTerminated: killed,
          }),
        );
        ctx.cluster.logs.restart(ns, pod.metadata.name, 'hub');
        recordEvent(ctx, {
          involved: node({ name: hubNode, pool: 'core', poolName: 'core-pool' }),
          namespace: 'default',
          reason: 'OOMKilling',
          type: 'Warning',
          source: 'kernel-monitor',
          host: hubNode,
          message: `Memory cgroup out of memory: Killed process ${2817 + restart * 113} (jupyterhub) total-vm:2893416kB, anon-rss:2090012kB, file-rss:11520kB, shmem-rss:0kB, UID:1000 pgtables:4512kB oom_score_adj:999`,
        });
        recordEvent(ctx, {
          involved: updated,
          reason: 'BackOff',
          type: 'Warning',
          container: 'hub',
          host: hubNode,
          message: `Back-off restarting failed container hub in pod ${pod.metadata.name}_${ns}(${pod.metadata.uid})`,
        });
        ctx.cluster.setNodeMetrics(
          nodeMetrics(node({ name: hubNode, pool: 'core' }), { cpu: '1210m', memory: '5120Mi' }, ctx.iso()),
        );
      },
    });
    runStart = killAt + backoffMs;
    if (runStart > duration) break;
    steps.push({ atMs: runStart, label: `${ns}: hub starts again`, run: startRun });
  }
  return steps;

  /** The helm upgrade with a 4Gi limit: a new hub pod whose start-up completes, then a hub that stays up. */
  function recoverySteps(from: number): Step[] {
    const raised = { requests: resources.requests, limits: { memory: String(raisedLimitBytes) } };
    const out: Step[] = [
      {
        atMs: from,
        label: `${ns}: hub memory limit raised to 4Gi (new hub pod)`,
        run: (ctx) => {
          ctx.cluster.delete('Pod', ns, hubName(ctx));
          state.revision = 'raised-limit';
          state.restarts = 0;
          state.created = ctx.iso();
          state.startedAt = ctx.iso();
          const pod = ctx.cluster.apply(
            hub(ctx, { resources: raised, container: { state: 'running', ready: false, startedAt: state.startedAt } }),
          );
          for (const line of hubStartupLines(ctx.iso, 1746))
            ctx.cluster.logs.append(ns, pod.metadata.name, 'hub', line);
        },
      },
    ];
    const memoryAt = (t: number) =>
      t < recoveredStartupMs ? startupBytes(t) : startupBytes(recoveredStartupMs) - 40 * MiB;
    const setMemory = (ctx: ScenarioContext, bytes: number) => {
      const pod = ctx.cluster.get<Pod>('Pod', ns, hubName(ctx))!;
      ctx.cluster.setPodMetrics(
        podMetrics(pod, { hub: { cpu: '120m', memory: `${Math.round(bytes / 1024)}Ki` } }, ctx.iso()),
      );
    };
    for (let t = seconds(15); t < recoveredStartupMs; t += seconds(15))
      out.push({ atMs: from + t, label: `${ns}: hub memory`, run: (ctx) => setMemory(ctx, memoryAt(t)) });
    out.push({
      atMs: from + recoveredStartupMs,
      label: `${ns}: hub up after a 95 s start-up`,
      run: (ctx) => {
        ctx.cluster.apply(
          hub(ctx, { resources: raised, container: { state: 'running', ready: true, startedAt: state.startedAt } }),
        );
        ctx.cluster.logs.append(
          ns,
          hubName(ctx),
          'hub',
          hubLogLine('I', ctx.iso(), 'app:3687', 'JupyterHub is now running at http://:8000'),
        );
        setMemory(ctx, memoryAt(recoveredStartupMs));
        ctx.cluster.setHubMetrics(
          ns,
          hubMetricsText({
            jupyterhubVersion: '5.3.0',
            runningServers: 37,
            totalUsers: 199,
            spawns: { success: 0, failure: 0, throttled: 0 },
            initSpawnersSeconds: 88.4,
            startupSeconds: recoveredStartupMs / 1000,
            processStartSeconds: Date.parse(state.startedAt) / 1000,
          }),
        );
      },
    });
    for (let t = recoveredStartupMs + minutes(1); from + t <= duration; t += minutes(1))
      out.push({ atMs: from + t, label: `${ns}: hub memory`, run: (ctx) => setMemory(ctx, memoryAt(t)) });
    return out;
  }
}
