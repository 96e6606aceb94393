import assert from 'node:assert/strict';
import type { PodModel } from '../../../src/core/cluster/model';
import { podGroupDescription } from '../../../src/cluster/rowText';

/** Just what a group row reads of a pod. */
const pod = (phase: string, ready: boolean, status = phase) => ({ phase, ready, status }) as PodModel;

describe('Clusters view row text', () => {
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
});
