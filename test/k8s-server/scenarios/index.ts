/**
 * The scenarios by name, as the CLI and tests pick them. `incident` is the demo: an OOM-looping hub, a
 * class start and a healthy hub in three namespaces of one cluster.
 */
import { classStartSteps } from './classStart';
import { consecutiveFailuresSteps } from './consecutiveFailures';
import { healthyHubSteps } from './healthyHub';
import { oomLoopSteps } from './oomLoop';
import type { Step } from './timeline';
import { versionsSteps } from './versions';

export interface ScenarioOptions {
  /** For scenarios with a hub DB: a file to copy to /srv/jupyterhub/jupyterhub.sqlite. */
  hubDbFile?: string;
  durationMs?: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** Namespaces the scenario fills. */
  namespaces: string[];
  steps(options?: ScenarioOptions): Step[];
}

export const scenarios: Scenario[] = [
  {
    name: 'oom-loop',
    description: 'a z2jh 4.2.0 hub OOMKilled at start-up, restarting in a loop (CrashLoopBackOff)',
    namespaces: ['hub-physics'],
    steps: (o = {}) => oomLoopSteps(o),
  },
  {
    name: 'class-start',
    description: '150 students spawn at once against a spawn limit of 64; pods Pending until new nodes arrive',
    namespaces: ['hub-classroom'],
    steps: (o = {}) => classStartSteps(o),
  },
  {
    name: 'healthy',
    description: 'a healthy hub with a few users',
    namespaces: ['hub-staff'],
    steps: (o = {}) => healthyHubSteps(o),
  },
  {
    name: 'versions',
    description: 'z2jh 3.x and 4.x label sets, KubeSpawner 6 and 7 pod names',
    namespaces: ['hub-legacy', 'hub-modern'],
    steps: () => versionsSteps(),
  },
  {
    name: 'consecutive-failures',
    description: 'a hub that exits 1 after 5 consecutive spawn failures',
    namespaces: ['hub-aborting'],
    steps: () => consecutiveFailuresSteps(),
  },
  {
    name: 'incident',
    description: 'the demo: oom-loop in hub-physics, class-start in hub-classroom, healthy in hub-staff',
    namespaces: ['hub-physics', 'hub-classroom', 'hub-staff'],
    steps: (o = {}) => [...oomLoopSteps(o), ...classStartSteps(o), ...healthyHubSteps(o)],
  },
];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}

export { Timeline, type Step, type ScenarioContext } from './timeline';
