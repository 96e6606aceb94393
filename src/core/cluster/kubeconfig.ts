import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { messageOf } from '../result';

/** One kubeconfig context as the operator sees it (never credentials). */
export interface ContextInfo {
  name: string;
  cluster: string;
  /** The cluster's API server URL, or '' when the context names a cluster that is not defined. */
  server: string;
  user: string;
  namespace: string | undefined;
  current: boolean;
}

/** A file that could not be used, with the reason in an operator's words. */
export interface KubeconfigProblem {
  file: string;
  /** 'missing': no file at that path; 'unreadable': a file that cannot be read or parsed. */
  kind: 'missing' | 'unreadable';
  message: string;
}

/** Where the kubeconfig's files came from: the extension's setting, KUBECONFIG, or kubectl's default. */
export type KubeconfigOrigin = 'setting' | 'KUBECONFIG' | 'default';

export function kubeconfigOrigin(override: string | undefined, env: NodeJS.ProcessEnv = process.env): KubeconfigOrigin {
  if (override && override.trim()) return 'setting';
  return (env.KUBECONFIG ?? '').split(delimiter).some((f) => f.length > 0) ? 'KUBECONFIG' : 'default';
}

/**
 * What the Clusters view has to show for a kubeconfig: its contexts; problem rows (a file that cannot be
 * read, or a named file that is missing); or nothing, so that the view's welcome text appears: 'missing'
 * (kubectl's default ~/.kube/config does not exist: a first run) or 'empty' (files without contexts).
 */
export type KubeconfigState = 'contexts' | 'problem' | 'missing' | 'empty';

export function kubeconfigState(loaded: LoadedKubeconfig, origin: KubeconfigOrigin): KubeconfigState {
  if (loaded.contexts.length > 0) return 'contexts';
  if (loaded.problems.some((p) => p.kind === 'unreadable' || origin !== 'default')) return 'problem';
  return loaded.problems.length > 0 ? 'missing' : 'empty';
}

export interface LoadedKubeconfig {
  /** The files read, in kubectl's precedence order. */
  files: string[];
  contexts: ContextInfo[];
  currentContext: string | undefined;
  problems: KubeconfigProblem[];
  /** The merged config, for API clients. Holds credentials: never log or serialise it. */
  kubeConfig: KubeConfig;
}

/**
 * Which files make up the kubeconfig: an explicit path wins, else KUBECONFIG (several files joined by
 * the platform's path delimiter), else ~/.kube/config.
 */
export function kubeconfigFiles(override: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (override && override.trim()) {
    // A setting is not read by a shell: `~/…` is the home folder, as the operator means it.
    const path = override.trim();
    return [/^~(?=$|[/\\])/.test(path) ? join(env.HOME || homedir(), path.slice(1)) : path];
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f.length > 0);
  if (fromEnv.length > 0) return [...new Set(fromEnv)];
  return [join(env.HOME || homedir(), '.kube', 'config')];
}

/**
 * Loads and merges kubeconfig files with kubectl's rules, which client-node's `loadFromDefault` does not
 * follow: a missing file in KUBECONFIG is skipped, the first file to define a name wins (later
 * duplicates are ignored, not errors), and `current-context` comes from the first file that sets it.
 * client-node still parses and validates every file.
 */
export function loadKubeconfig(files: string[]): LoadedKubeconfig {
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  const problems: KubeconfigProblem[] = [];
  let currentContext: string | undefined;
  const explicitSingleFile = files.length === 1;

  for (const file of files) {
    if (!existsSync(file)) {
      // kubectl ignores missing KUBECONFIG entries; a single named file that is missing is worth saying.
      if (explicitSingleFile) problems.push({ file, kind: 'missing', message: `No kubeconfig file at ${file}.` });
      continue;
    }
    const part = new KubeConfig();
    try {
      const text = readFileSync(file, 'utf8');
      // kubectl reads an empty file as an empty config; client-node's YAML parser rejects it.
      if (text.trim() === '') continue;
      part.loadFromString(text);
      part.makePathsAbsolute(dirname(file)); // what loadFromFile does: relative cert paths are file-relative
    } catch (error) {
      problems.push({
        file,
        kind: 'unreadable',
        message: `Cannot read kubeconfig ${file}: ${firstLine(messageOf(error))}`,
      });
      continue;
    }
    if (!currentContext && part.currentContext) currentContext = part.currentContext;
    for (const cluster of part.clusters) if (!merged.getCluster(cluster.name)) merged.addCluster(cluster);
    for (const user of part.users) if (!merged.getUser(user.name)) merged.addUser(user);
    for (const context of part.contexts) if (!merged.getContextObject(context.name)) merged.addContext(context);
  }
  if (currentContext) merged.setCurrentContext(currentContext);

  const contexts = merged.contexts.map((context): ContextInfo => ({
    name: context.name,
    cluster: context.cluster,
    server: merged.getCluster(context.cluster)?.server ?? '',
    user: context.user,
    namespace: context.namespace,
    current: context.name === currentContext,
  }));
  return { files, contexts, currentContext, problems, kubeConfig: merged };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
