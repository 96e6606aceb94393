import assert from 'node:assert/strict';
import { formatMemory, quantityToBytes } from '../../../src/core/cluster/quantity';
import { formatBytes } from '../../../src/shared/format';
import { T0, at, crashLoopBackOff, hubPod, oomKilled, podMetrics, proxyPod, userPod } from '../../k8s-server/objects';
import { onlyHub, podNamed } from './modelFixtures';

const r = { namespace: 'hub-a', chart: '4.2.0' };
const hubResources = { requests: { memory: '128Mi' }, limits: { memory: '2Gi' } };

describe('cluster model: memory', () => {
  it('parses memory quantities in every form pods carry, and refuses garbage', () => {
    assert.equal(quantityToBytes('408Ki'), 408 * 1024);
    assert.equal(quantityToBytes('1Gi'), 2 ** 30);
    assert.equal(quantityToBytes('1073741824'), 2 ** 30); // JupyterHub writes plain byte counts
    assert.equal(quantityToBytes('1G'), 1e9);
    assert.equal(quantityToBytes('256M'), 256e6);
    assert.equal(quantityToBytes('1.5Gi'), 1.5 * 2 ** 30); // client-node's parser throws on this one
    assert.equal(quantityToBytes('1e3'), 1000);
    for (const bad of ['', 'lots', '12Qi', undefined, null]) assert.equal(quantityToBytes(bad), null, String(bad));
  });

  it('formats memory as used / limit · percent, and says when there are no metrics or no limit', () => {
    assert.equal(formatMemory({ usedBytes: 412 * 2 ** 20, limitBytes: 2 ** 30 }), '412Mi / 1Gi · 40%');
    assert.equal(formatMemory({ usedBytes: null, limitBytes: 2 ** 30 }), 'no metrics / 1Gi');
    assert.equal(formatMemory({ usedBytes: null, limitBytes: null }), 'no metrics');
    assert.equal(formatMemory({ usedBytes: 1.5 * 2 ** 30, limitBytes: null }), '1.5Gi (no limit)');
    assert.equal(formatBytes(900 * 1024), '900Ki');
  });

  it('reads the main container’s working set from metrics against its limit', () => {
    const hub = hubPod({ ...r, node: 'core-1', resources: hubResources });
    const proxy = proxyPod({ ...r, node: 'core-1' });
    const user = userPod({ ...r, username: 'ana', node: 'user-1', memoryRequest: '256M', memoryLimit: '1G' });
    const model = onlyHub({
      pods: [hub, proxy, user],
      metrics: [
        podMetrics(hub, { hub: { cpu: '429151n', memory: '1536Mi' } }),
        podMetrics(user, { notebook: { cpu: '1m', memory: '408Ki' } }),
      ],
      now: T0,
    });
    assert.deepEqual(podNamed(model, hub.metadata.name).memory, {
      usedBytes: 1536 * 2 ** 20,
      limitBytes: 2 * 2 ** 30,
      container: 'hub',
    });
    assert.deepEqual(podNamed(model, 'jupyter-ana').memory, {
      usedBytes: 408 * 1024,
      limitBytes: 1e9,
      container: 'notebook',
    });
    // The proxy has neither a sample nor a limit (z2jh 4.x default resources: {}).
    assert.deepEqual(podNamed(model, proxy.metadata.name).memory, {
      usedBytes: null,
      limitBytes: null,
      container: 'chp',
    });
  });

  it('says "no metrics" for every pod when the cluster has no metrics API', () => {
    const hub = hubPod({ ...r, node: 'core-1', resources: hubResources });
    const model = onlyHub({ pods: [hub], metrics: null, now: T0 });
    assert.equal(formatMemory(podNamed(model, hub.metadata.name).memory), 'no metrics / 2Gi');
  });
});

