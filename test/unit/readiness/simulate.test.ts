import assert from 'node:assert/strict';
import { fitCount, simulateStartup } from '../../../src/core/readiness/simulate';
import { GiB, model, node, user } from './queueFixtures';

describe('readiness: spawn queue simulation', () => {
  it('fits pods by every requested dimension', () => {
    assert.equal(fitCount({ memoryBytes: 14.69 * GiB, cpuMillis: 3920, pods: 110 }, user), 14);
    assert.equal(fitCount({ memoryBytes: 100 * GiB, cpuMillis: 3920, pods: 110 }, { ...user, cpuMillis: 500 }), 7);
    assert.equal(fitCount({ memoryBytes: 100 * GiB, cpuMillis: 0, pods: 3 }, user), 3);
  });

  it('limit ≥ attendees and room for all: nobody sees a 429, everyone runs after one spawn time', () => {
    const p = simulateStartup(model({ attendees: 40, spawnLimit: 64 }));
    assert.equal(p.usersSeeing429, 0);
    assert.equal(p.lastServerMinutes, 0.5);
    assert.equal(p.peakWaitingForNode, 0);
    assert.equal(p.served, 40);
    assert.deepEqual(p.curve.at(-1), { minute: p.curve.at(-1)!.minute, running: 40, waiting: 0, waitingForNode: 0 });
  });

  it('a spawn limit below the burst: the rest get 429 and come back 30–60 s later', () => {
    const p = simulateStartup(model({ attendees: 40, spawnLimit: 10 }));
    assert.equal(p.usersSeeing429, 30);
    assert.ok(p.responses429 >= 30);
    // Four rounds of 10, each waiting ≥ 30 s for the previous round to finish, retries every 30–60 s.
    assert.ok(p.lastServerMinutes! >= 2 && p.lastServerMinutes! <= 4.5, String(p.lastServerMinutes));
    assert.equal(p.served, 40);
  });

  it('no autoscaler: attendees beyond the free room never get a server, and the simulation stops', () => {
    const p = simulateStartup(model({ attendees: 50, spawnLimit: 0, nodes: [node(14), node(14)], autoscaler: null }));
    assert.equal(p.served, 28);
    assert.equal(p.lastServerMinutes, null);
    assert.equal(p.longestWaitMinutes, null);
    assert.equal(p.blockedBy, 'node capacity');
    assert.equal(p.peakWaitingForNode, 22);
    assert.ok(p.endMinute < 10, `stopped early, not at the horizon: ${p.endMinute}`);
    assert.deepEqual(p.scaleUps, []);
  });

  it('autoscaler: nodes arrive after the scale-up delay and the waiting spawns run', () => {
    const p = simulateStartup(
      model({ attendees: 60, spawnLimit: 0, nodes: [node(14)], autoscaler: { maxNewNodes: 10, scaleUpSeconds: 600 } }),
    );
    assert.equal(p.served, 60);
    assert.deepEqual(p.scaleUps, [{ minute: 0, nodes: 4, readyMinute: 10 }]);
    assert.equal(p.lastServerMinutes, 10.5);
    assert.equal(p.peakWaitingForNode, 46);
  });

  it('the autoscaler at its max: only that many nodes come, the rest wait for ever', () => {
    const p = simulateStartup(
      model({ attendees: 60, spawnLimit: 0, nodes: [node(14)], autoscaler: { maxNewNodes: 2, scaleUpSeconds: 600 } }),
    );
    assert.deepEqual(
      p.scaleUps.map((s) => s.nodes),
      [2],
    );
    assert.equal(p.served, 14 * 3);
    assert.equal(p.lastServerMinutes, null);
    assert.equal(p.blockedBy, 'node capacity');
  });

  it('the autoscaler already at its max (no room to grow) is the same as no autoscaler', () => {
    const atMax = simulateStartup(
      model({ attendees: 30, spawnLimit: 0, nodes: [node(14)], autoscaler: { maxNewNodes: 0, scaleUpSeconds: 600 } }),
    );
    const none = simulateStartup(model({ attendees: 30, spawnLimit: 0, nodes: [node(14)], autoscaler: null }));
    assert.deepEqual(atMax, none);
    assert.equal(atMax.served, 14);
  });

  it('placeholders ≥ attendees: every user preempts one and starts at once; the placeholders trigger the scale-up', () => {
    const p = simulateStartup(
      model({
        attendees: 20,
        spawnLimit: 0,
        nodes: [node(14, 14), node(14, 14)],
        autoscaler: { maxNewNodes: 5, scaleUpSeconds: 600 },
      }),
    );
    assert.equal(p.lastServerMinutes, 0.5);
    assert.equal(p.peakWaitingForNode, 0);
    // 20 re-created placeholders are pending: two nodes (14 each) are requested for them.
    assert.deepEqual(p.scaleUps, [{ minute: 0, nodes: 2, readyMinute: 10 }]);
  });

  it('fewer placeholders than attendees: the first ones start at once, the rest wait for nodes', () => {
    const p = simulateStartup(
      model({
        attendees: 20,
        spawnLimit: 0,
        nodes: [node(14, 6)],
        autoscaler: { maxNewNodes: 5, scaleUpSeconds: 600 },
      }),
    );
    const early = p.curve.find((c) => c.minute === 1)!;
    assert.equal(early.running, 14);
    assert.equal(early.waitingForNode, 6);
    assert.equal(p.lastServerMinutes, 10.5);
  });

  it('spread arrivals under the spawn limit meet no 429', () => {
    const p = simulateStartup(model({ attendees: 100, arrivalMinutes: 20, spawnLimit: 64, nodes: [node(200)] }));
    assert.equal(p.usersSeeing429, 0);
    assert.ok(p.lastServerMinutes! > 19.7 && p.lastServerMinutes! <= 20.5, String(p.lastServerMinutes));
  });

  it('the active server limit turns the rest away for good', () => {
    const p = simulateStartup(
      model({ attendees: 30, spawnLimit: 0, activeServerLimit: 25, activeServersAtStart: 5, nodes: [node(100)] }),
    );
    assert.equal(p.served, 20);
    assert.equal(p.usersSeeing429, 10);
    assert.equal(p.blockedBy, 'active server limit');
  });

  it('unknown node capacity: only the spawn limit and spawn time shape the curve', () => {
    const p = simulateStartup(model({ attendees: 64, spawnLimit: 64, nodes: null }));
    assert.equal(p.lastServerMinutes, 0.5);
    assert.equal(p.peakWaitingForNode, 0);
  });

  it('is deterministic', () => {
    const m = model({
      attendees: 150,
      nodes: [node(14, 2), node(14, 2)],
      autoscaler: { maxNewNodes: 7, scaleUpSeconds: 600 },
    });
    assert.deepEqual(simulateStartup(m), simulateStartup(m));
  });
});
