import assert from 'node:assert/strict';
import { parseFieldSelector, parseLabelSelector } from '../../k8s-server/selectors';

describe('k8s test server: selectors', () => {
  const labels = { component: 'hub', release: 'hub-a', 'app.kubernetes.io/name': 'jupyterhub' };

  it('matches label selectors with =, ==, !=, in, notin, exists and !exists', () => {
    const cases: [string, boolean][] = [
      ['component=hub', true],
      ['component==hub,release=hub-a', true],
      ['component!=hub', false],
      ['component!=proxy', true],
      ['component in (hub, proxy)', true],
      ['component notin (hub)', false],
      ['release notin (x),app.kubernetes.io/name', true],
      ['!chart', true],
      ['chart', false],
      ['missing!=x', true],
      ['missing in (x)', false],
    ];
    for (const [text, expected] of cases) {
      const m = parseLabelSelector(text);
      assert.equal(typeof m, 'function', text);
      assert.equal((m as (l: Record<string, string>) => boolean)(labels), expected, text);
    }
  });

  it('rejects malformed label selectors with a 400 Status', () => {
    const m = parseLabelSelector('component=hub,(x');
    assert.equal(typeof m, 'object');
    assert.equal((m as { code: number }).code, 400);
  });

  it('matches field selectors on dotted paths and rejects unsupported fields', () => {
    const pod = { metadata: { name: 'hub-1', namespace: 'a' }, status: { phase: 'Running' }, spec: {} };
    const m = parseFieldSelector('status.phase!=Pending,metadata.name=hub-1,spec.nodeName=', [
      'status.phase',
      'metadata.name',
      'spec.nodeName',
    ]);
    assert.equal((m as (o: unknown) => boolean)(pod), true);
    const bad = parseFieldSelector('spec.schedulerName=x', ['status.phase']);
    assert.match((bad as { message: string }).message, /field label not supported: spec.schedulerName/);
  });
});