describe('cluster model: restarts and terminations', () => {
  const now = at(600);

  it('tells an OOMKilled hub (137) apart, with restarts and when it happened', () => {
    const hub = hubPod({
      ...r,
      node: 'core-1',
      resources: hubResources,
      restartCount: 3,
      lastTerminated: oomKilled(at(100), at(300)),
    });
    const model = onlyHub({ pods: [hub, proxyPod({ ...r, node: 'core-1' })], now });
    const pod = podNamed(model, hub.metadata.name);
    assert.equal(pod.restarts, 3);
    assert.deepEqual(pod.lastTermination, {
      container: 'hub',
      reason: 'OOMKilled',
      exitCode: 137,
      finishedAt: new Date(at(300)).toISOString(),
      cause: 'oom',
    });
    assert.equal(model.health, 'down');
    assert.match(model.healthReasons.join('\n'), /hub OOMKilled \(exit 137\) 5m ago/);
  });

  it('tells consecutive spawn failures (exit 1, Error, the hub’s last log line) from other errors', () => {
    const failed = { exitCode: 1, reason: 'Error', startedAt: at(100), finishedAt: at(400) };
    const hub = hubPod({ ...r, node: 'core-1', restartCount: 1, lastTerminated: failed });
    const uid = hub.metadata.uid!;
    const tail = [
      '[E 2025-06-02 13:06:39.812 JupyterHub user:1003] Unhandled error starting ana’s server: timeout',
      '[C 2025-06-02 13:06:40.001 JupyterHub base:1158] Aborting due to 5 consecutive spawn failures',
    ].join('\n');
    const withLogs = onlyHub({ pods: [hub], previousLogs: new Map([[uid, tail]]), now });
    const t = podNamed(withLogs, hub.metadata.name).lastTermination!;
    assert.equal(t.cause, 'spawn-failures');
    assert.equal(t.consecutiveFailures, 5);
    assert.equal(t.exitCode, 1);
    assert.equal(t.reason, 'Error');
    assert.match(withLogs.healthReasons.join('\n'), /after 5 consecutive spawn failures/);

    // Without the log (not readable), the same exit is an error, never mistaken for OOM.
    const without = onlyHub({ pods: [hub], now });
    assert.equal(podNamed(without, hub.metadata.name).lastTermination!.cause, 'error');
    // A 137 without OOMKilled (a liveness-probe kill) is not memory.
    const killed = hubPod({
      ...r,
      node: 'core-1',
      restartCount: 1,
      lastTerminated: { exitCode: 137, reason: 'Error', finishedAt: at(400) },
    });
    assert.equal(podNamed(onlyHub({ pods: [killed], now }), killed.metadata.name).lastTermination!.cause, 'error');
  });

  it('shows a crash-looping hub as CrashLoopBackOff and down', () => {
    const name = 'hub-5f7d8c9b4-x2x7q';
    const hub = hubPod({
      ...r,
      name,
      node: 'core-1',
      restartCount: 7,
      container: crashLoopBackOff({ namespace: r.namespace, name }, 'hub'),
      lastTerminated: oomKilled(at(200), at(500)),
    });
    const model = onlyHub({ pods: [hub], now });
    const pod = podNamed(model, name);
    assert.equal(pod.status, 'CrashLoopBackOff');
    assert.equal(pod.ready, false);
    assert.equal(model.health, 'down');
    assert.match(model.healthReasons[0]!, /CrashLoopBackOff/);
  });

  it('calls a hub that OOMed long ago and runs fine ok, and a proxy that restarted recently degraded', () => {
    const hub = hubPod({ ...r, node: 'core-1', restartCount: 1, lastTerminated: oomKilled(at(-9000), at(-8000)) });
    const proxy = proxyPod({ ...r, node: 'core-1' });
    assert.equal(onlyHub({ pods: [hub, proxy], now }).health, 'ok');
    const restartedProxy = proxyPod({
      ...r,
      node: 'core-1',
      restartCount: 1,
      lastTerminated: { exitCode: 1, reason: 'Error', finishedAt: at(500) },
    });
    const model = onlyHub({ pods: [hub, restartedProxy], now });
    assert.equal(model.health, 'degraded');
    assert.match(model.healthReasons.join('\n'), /proxy restarted: Error \(exit 1\) 1m40s ago/);
  });

  it('says a hub with no hub pod is down', () => {
    const model = onlyHub({ pods: [proxyPod({ ...r, node: 'core-1' })], now });
    assert.equal(model.health, 'down');
    assert.deepEqual(model.healthReasons, ['no hub pod']);
  });
});
