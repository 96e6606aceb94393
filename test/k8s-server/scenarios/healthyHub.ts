/** Scenario 3: a healthy hub — ready, a handful of users running, calm metrics that drift a little. */
import { hubPod, podMetrics, userPod, type Release } from '../objects';
import { corePoolNodes, deployRelease, ensureBaseNodes, initialUserNodes, userPoolNode } from './base';
import { hubMetricsText } from './hubMetrics';
import { hubLogLine, hubStartupLines } from './hubLog';
import { minutes, type Step } from './timeline';

export interface HealthyHubOptions {
  namespace?: string;
  users?: number;
  durationMs?: number;
  chart?: string;
  /** hub.concurrentSpawnLimit in the hub Secret's values.yaml (default 100: raised from z2jh's 64). */
  spawnLimit?: number;
  /**
   * The hub's memory in MiB, around which it drifts (default 402, a fifth of its 2Gi limit). Around 1900
   * the hub is healthy but close to its limit: what a memory alert is for.
   */
  hubMemoryMi?: number;
}

export function healthyHubSteps(options: HealthyHubOptions = {}): Step[] {
  const release: Release = { namespace: options.namespace ?? 'hub-staff', chart: options.chart ?? '4.3.2' };
  const ns = release.namespace;
  const names = ['ada', 'grace', 'katherine', 'alan', 'barbara', 'edsger', 'margaret', 'donald'].slice(
    0,
    options.users ?? 8,
  );
  const hub = (created: string) =>
    hubPod({
      ...release,
      node: corePoolNodes[1]!,
      created,
      resources: { requests: { memory: '256Mi' }, limits: { memory: '2Gi' } },
    });
  const steps: Step[] = [
    {
      atMs: 0,
      label: `${ns}: healthy hub with ${names.length} users`,
      run: (ctx) => {
        ensureBaseNodes(ctx);
        deployRelease(ctx, release, { concurrentSpawnLimit: options.spawnLimit ?? 100 });
        const created = ctx.iso(-3 * 86400_000);
        const pod = ctx.cluster.apply(hub(created));
        ctx.cluster.logs.set(ns, pod.metadata.name, 'hub', {
          current: hubStartupLines((o = 0) => ctx.iso(o - 3 * 86400_000), names.length).join('\n') + '\n',
        });
        names.forEach((username, i) =>
          ctx.cluster.apply(
            userPod({
              ...release,
              username,
              node: userPoolNode(i % initialUserNodes),
              created: ctx.iso(-(i + 1) * 600_000),
              memoryRequest: '268435456',
              memoryLimit: '1073741824',
            }),
          ),
        );
      },
    },
  ];
  for (let t = 0; t <= (options.durationMs ?? minutes(30)); t += minutes(1)) {
    const wobble = Math.round(20 * Math.sin(t / minutes(7)));
    steps.push({
      atMs: t,
      label: `${ns}: metrics`,
      run: (ctx) => {
        const pod = ctx.cluster.get('Pod', ns, hub(ctx.iso()).metadata.name) as ReturnType<typeof hub> | undefined;
        if (!pod) return;
        const memory = (options.hubMemoryMi ?? 402) + wobble;
        ctx.cluster.setPodMetrics(podMetrics(pod, { hub: { cpu: '31m', memory: `${memory}Mi` } }, ctx.iso()));
        ctx.cluster.setHubMetrics(
          ns,
          hubMetricsText({
            runningServers: names.length,
            totalUsers: 57,
            activeUsers: 12,
            spawns: { success: 214 + Math.floor(t / minutes(10)), failure: 1, throttled: 0 },
            processStartSeconds: Date.parse(pod.metadata.creationTimestamp!) / 1000,
          }),
        );
        if (t % minutes(5) === 0)
          ctx.cluster.logs.append(
            ns,
            pod.metadata.name,
            'hub',
            hubLogLine('I', ctx.iso(), 'log:192', `200 GET /hub/api/users (cull-idle@::1) 14.21ms`),
          );
      },
    });
  }
  return steps;
}
