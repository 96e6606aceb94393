import assert from 'node:assert/strict';
import type { EventModel } from '../../../src/core/cluster/model';
import { groupEvents, groupObjects, messagePattern } from '../../../src/cluster/eventGroups';

const failed = (pod: string, nodes: number, time: string): EventModel => ({
  kind: 'failed-scheduling',
  reason: 'FailedScheduling',
  type: 'Warning',
  time,
  firstTime: time,
  count: 1,
  message: `0/${nodes} nodes are available: 2 node(s) didn't match Pod's node affinity/selector, ${nodes - 2} Insufficient memory.`,
  object: { kind: 'Pod', name: pod, namespace: 'hub-classroom' },
  pod,
  key: `uid-${pod}`,
});

describe('grouping near-identical events (one row for a FailedScheduling burst)', () => {
  it('groups by type, reason and message with the object name and the numbers set aside, newest first', () => {
    const events = [
      failed('jupyter-a', 5, '2026-01-01T10:00:00Z'),
      failed('jupyter-b', 6, '2026-01-01T10:02:00Z'),
      failed('jupyter-c', 5, '2026-01-01T10:01:00Z'),
      { ...failed('jupyter-a', 5, '2026-01-01T10:03:00Z'), reason: 'TriggeredScaleUp', key: 'scale', type: 'Normal' },
    ];
    const groups = groupEvents(events);
    assert.deepEqual(
      groups.map((g) => g.events.map((e) => e.key)),
      [['uid-jupyter-b', 'uid-jupyter-c', 'uid-jupyter-a'], ['scale']],
    );
    assert.deepEqual(groupObjects(groups[0]!.events), ['jupyter-b', 'jupyter-c', 'jupyter-a']);
  });

  it('keeps different messages apart, and abstracts the object name inside the message', () => {
    const a = { ...failed('jupyter-a', 5, '2026-01-01T10:00:00Z'), message: 'pod jupyter-a: volume not bound' };
    const b = { ...failed('jupyter-b', 5, '2026-01-01T10:00:00Z'), message: 'pod jupyter-b: volume not bound' };
    const c = { ...failed('jupyter-c', 5, '2026-01-01T10:00:00Z'), message: 'pod jupyter-c: quota exceeded' };
    assert.equal(messagePattern(a), 'pod <name>: volume not bound');
    assert.deepEqual(
      groupEvents([a, b, c]).map((g) => g.events.length),
      [2, 1],
    );
  });
});
