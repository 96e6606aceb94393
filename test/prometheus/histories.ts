/**
 * The scenario histories the Prometheus tests share, loaded into one real Prometheus per test run (built
 * on first use, stopped when the process exits). Each history is a live scenario of the Kubernetes API test
 * server played from a fixed start, so tests can name exact minutes (usePrometheusHistories.ts loads them
 * once per test run):
 *
 * - `incidentNight`, from 01:00 UTC on 23 Nov 2026 for 5 h: hub-physics OOM-loops from the start (first
 *   kill 01:01:20) until the operators raise its limit at 05:40 (the next start-up takes 95 s and
 *   succeeds); hub-staff stays healthy.
 * - `classStart` from 14:00 UTC the same day: 150 students against a spawn limit of 64 on JupyterHub 5.3.0
 *   (throttled spawn pages answer 200), nodes added by the autoscaler.
 * - `classStartSix` from 14:00 UTC on 24 Nov: the same class on JupyterHub 6 labels (throttled spawns are
 *   `status="failure", reason="throttled"`, and answer 429).
 * - `abortingHub` from 09:00 UTC on 25 Nov: spawns fail until the hub exits after five in a row.
 * - `leakyHub` from 12:00 UTC on 25 Nov: hub-leaky is healthy but sits at ~93 % of its memory limit.
 * - `recentClassStart`: the class start again, three days before the test run (on a whole hour), so what
 *   reads "the last 7 days" (the readiness check's spawn and scale-up times) finds it.
 */
import { join } from 'node:path';
import { classStartSteps } from '../k8s-server/scenarios/classStart';
import { consecutiveFailuresSteps } from '../k8s-server/scenarios/consecutiveFailures';
import { healthyHubSteps } from '../k8s-server/scenarios/healthyHub';
import { oomLoopSteps } from '../k8s-server/scenarios/oomLoop';
import { minutes, type Step } from '../k8s-server/scenarios/timeline';
import { writeScenarioHistory } from './scenarioHistory';
import { startPrometheus, type TestPrometheus } from './testPrometheus';

export interface HistorySpec {
  name: string;
  start: Date;
  durationMs: number;
  steps(): Step[];
}

const hour = 3600_000;

/** hub-physics's steps on the OOM night: the loop, and the limit raised at 05:40. */
export const oomNightSteps = () => oomLoopSteps({ durationMs: 5 * hour, limitRaisedAtMs: 4 * hour + minutes(40) });

export const incidentNight: HistorySpec = {
  name: 'incident-night',
  start: new Date('2026-11-23T01:00:00Z'),
  durationMs: 5 * hour,
  steps: () => [...oomNightSteps(), ...healthyHubSteps({ durationMs: 5 * hour })],
};

export const leakyHub: HistorySpec = {
  name: 'leaky-hub',
  start: new Date('2026-11-25T12:00:00Z'),
  durationMs: minutes(30),
  steps: () => healthyHubSteps({ namespace: 'hub-leaky', durationMs: minutes(30), hubMemoryMi: 1900 }),
};

export const classStart: HistorySpec = {
  name: 'class-start',
  start: new Date('2026-11-23T14:00:00Z'),
  durationMs: minutes(60),
  steps: () => classStartSteps({ durationMs: minutes(60) }),
};

export const classStartSix: HistorySpec = {
  name: 'class-start-6',
  start: new Date('2026-11-24T14:00:00Z'),
  durationMs: minutes(45),
  steps: () => classStartSteps({ durationMs: minutes(45), students: 100, jupyterhubVersion: '6.0.0' }),
};

export const abortingHub: HistorySpec = {
  name: 'aborting-hub',
  start: new Date('2026-11-25T09:00:00Z'),
  durationMs: minutes(20),
  steps: () => consecutiveFailuresSteps(),
};

export const recentClassStart: HistorySpec = {
  name: 'class-recent',
  start: new Date(Math.floor(Date.now() / hour) * hour - 72 * hour),
  durationMs: minutes(60),
  steps: () => classStartSteps({ durationMs: minutes(60) }),
};

export const allHistories = [incidentNight, classStart, classStartSix, abortingHub, leakyHub, recentClassStart];

export interface LoadedHistories {
  prometheus: TestPrometheus;
  dir: string;
}

/** Writes every history into `dir` and starts one Prometheus on them (the caller stops it). */
export async function loadHistories(
  dir: string,
  specs: readonly HistorySpec[] = allHistories,
): Promise<LoadedHistories> {
  const files = [];
  for (const h of specs)
    files.push(
      await writeScenarioHistory(join(dir, `${h.name}.om`), h.steps(), { start: h.start, durationMs: h.durationMs }),
    );
  const prometheus = await startPrometheus({ openMetrics: files.map((f) => f.file), dir });
  return { prometheus, dir };
}
