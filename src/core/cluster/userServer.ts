import type { V1Pod } from '@kubernetes/client-node';
import type { PodUser } from './model';
import { annotation, chartVersionOf, label } from './z2jhLabels';

export type KubeSpawnerNaming = 'escapism' | 'safe-slug' | 'unknown';

/**
 * How KubeSpawner named this pod: version 6 (z2jh 3.x) escapes names with escapism, version 7 (z2jh 4.x)
 * uses "safe" slugs. Its own version annotation says so best; the chart label is next.
 */
export function kubespawnerNaming(pod: V1Pod): KubeSpawnerNaming {
  const version = pod.metadata?.annotations?.[annotation.kubespawnerVersion];
  const major = version ? Number(/^v?(\d+)\./.exec(version)?.[1]) : NaN;
  if (major >= 7) return 'safe-slug';
  if (major > 0 && major < 7) return 'escapism';
  const chart = chartVersionOf(pod.metadata?.labels);
  if (chart?.startsWith('3.')) return 'escapism';
  if (chart && Number(chart.split('.')[0]) >= 4) return 'safe-slug';
  return 'unknown';
}

/**
 * The user and server a user pod serves: the raw names from KubeSpawner's annotations when present,
 * else the label-safe slugs from its labels, else parsed back from the pod name.
 */
export function userServerOf(pod: V1Pod): PodUser | undefined {
  const annotations = pod.metadata?.annotations ?? {};
  const labels = pod.metadata?.labels ?? {};
  const serverFromMeta = annotations[annotation.servername] ?? labels[label.servername];
  if (annotations[annotation.username]) {
    return { name: annotations[annotation.username]!, server: serverFromMeta ?? '', source: 'annotation' };
  }
  if (labels[label.username]) {
    return { name: labels[label.username]!, server: serverFromMeta ?? '', source: 'label' };
  }
  const parsed = parsePodName(pod.metadata?.name ?? '', kubespawnerNaming(pod));
  return parsed ? { ...parsed, source: 'pod-name' } : undefined;
}

/**
 * Reads `jupyter-{user}` / `jupyter-{user}--{server}` back into names. With escapism (KubeSpawner 6)
 * `-XX` is a hex-escaped byte and `--` cannot occur inside a name, so the first `--` splits. With safe
 * slugs (KubeSpawner 7) exactly two hyphens join user and server, and `---<8 hex>` marks a name that was
 * stripped and hashed: what is left is the best the name can tell, not the raw name.
 */
export function parsePodName(podName: string, naming: KubeSpawnerNaming): { name: string; server: string } | null {
  if (!podName.startsWith('jupyter-')) return null;
  const rest = podName.slice('jupyter-'.length);
  if (!rest) return null;
  if (naming === 'escapism' || (naming === 'unknown' && looksEscaped(rest))) {
    const split = rest.indexOf('--');
    const user = split >= 0 ? rest.slice(0, split) : rest;
    const server = split >= 0 ? rest.slice(split + 2) : '';
    return { name: unescapeEscapism(user), server: unescapeEscapism(server) };
  }
  const parts = rest.split(/(?<!-)--(?!-)/).map((part) => part.replace(/---[0-9a-f]{8}$/, ''));
  return { name: parts[0]!, server: parts.slice(1).join('--') };
}

/**
 * Without a version to go by: a `---<hash>` suffix is a safe slug; an escaped '.', '@', '_', '-' or '+'
 * (the usual characters of e-mail and LDAP user names, which a safe slug would have hashed) is escapism.
 */
function looksEscaped(rest: string): boolean {
  if (/---[0-9a-f]{8}/.test(rest)) return false;
  return /-(2e|40|5f|2d|2b)/.test(rest);
}

/** escapism's inverse for escape char '-': `-2e` → '.', multi-byte UTF-8 sequences decoded whole. */
export function unescapeEscapism(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '-' ? /^[0-9a-f]{2}/.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
