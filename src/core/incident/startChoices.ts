/**
 * What Start Incident offers and ticks: the hubs that are down or degraded (from the cluster browser's
 * model) are picked already, in their contexts, the current context first. Pure, so the order and the
 * ticks are tested without a quick pick.
 */
import type { ContextInfo } from '../cluster/kubeconfig';
import type { HubHealth } from '../cluster/model';

/** A hub the cluster browser knows, with its health now. */
export interface KnownHub {
  context: string;
  namespace: string;
  health: HubHealth;
}

export interface ContextChoice {
  context: ContextInfo;
  picked: boolean;
  /** "current · 1 down · 1 degraded · jhub": what the row says beside the name. */
  description: string;
}

export interface NamespaceChoice {
  namespace: string;
  picked: boolean;
  /** 'down', 'degraded' or ''. */
  description: string;
}

const rank: Record<HubHealth, number> = { down: 0, degraded: 1, ok: 2 };
const troubled = (h: KnownHub) => h.health !== 'ok';

/**
 * The contexts in the order to show them: the current one first, then those with a down hub, then with
 * a degraded one, then the rest (each group in kubeconfig order). Picked: the current context, and every
 * context with a down or degraded hub.
 */
export function contextChoices(contexts: readonly ContextInfo[], hubs: readonly KnownHub[]): ContextChoice[] {
  const worst = (c: ContextInfo) =>
    Math.min(3, ...hubs.filter((h) => h.context === c.name && troubled(h)).map((h) => rank[h.health]));
  const order = (c: ContextInfo) => (c.current ? -1 : worst(c));
  return contexts
    .map((context, i) => ({ context, i }))
    .sort((a, b) => order(a.context) - order(b.context) || a.i - b.i)
    .map(({ context }) => {
      const mine = hubs.filter((h) => h.context === context.name);
      const down = mine.filter((h) => h.health === 'down').length;
      const degraded = mine.filter((h) => h.health === 'degraded').length;
      return {
        context,
        picked: context.current || down + degraded > 0,
        description: [
          context.current ? 'current' : '',
          down ? `${down} down` : '',
          degraded ? `${degraded} degraded` : '',
          context.namespace ?? '',
        ]
          .filter(Boolean)
          .join(' · '),
      };
    });
}

/**
 * The namespaces offered for one context: down hubs first, then degraded ones, then the rest as known
 * (the setting's list, the context's namespace, hubs the cluster browser found). Picked: the down and
 * degraded hubs, and the context's own namespace.
 */
export function namespaceChoices(
  context: ContextInfo,
  known: readonly string[],
  hubs: readonly KnownHub[],
): NamespaceChoice[] {
  const health = new Map<string, HubHealth>();
  for (const h of hubs) if (h.context === context.name) health.set(h.namespace, h.health);
  const names = [...new Set([...known, ...health.keys()].filter((n) => n.trim() !== ''))];
  const r = (n: string) => rank[health.get(n) ?? 'ok'];
  return names
    .map((namespace, i) => ({ namespace, i }))
    .sort((a, b) => r(a.namespace) - r(b.namespace) || a.i - b.i)
    .map(({ namespace }) => {
      const h = health.get(namespace);
      return {
        namespace,
        picked: (h !== undefined && h !== 'ok') || namespace === context.namespace,
        description: h === 'down' || h === 'degraded' ? h : '',
      };
    });
}
