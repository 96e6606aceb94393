import assert from 'node:assert/strict';
import { PrometheusClient } from '../../../src/core/prometheus/client';
import { readSpawnHistory, scaleUpWaits } from '../../../src/core/prometheus/spawnHistory';
import { urlTransport } from '../../../src/core/prometheus/transport';
import { freePort } from '../../harness/processes';
import { historyFigures } from '../../../src/core/readiness/spawnHistory';
import { classStart, classStartSix, incidentNight } from '../../prometheus/histories';
import { usePrometheusClient } from '../../prometheus/usePrometheusHistories';

const minute = 60_000;

describe('prometheus: spawn and scale-up history for the readiness check', () => {
  const { client } = usePrometheusClient();

  it('the class start: the median successful spawn from the histogram, and the autoscaler’s ten minutes', async () => {
    const atMs = classStart.start.getTime() + classStart.durationMs;
    const history = await readSpawnHistory(client(), 'hub-classroom', { atMs });
    // Every success of the scenario lands in the 15–30 s bucket: Prometheus interpolates the median to 22.5 s.
    assert.equal(history.spawnSeconds?.seconds, 22.5);
    assert.match(history.spawnSeconds!.source, /^Prometheus: median of \d+ successful spawns in the last 7 days$/);
    // New nodes are Ready 10 min after the autoscaler is triggered, which happens at the first waiting pod.
    const scaleUp = history.scaleUpSeconds?.seconds ?? 0;
    assert.ok(scaleUp >= 10 * 60 && scaleUp <= 12 * 60, `scale-up ${scaleUp} s`);
    assert.match(
      history.scaleUpSeconds!.source,
      /^Prometheus: median of \d+ scale-ups? in the last 7 days, from the first waiting user pod to a new node \(±2 min\)$/,
    );
    assert.deepEqual(history.why, {});
  });

  it('JupyterHub 6 labels give the same figures (status="success" in both schemes)', async () => {
    const atMs = classStartSix.start.getTime() + classStartSix.durationMs;
    const history = await readSpawnHistory(client(), 'hub-classroom', { atMs, lookbackMs: classStartSix.durationMs });
    assert.equal(history.spawnSeconds?.seconds, 22.5);
    assert.match(history.spawnSeconds!.source, /in the last 1 h$/);
  });

  it('a hub that never stayed up to be scraped, and no scale-up: both figures left out with the reason', async () => {
    const atMs = incidentNight.start.getTime() + incidentNight.durationMs;
    const history = await readSpawnHistory(client(), 'hub-physics', { atMs, lookbackMs: incidentNight.durationMs });
    assert.equal(history.spawnSeconds, undefined);
    assert.equal(history.scaleUpSeconds, undefined);
    assert.match(history.why!.spawnSeconds!, /^0 successful spawns in the last 5 h in Prometheus/);
    assert.match(history.why!.scaleUpSeconds!, /^no scale-up in the last 5 h in Prometheus/);
    // The readiness check says so where it assumes the defaults.
    const figures = historyFigures(history);
    assert.equal(figures.spawnSeconds.assumed, true);
    assert.match(figures.spawnSeconds.source, /^assumed 30 s per spawn \(0 successful spawns in the last 5 h/);
    assert.match(figures.scaleUpSeconds.source, /^assumed 10 min per scale-up \(no scale-up in the last 5 h/);
  });

  it('an unreachable Prometheus: both figures left out, each with the reason, no rejection', async () => {
    const transport = urlTransport(`http://127.0.0.1:${await freePort()}`);
    assert.ok(transport.ok);
    const history = await readSpawnHistory(new PrometheusClient(transport.value), 'hub-classroom');
    assert.deepEqual(Object.keys(history), ['why']);
    assert.match(history.why!.spawnSeconds!, /^Cannot reach Prometheus at .*: connection refused\.$/);
    assert.match(history.why!.scaleUpSeconds!, /^Cannot reach Prometheus at .*: connection refused\.$/);
  });
});

describe('prometheus: scale-up waits from pending pods and the node count', () => {
  const series = (points: [number, number][]) => [{ labels: {}, points }];
  it('counts the first new node of each waiting spell, from the spell’s start', () => {
    const t = (m: number) => m * minute;
    const pending = series([
      [t(0), 0],
      [t(1), 5],
      [t(2), 9],
      [t(11), 9],
      [t(12), 2],
      [t(13), 0],
      [t(20), 3],
      [t(24), 0],
    ]);
    const nodes = series([
      [t(0), 3],
      [t(1), 3],
      [t(2), 3],
      [t(11), 4],
      [t(12), 5],
      [t(13), 5],
      [t(20), 5],
      [t(24), 6],
    ]);
    // Spell 1 starts at minute 1, a node joins at 11 (the second at 12 is the same spell); spell 2 has its node
    // at minute 24, when nothing waits any more: still the scale-up it waited for.
    assert.deepEqual(scaleUpWaits(pending, nodes), [600, 240]);
  });
  it('no pending pods, or no nodes: no waits', () => {
    assert.deepEqual(
      scaleUpWaits(
        [],
        series([
          [0, 3],
          [minute, 4],
        ]),
      ),
      [],
    );
    assert.deepEqual(scaleUpWaits(series([[0, 3]]), []), []);
  });
});
