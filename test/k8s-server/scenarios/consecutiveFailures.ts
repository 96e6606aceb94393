/**
 * Scenario 5: spawns keep failing (the user image cannot be pulled), the hub counts five consecutive
 * failures, logs "Aborting due to 5 consecutive spawn failures" and exits 1: the pod restarts with
 * reason Error (not OOMKilled), and `--previous` shows the abort.
 */
import { hubPod, userPod, type Release } from '../objects';
import type { Pod } from '../wireTypes';
import { corePoolNodes, deployRelease, ensureBaseNodes, userPoolNode } from './base';
import { hubLogLine, hubStartupLines } from './hubLog';
import { hubMetricsText } from './hubMetrics';
import { recordEvent } from './recorder';
import { seconds, type ScenarioContext, type Step } from './timeline';

export interface ConsecutiveFailuresOptions {
  namespace?: string;
}

const image = 'registry.example.org/course/notebook:2025.06';

export function consecutiveFailuresSteps(options: ConsecutiveFailuresOptions = {}): Step[] {
  const release: Release = { namespace: options.namespace ?? 'hub-aborting', chart: '4.2.0' };
  const ns = release.namespace;
  const users = ['ada', 'grace', 'alan', 'edsger', 'barbara'];
  const state = { created: '', startedAt: '' };
  const hub = (ctx: ScenarioContext, extra: Partial<Parameters<typeof hubPod>[0]> = {}) =>
    hubPod({ ...release, node: corePoolNodes[0]!, created: state.created || ctx.iso(), ...extra });
  const hubName = (ctx: ScenarioContext) => hub(ctx).metadata.name;
  const failures = { n: 0 };

  const steps: Step[] = [
    {
      atMs: 0,
      label: `${ns}: hub running`,
      run: (ctx) => {
        ensureBaseNodes(ctx);
        deployRelease(ctx, release);
        state.created = ctx.iso(-3600_000);
        state.startedAt = ctx.iso(-3600_000);
        const pod = ctx.cluster.apply(hub(ctx, { container: { state: 'running', startedAt: state.startedAt } }));
        ctx.cluster.logs.set(ns, pod.metadata.name, 'hub', {
          current: hubStartupLines((o = 0) => ctx.iso(o - 3600_000), 80).join('\n') + '\n',
        });
        ctx.cluster.setHubMetrics(
          ns,
          hubMetricsText({ runningServers: 0, totalUsers: 80, spawns: { success: 40, failure: 0, throttled: 0 } }),
        );
      },
    },
  ];
  users.forEach((username, i) => {
    const at = seconds(10 + i * 20);
    steps.push({
      atMs: at,
      label: `${ns}: ${username}'s pod cannot pull its image`,
      run: (ctx) => {
        const pod = ctx.cluster.apply(
          userPod({
            ...release,
            username,
            node: userPoolNode(i % 3),
            created: ctx.iso(),
            container: { state: 'waiting', reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
          }),
        );
        recordEvent(ctx, {
          involved: pod,
          reason: 'Failed',
          type: 'Warning',
          container: 'notebook',
          host: pod.spec.nodeName!,
          message: `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`,
        });
        recordEvent(ctx, {
          involved: pod,
          reason: 'BackOff',
          type: 'Warning',
          container: 'notebook',
          host: pod.spec.nodeName!,
          message: `Back-off pulling image "${image}"`,
        });
      },
    });
    steps.push({
      atMs: at + seconds(15),
      label: `${ns}: ${username}'s spawn fails`,
      run: (ctx) => {
        failures.n++;
        ctx.cluster.delete('Pod', ns, userPod({ ...release, username }).metadata.name);
        ctx.cluster.logs.append(
          ns,
          hubName(ctx),
          'hub',
          hubLogLine(
            'E',
            ctx.iso(),
            'user:1003',
            `Unhandled error starting ${username}'s server: pod ${ns}/jupyter-${username} did not start in 300 seconds!`,
          ),
        );
        ctx.cluster.setHubMetrics(
          ns,
          hubMetricsText({
            runningServers: 0,
            totalUsers: 80,
            spawns: { success: 40, failure: failures.n, throttled: 0 },
          }),
        );
      },
    });
  });
  const exitAt = seconds(10 + 4 * 20 + 16);
  steps.push({
    atMs: exitAt,
    label: `${ns}: hub aborts after 5 consecutive spawn failures (exit 1)`,
    run: (ctx) => {
      const name = hubName(ctx);
      ctx.cluster.logs.append(
        ns,
        name,
        'hub',
        hubLogLine('C', ctx.iso(), 'base:1193', 'Aborting due to 5 consecutive spawn failures'),
      );
      ctx.cluster.apply(
        hub(ctx, {
          restartCount: 1,
          container: {
            state: 'waiting',
            reason: 'CrashLoopBackOff',
            message: `back-off 10s restarting failed container=hub pod=${name}_${ns}(${hub(ctx).metadata.uid})`,
          },
          lastTerminated: { exitCode: 1, reason: 'Error', startedAt: state.startedAt, finishedAt: ctx.iso() },
        }),
      );
      ctx.cluster.logs.restart(ns, name, 'hub');
      recordEvent(ctx, {
        involved: ctx.cluster.get<Pod>('Pod', ns, name)!,
        reason: 'BackOff',
        type: 'Warning',
        container: 'hub',
        host: corePoolNodes[0]!,
        message: `Back-off restarting failed container hub in pod ${name}_${ns}(${hub(ctx).metadata.uid})`,
      });
    },
  });
  steps.push({
    atMs: exitAt + seconds(10),
    label: `${ns}: hub starts again`,
    run: (ctx) => {
      const name = hubName(ctx);
      const last = ctx.cluster.get<Pod>('Pod', ns, name)!.status.containerStatuses![0]!.lastState.terminated!;
      ctx.cluster.apply(
        hub(ctx, { restartCount: 1, container: { state: 'running', startedAt: ctx.iso() }, lastTerminated: last }),
      );
      for (const line of hubStartupLines(ctx.iso, 80)) ctx.cluster.logs.append(ns, name, 'hub', line);
    },
  });
  return steps;
}
