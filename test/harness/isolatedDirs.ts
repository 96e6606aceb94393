import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Fresh HOME / XDG / VS Code folders for one server, so nothing touches the real home or other runs. */
export interface IsolatedDirs {
  root: string;
  home: string;
  userDataDir: string;
  serverDataDir: string;
  extensionsDir: string;
  workspace: string;
  logs: string;
  /** `~/.kube/config` in this HOME (not written until a test writes it). */
  kubeconfig: string;
  /** Writes `~/.kube/config` (owner-only, as kubectl leaves it). */
  writeKubeconfig(yaml: string): void;
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  writeSettings(settings: Record<string, unknown>): void;
  remove(): void;
}

export function makeIsolatedDirs(name: string): IsolatedDirs {
  // Outside the repository, so the workbench does not offer to open the project's own git repository.
  const root = mkdtempSync(join(tmpdir(), `hubops-${name}-`));
  const dirs = {
    root,
    home: join(root, 'home'),
    userDataDir: join(root, 'user-data'),
    serverDataDir: join(root, 'server-data'),
    extensionsDir: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
    logs: join(root, 'logs'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const kubeconfig = join(dirs.home, '.kube/config');
  return {
    ...dirs,
    kubeconfig,
    writeKubeconfig(yaml) {
      mkdirSync(dirname(kubeconfig), { recursive: true });
      writeFileSync(kubeconfig, yaml, { mode: 0o600 });
    },
    env(extra = {}) {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        LANG: 'C.UTF-8',
        TZ: process.env.TZ ?? 'UTC',
        HOME: dirs.home,
        XDG_CONFIG_HOME: join(dirs.home, '.config'),
        XDG_DATA_HOME: join(dirs.home, '.local/share'),
        XDG_CACHE_HOME: join(dirs.home, '.cache'),
        ...extra,
      };
      return env;
    },
    writeSettings(settings) {
      // The inner VS Code server reads machine settings; code-server reads the user settings file.
      const json = JSON.stringify({
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        ...settings,
      });
      for (const dir of [join(dirs.serverDataDir, 'data/Machine'), join(dirs.userDataDir, 'User')]) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'settings.json'), json);
      }
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
