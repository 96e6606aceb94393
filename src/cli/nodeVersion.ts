/**
 * @kubernetes/client-node 2.x loads undici 8, which needs Node.js 22.19 or newer: on Node 20 it fails at load
 * with "Cannot read properties of undefined (reading 'bind')". Subcommands that talk to a cluster check first
 * and say so in one line; the ones that read files (analyze, report) run on Node 20.
 */
export const CLUSTER_NODE_MINIMUM = '22.19.0';

/** True when `version` ("20.20.2" or "v20.20.2") is at least `minimum`. */
export function nodeAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string) =>
    v
      .replace(/^v/, '')
      .split('.')
      .map((part) => Number.parseInt(part, 10) || 0);
  const have = parse(version);
  const need = parse(minimum);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i]!;
    if (a !== b) return a > b;
  }
  return true;
}

/** The one line a subcommand prints when this Node is too old for it, or undefined when it is new enough. */
export function tooOldForCommand(
  command: string,
  minimum: string,
  worksOnOlder: string[],
  version = process.versions.node,
): string | undefined {
  if (nodeAtLeast(version, minimum)) return undefined;
  const shortMinimum = minimum.replace(/\.0$/, '');
  const list =
    worksOnOlder.length > 1
      ? `${worksOnOlder.slice(0, -1).join(', ')} and ${worksOnOlder.at(-1)}`
      : worksOnOlder.join('');
  return `hubops ${command} needs Node.js ${shortMinimum} or newer (this is v${version.replace(/^v/, '')}); ${list} work on Node 20`;
}
