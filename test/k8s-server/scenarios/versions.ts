/**
 * Scenario 4: the label sets and pod names of z2jh 3.x (KubeSpawner 6, escapism: `li.wei` →
 * `jupyter-li-2ewei`) next to z2jh 4.x (KubeSpawner 7, safe slugs: `jupyter-li-wei---0a5df1f7`), with
 * default and named servers.
 */
import { hubPod, userPod, type Release } from '../objects';
import { corePoolNodes, deployRelease, ensureBaseNodes, userPoolNode } from './base';
import type { Step } from './timeline';

export interface VersionsOptions {
  legacyNamespace?: string;
  modernNamespace?: string;
}

/** Users and their named servers ('' = default server). */
export const versionUsers: [string, string][] = [
  ['li.wei', ''],
  ['li.wei', 'gpu'],
  ['Ada', ''],
  ['grace@example.org', ''],
  ['bob', 'my.analysis'],
];

export function versionsSteps(options: VersionsOptions = {}): Step[] {
  const releases: Release[] = [
    { namespace: options.legacyNamespace ?? 'hub-legacy', chart: '3.3.8' },
    { namespace: options.modernNamespace ?? 'hub-modern', chart: '4.2.0' },
  ];
  return [
    {
      atMs: 0,
      label: 'z2jh 3.3.8 and 4.2.0 side by side',
      run: (ctx) => {
        ensureBaseNodes(ctx);
        for (const release of releases) {
          deployRelease(ctx, release);
          ctx.cluster.apply(hubPod({ ...release, node: corePoolNodes[0]!, created: ctx.iso(-86400_000) }));
          versionUsers.forEach(([username, servername], i) =>
            ctx.cluster.apply(
              userPod({ ...release, username, servername, node: userPoolNode(i % 3), created: ctx.iso(-i * 60_000) }),
            ),
          );
        }
      },
    },
  ];
}
