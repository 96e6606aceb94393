/**
 * Where each kubeconfig context's history comes from: the URL the operator set for it
 * (`jupyterhubOps.prometheus.urls`, with an optional bearer token from VS Code's SecretStorage), else a
 * Prometheus Service found in the cluster and reached through the API server's service proxy (the
 * kubeconfig's credentials and RBAC apply). The core does the finding and checking
 * (src/core/prometheus/discover.ts, source.ts); this adds the settings, the secret and a per-context
 * availability that the Clusters view shows, found once and kept until Refresh.
 */
import * as vscode from 'vscode';
import type { PrometheusProblem } from '../core/prometheus/problem';
import type { Found } from '../core/prometheus/source';
import type { SpawnHistory, SpawnHistorySource } from '../core/readiness/spawnHistory';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { Log } from '../vscode/log';
import { settings } from '../vscode/settings';

/** The SecretStorage key of a context's Prometheus bearer token. */
export const tokenKey = (context: string) => `jupyterhubOps.prometheusToken:${context}`;

/** Whether history is available for a context, and from where, for the Clusters view. */
export type Availability =
  | { state: 'checking' }
  | { state: 'available'; description: string; version: string; where: string; via: 'url' | 'service proxy' }
  | { state: 'unavailable'; problem: PrometheusProblem };

export class PrometheusSources implements vscode.Disposable, SpawnHistorySource {
  private readonly found = new Map<string, Availability>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** A context's availability changed (its name). */
  readonly onDidChangeAvailability = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly kubeconfig: KubeconfigSource,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {
    this.subscriptions = [
      this.changed,
      // Refresh re-reads the kubeconfig: find again.
      kubeconfig.onDidChange(() => this.forget()),
      settings.onDidChange(() => this.forget()),
      secrets.onDidChange((e) => {
        if (e.key.startsWith(tokenKey(''))) this.forget();
      }),
    ];
  }

  /**
   * Connects to the context's Prometheus and checks it answers as Prometheus. The caller disposes the
   * source. `namespaces`: where else to look when Services cannot be listed cluster-wide.
   */
  async open(context: string, options: { signal?: AbortSignal; namespaces?: string[]; timeoutMs?: number } = {}) {
    const url = settings.prometheusUrls()[context];
    const timeoutMs = options.timeoutMs ?? 30_000;
    let found: Found;
    if (url) {
      const token = await this.secrets.get(tokenKey(context));
      const { connectUrl } = await import('../core/prometheus/source');
      found = await connectUrl(url, {
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(token ? { bearerToken: token } : {}),
      });
    } else {
      // The discovery loads client-node: required on use, not at activation.
      const { findPrometheus } = await import('../core/prometheus/discover');
      found = await findPrometheus(this.kubeconfig.get().kubeConfig, context, {
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        namespaces: [...settings.namespaces(), ...(options.namespaces ?? [])],
      });
    }
    if (found.ok) {
      const service = found.value.service;
      this.set(context, {
        state: 'available',
        description: found.value.description,
        version: found.value.version,
        where: service
          ? `${service.namespace}/${service.name}`
          : found.value.client.where.replace(/^Prometheus at /, ''),
        via: url ? 'url' : 'service proxy',
      });
    } else if (found.error.code !== 'cancelled') {
      this.log.warn(`Prometheus: ${found.error.message}`);
      this.set(context, { state: 'unavailable', problem: found.error });
    }
    return found;
  }

  /**
   * The context's availability as last found; the first call starts finding it (once, until `forget`).
   * Cheap: the Clusters view asks on every redraw.
   */
  availability(context: string): Availability {
    const known = this.found.get(context);
    if (known) return known;
    this.found.set(context, { state: 'checking' });
    void this.open(context, { timeoutMs: 15_000 }).then(
      (found) => {
        if (found.ok) found.value.dispose();
        else if (found.error.code === 'cancelled') this.forget(context);
      },
      (error: unknown) => {
        this.log.error(`Prometheus: finding it for ${context} failed: ${String(error)}`);
        this.forget(context);
      },
    );
    return { state: 'checking' };
  }

  /**
   * How long spawns and scale-ups took on this hub, from the context's Prometheus (for the readiness
   * check). Never rejects: without Prometheus, each figure says why it is missing.
   */
  async spawnHistory(hub: { context: string; namespace: string }): Promise<SpawnHistory> {
    const { spawnHistoryFrom } = await import('../core/prometheus/spawnHistory');
    return spawnHistoryFrom(this.open(hub.context, { namespaces: [hub.namespace], timeoutMs: 15_000 }), hub.namespace);
  }

  /** Finds again on next ask (Refresh, a setting or token changed). */
  forget(context?: string): void {
    const names = context ? [context] : [...this.found.keys()];
    for (const name of names) if (this.found.delete(name)) this.changed.fire(name);
  }

  /** The Clusters view's history row for a context. */
  row(context: string) {
    const a = this.availability(context);
    return {
      ...availabilityRow(a),
      tooltip:
        a.state === 'available'
          ? a.description
          : a.state === 'unavailable'
            ? a.problem.message
            : 'Looking for Prometheus…',
    };
  }

  get onDidChangeRow() {
    return this.onDidChangeAvailability;
  }

  private set(context: string, availability: Availability): void {
    this.found.set(context, availability);
    this.changed.fire(context);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

/** One line for the Clusters view's history row. */
export function availabilityRow(a: Availability): { label: string; detail: string; severity: 'info' | 'warning' } {
  switch (a.state) {
    case 'checking':
      return { label: 'History', detail: 'looking for Prometheus…', severity: 'info' };
    case 'available':
      return {
        label: 'History',
        detail:
          a.via === 'url'
            ? `Prometheus at ${a.where} (${a.version}, URL from settings)`
            : `Prometheus ${a.where} via service proxy (${a.version})`,
        severity: 'info',
      };
    case 'unavailable':
      return {
        label: 'History',
        detail:
          a.problem.code === 'not-found'
            ? 'none found (no Prometheus server Service; set a URL in jupyterhubOps.prometheus.urls)'
            : a.problem.message.replace(/^Context "[^"]*": /, '').replace(/\. .*$/, ''),
        severity: 'warning',
      };
  }
}
