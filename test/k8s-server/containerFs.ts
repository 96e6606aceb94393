/**
 * A container's file tree for exec: a real directory on this machine, plus "mounts" that map container
 * path prefixes (e.g. /srv/jupyterhub, /tmp) to host directories. Exec runs real commands here after
 * rewriting those container paths in argv, so `cat /srv/jupyterhub/jupyterhub.sqlite` reads real bytes.
 * Paths outside the mounts are this machine's own (sh, python3, sqlite3 come from the host, as they
 * would from the k8s-hub image).
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export interface ContainerFsOptions {
  /** Container path prefix → host directory, over the defaults /srv/jupyterhub, /tmp, /home/jovyan under the root. */
  mounts?: Record<string, string>;
  /** Commands this container lacks (e.g. ['python3'] for an image without Python): left out of its PATH. */
  hiddenCommands?: string[];
}

const defaultMounts = ['/srv/jupyterhub', '/tmp', '/home/jovyan'];
const hostPathDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class ContainerFs {
  /** Mounts sorted longest prefix first, so /srv/jupyterhub/x wins over /srv. */
  readonly mounts: [string, string][];
  private readonly pattern: RegExp;
  private path: string | undefined;

  constructor(
    readonly root: string,
    options: ContainerFsOptions = {},
  ) {
    const mounts = { ...Object.fromEntries(defaultMounts.map((m) => [m, join(root, m)])), ...options.mounts };
    this.mounts = Object.entries(mounts).sort(([a], [b]) => b.length - a.length);
    for (const [, host] of this.mounts) mkdirSync(host, { recursive: true });
    // A container path starts at the beginning of an argument or after a character that cannot be part
    // of a path (space, quote, '=', '(' …), and the prefix ends at '/' or at such a character.
    const prefixes = this.mounts.map(([p]) => escapeRegExp(p)).join('|');
    this.pattern = new RegExp(`(^|[^A-Za-z0-9_.~/-])(${prefixes})(?=/|$|[^A-Za-z0-9_.-])`, 'g');
    if (options.hiddenCommands?.length) this.path = this.buildPath(options.hiddenCommands);
  }

  /** The host path of a container path (inside a mount, else the container root). */
  hostPath(containerPath: string): string {
    for (const [prefix, host] of this.mounts)
      if (containerPath === prefix || containerPath.startsWith(prefix + '/'))
        return join(host, containerPath.slice(prefix.length));
    return join(this.root, containerPath);
  }

  /** Rewrites every container path (under a mount) in one argv element to its host path. */
  rewriteArg(arg: string): string {
    return arg.replace(this.pattern, (_m, before: string, prefix: string) => {
      const host = this.mounts.find(([p]) => p === prefix)![1];
      return before + host;
    });
  }

  /** Environment for exec: the container's PATH, TMPDIR at its /tmp, HOME at its root. */
  env(): NodeJS.ProcessEnv {
    const tmp = this.mounts.find(([p]) => p === '/tmp')?.[1];
    return {
      PATH: this.path ?? hostPathDirs.join(delimiter),
      HOME: this.mounts.find(([p]) => p === '/home/jovyan')?.[1] ?? this.root,
      LANG: 'C.UTF-8',
      ...(tmp ? { TMPDIR: tmp } : {}),
    };
  }

  writeFile(containerPath: string, data: string | Uint8Array): string {
    const host = this.hostPath(containerPath);
    mkdirSync(dirname(host), { recursive: true });
    writeFileSync(host, data);
    return host;
  }

  readFile(containerPath: string): Buffer {
    return readFileSync(this.hostPath(containerPath));
  }

  /** Names in a container directory ([] when it does not exist). */
  listDir(containerPath: string): string[] {
    const host = this.hostPath(containerPath);
    return existsSync(host) ? readdirSync(host).sort() : [];
  }

  /** A PATH directory of symlinks to the host's commands, minus the hidden ones (so `command -v` fails). */
  private buildPath(hidden: string[]): string {
    const bin = join(this.root, '.container-bin');
    mkdirSync(bin, { recursive: true });
    const isHidden = (name: string) => hidden.some((h) => name === h || name.startsWith(h + '.'));
    for (const dir of hostPathDirs) {
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        if (isHidden(name) || existsSync(join(bin, name))) continue;
        try {
          if (statSync(join(dir, name)).isFile()) symlinkSync(join(dir, name), join(bin, name));
        } catch {
          // dangling links and races with package installs: skip the entry
        }
      }
    }
    return bin;
  }
}

/** The file trees of all containers, created on first use under one base directory. */
export class ContainerRegistry {
  private readonly trees = new Map<string, ContainerFs>();

  constructor(readonly baseDir: string) {}

  /**
   * The directory behind a persistent volume claim: every container that mounts the claim sees the same
   * files (the hub's /srv/jupyterhub is claim hub-db-dir, so a helper pod mounting it reads the hub's DB).
   */
  claimDir(namespace: string, claim: string): string {
    const dir = join(this.baseDir, namespace, '.claims', claim);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Creates (or re-creates with new options) the tree of a container. */
  create(namespace: string, pod: string, container: string, options?: ContainerFsOptions): ContainerFs {
    const k = `${namespace}/${pod}/${container}`;
    const root = join(this.baseDir, namespace, pod, container);
    mkdirSync(root, { recursive: true });
    // z2jh's hub container mounts claim hub-db-dir at /srv/jupyterhub.
    const claims: Record<string, string> =
      container === 'hub' ? { '/srv/jupyterhub': this.claimDir(namespace, 'hub-db-dir') } : {};
    const fs = new ContainerFs(root, { ...options, mounts: { ...claims, ...options?.mounts } });
    this.trees.set(k, fs);
    return fs;
  }

  /** The tree of a container, created with default mounts if it has none yet. */
  get(namespace: string, pod: string, container: string): ContainerFs {
    return this.trees.get(`${namespace}/${pod}/${container}`) ?? this.create(namespace, pod, container);
  }

  has(namespace: string, pod: string, container: string): boolean {
    return this.trees.has(`${namespace}/${pod}/${container}`);
  }

  /** Removes every tree (server close). */
  removeAll(): void {
    this.trees.clear();
    rmSync(this.baseDir, { recursive: true, force: true });
  }
}
