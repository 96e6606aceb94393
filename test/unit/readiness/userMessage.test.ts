import assert from 'node:assert/strict';
import { simulateStartup } from '../../../src/core/readiness/simulate';
import { friendlyMinutes, userMessage } from '../../../src/core/readiness/userMessage';
import { model, node } from './queueFixtures';

const timing = { scaleUpMinutes: 10, startTimeoutMinutes: 5 };

describe('readiness: the message for users', () => {
  it('rounds waits to times people plan with', () => {
    assert.deepEqual([0.4, 1, 1.2, 4, 11, 21, 50, 61].map(friendlyMinutes), [1, 1, 2, 5, 15, 30, 60, 120]);
  });

  it('slow start with new nodes and 429s: how long, why, and what to do, in plain words', () => {
    const p = simulateStartup(model({ nodes: [node(20)], autoscaler: { maxNewNodes: 10, scaleUpSeconds: 600 } }));
    const m = userMessage({ attendees: 100, arrivalMinutes: 0 }, p, timing, 'the hub as it is now');
    assert.match(
      m.before,
      /^When the session starts, your Jupyter server may take up to 15 minutes to start \(most start within 15 minutes\)\. This is expected: when many people start at once, the hub asks for more computers, and each one takes about 10 minutes to join; and the hub starts a limited number of servers at a time, to stay healthy\./,
    );
    assert.match(m.before, /click Start once and keep the page open/);
    assert.match(
      m.before,
      /If you see "Too many users trying to log in right now", wait a minute and click Start again\./,
    );
    assert.match(m.before, /If the page says your server failed to start in time, click Start again\.$/);
    assert.match(
      m.during,
      /^Servers are starting slowly right now\. This is expected, not an outage: when many people start at once/,
    );
    assert.ok(!/HTTP|429|pod|node|spawn|autoscal/i.test(m.before + m.during), 'no jargon');
  });

  it('a fast start says so; a shortfall asks people to tell the organisers', () => {
    const fast = simulateStartup(model({ attendees: 40 }));
    const m = userMessage({ attendees: 40, arrivalMinutes: 0 }, fast, timing, 'after the suggested changes');
    assert.equal(
      m.before,
      'When the session starts, your Jupyter server should start within a minute. Log in, click Start once and keep the page open: it opens your server by itself.',
    );
    const short = simulateStartup(model({ attendees: 40, spawnLimit: 0, nodes: [node(30)] }));
    assert.match(
      userMessage({ attendees: 40, arrivalMinutes: 0 }, short, timing, 'now').before,
      /With 40 people, some may not get a server at first: if yours does not start, please tell the organisers\.$/,
    );
  });
});
