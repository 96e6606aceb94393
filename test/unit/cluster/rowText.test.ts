import assert from 'node:assert/strict';
import type { ContextModel, HubModel, PodModel } from '../../../src/core/cluster/model';
import { contextSummary, podDescription, podGroupDescription, podState } from '../../../src/cluster/rowText';

/** Just what a group row reads of a pod. */
const pod = (phase: string, ready: boolean, status = phase) => ({ phase, ready, status }) as PodModel;

describe('Clusters view row text', () => {
  it('summarizes a context for its collapsed row, worst first', () => {
    const context = (health: HubModel['health'][], error?: string): ContextModel => ({
      name: 'c',
      status: error ? 'error' : 'ok',
      ...(error ? { error: { code: error, message: 'x' } } : {}),
      warnings: [],
      hubs: health.map((h) => ({ health: h }) as HubModel),
      builtAt: '',
    });
    assert.equal(contextSummary(context(['ok', 'down', 'degraded'])), '1 down · 1 degraded · 3 hubs');
    assert.equal(contextSummary(context(['ok', 'ok', 'ok'])), '3 hubs · healthy');
    assert.equal(contextSummary(context(['down'])), '1 down · 1 hub');
    assert.equal(contextSummary(context([])), 'no hubs');
    assert.equal(contextSummary(context([], 'unreachable')), 'unreachable');
    assert.equal(contextSummary(context([], 'unauthorized')), 'credentials rejected (401)');
    assert.equal(contextSummary(context([], 'forbidden')), 'not allowed (403)');
    assert.equal(contextSummary(undefined), 'checking…');
  });

  it('counts a group’s pods running first, then pending, whatever order the API listed them in', () => {
    const pending = Array.from({ length: 64 }, () => pod('Pending', false));
    const running = Array.from({ length: 42 }, () => pod('Running', true));
    const crashed = pod('Running', false, 'CrashLoopBackOff');
    assert.equal(
      podGroupDescription([...pending, crashed, ...running]),
      '42 running · 64 pending · 1 CrashLoopBackOff',
    );
    assert.equal(
      podGroupDescription([crashed, ...running, ...pending]),
      '42 running · 64 pending · 1 CrashLoopBackOff',
    );
    assert.equal(podGroupDescription([]), 'none');
  });

  it('puts a kernel OOM kill that only the node reported on the user server it happened in', () => {
    const now = Date.parse('2026-12-02T10:05:00Z');
    const running = {
      name: 'jupyter-ana',
      role: 'user',
      phase: 'Running',
      ready: true,
      status: 'Running',
      restarts: 0,
      memory: { usageBytes: 1_900_000_000, limitBytes: 2_147_483_648 },
      user: { name: 'ana', server: '', source: 'annotation' },
    } as unknown as PodModel;
    assert.equal(podState(running), 'ok');
    const killed: PodModel = {
      ...running,
      kernelOom: { time: '2026-12-02T10:02:00Z', process: 'python3', count: 2, node: 'user-1', how: 'the only one' },
    };
    assert.equal(podState(killed), 'oom');
    assert.match(podDescription(killed, now), /^Running · python3 OOM-killed by the kernel ×2 3m ago · /);
  });
});
