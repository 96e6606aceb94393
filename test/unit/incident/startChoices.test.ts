import assert from 'node:assert/strict';
import type { ContextInfo } from '../../../src/core/cluster/kubeconfig';
import { contextChoices, namespaceChoices, type KnownHub } from '../../../src/core/incident/startChoices';

const context = (name: string, extra: Partial<ContextInfo> = {}): ContextInfo => ({
  name,
  cluster: name,
  server: `https://${name}.example:6443`,
  user: 'ops',
  namespace: undefined,
  current: false,
  ...extra,
});

/** The demo's clusters: hub-physics down, hub-classroom degraded, hub-staff fine, in another context. */
const hubs: KnownHub[] = [
  { context: 'gke-prod', namespace: 'hub-staff', health: 'ok' },
  { context: 'gke-prod', namespace: 'hub-classroom', health: 'degraded' },
  { context: 'gke-prod', namespace: 'hub-physics', health: 'down' },
  { context: 'eks-lab', namespace: 'hub-lab', health: 'ok' },
];

describe('Start Incident ticks the hubs that are down or degraded', () => {
  it('puts the current context first, then contexts with a down hub, and ticks both', () => {
    const contexts = [
      context('staging'),
      context('eks-lab', { current: true }),
      context('gke-prod'),
      context('kind-degraded'),
    ];
    const choices = contextChoices(contexts, [
      ...hubs,
      { context: 'kind-degraded', namespace: 'jhub', health: 'degraded' },
    ]);
    assert.deepEqual(
      choices.map((c) => [c.context.name, c.picked, c.description]),
      [
        ['eks-lab', true, 'current'],
        ['gke-prod', true, '1 down · 1 degraded'],
        ['kind-degraded', true, '1 degraded'],
        ['staging', false, ''],
      ],
    );
  });

  it('ticks the down and degraded hubs of a context, down first, and still offers the rest', () => {
    const choices = namespaceChoices(context('gke-prod', { namespace: 'default' }), ['default', 'hub-staff'], hubs);
    assert.deepEqual(
      choices.map((c) => [c.namespace, c.picked, c.description]),
      [
        ['hub-physics', true, 'down'],
        ['hub-classroom', true, 'degraded'],
        ['default', true, ''],
        ['hub-staff', false, ''],
      ],
    );
  });

  it('ticks nothing new when every hub is fine (the current context and its namespace as before)', () => {
    const ok = hubs.map((h) => ({ ...h, health: 'ok' as const }));
    const contexts = [context('gke-prod', { current: true, namespace: 'hub-staff' }), context('eks-lab')];
    assert.deepEqual(
      contextChoices(contexts, ok).map((c) => [c.context.name, c.picked]),
      [
        ['gke-prod', true],
        ['eks-lab', false],
      ],
    );
    assert.deepEqual(
      namespaceChoices(contexts[0]!, [], ok)
        .filter((c) => c.picked)
        .map((c) => c.namespace),
      ['hub-staff'],
    );
  });
});
