import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCalibrationDb } from '../builders/hubDb';
import { startTestServer, type TestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import { openInstalledWorkbench, type Workbench } from './workbench';

export interface OomLoopWorkbench {
  readonly server: TestServer;
  readonly timeline: Timeline;
  readonly workbench: Workbench;
}

/**
 * Mocha hooks for the incident's setting: the Kubernetes API test server plays the `oom-loop` scenario on the
 * incident-shaped hub DB (one stress user with 1,500 named servers, 700 running), and the installed workbench
 * opens with `~/.kube/config` pointing at it as context `gke-prod`. The cluster shows virtual ms `at` when VS
 * Code opens; with `live`, that moment is now on the real clock, so the kubelet's times read as live. The
 * returned object is filled in by `before` and closed by `after`.
 */
export function useOomLoopWorkbench(setup: {
  name: string;
  at: number;
  live?: boolean;
  settings?: Record<string, unknown>;
}): OomLoopWorkbench {
  const fixture = {} as { server: TestServer; timeline: Timeline; workbench: Workbench };
  before(async () => {
    const server = (fixture.server = await startTestServer());
    fixture.workbench = await openInstalledWorkbench({
      name: setup.name,
      settings: setup.settings,
      async prepare(dirs) {
        const hubDbFile = join(dirs.root, 'incident-hub.sqlite');
        writeFileSync(
          hubDbFile,
          await buildCalibrationDb({ stressServers: 1500, stressRunning: 700, ordinaryUsers: 198 }),
        );
        const start = setup.live ? new Date(Math.floor(Date.now() / 1000) * 1000 - setup.at) : undefined;
        fixture.timeline = new Timeline(server, findScenario('oom-loop')!.steps({ hubDbFile }), { start });
        fixture.timeline.advanceTo(setup.at);
        server.writeKubeconfig(dirs.kubeconfig, { context: 'gke-prod' });
      },
    });
  });
  after(async () => {
    await fixture.workbench?.close();
    await fixture.server?.close();
  });
  return fixture;
}
