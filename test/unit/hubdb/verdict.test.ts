import assert from 'node:assert/strict';
import {
  familyForVersion,
  formatBytes,
  jupyterhubForChart,
  parseMemoryQuantity,
  smallestChartFor,
  verdictFor,
  worstFamilyForSchema,
  type StartupEstimate,
} from '../../../src/core/hubdb';

const GiB = 2 ** 30;
const estimate = (peakBytes: number): StartupEstimate => ({
  family: '5.0-5.3',
  jupyterhub: '5.0.0-5.3.0',
  form: 'join',
  quadratic: true,
  rows: 1,
  totalRows: 1,
  statements: 6,
  queryPeakBytes: peakBytes,
  peakBytes,
  seconds: 55,
});

describe('verdicts, versions and quantities', () => {
  it('fits, tight above 70% of the limit, oom above it, unknown without a limit', () => {
    assert.equal(verdictFor(estimate(1 * GiB), 2 * GiB, false).status, 'fits');
    assert.equal(verdictFor(estimate(1.4 * GiB), 2 * GiB, false).status, 'fits');
    const tight = verdictFor(estimate(1.5 * GiB), 2 * GiB, false);
    assert.equal(tight.status, 'tight');
    assert.equal(tight.marginBytes, 0.5 * GiB);
    assert.match(tight.headline, /^Tight: .* 75% of the hub's 2Gi limit \(512Mi to spare\)/);
    const oom = verdictFor(estimate(5.3 * GiB), 2 * GiB, true);
    assert.equal(oom.status, 'oom');
    assert.ok(oom.marginBytes! < 0);
    assert.match(oom.headline, /^OOM: JupyterHub 5\.0\.0-5\.3\.0 \(assumed: .*over the hub's 2Gi limit by 3\.3Gi/);
    const unknown = verdictFor(estimate(5.3 * GiB), null, false);
    assert.equal(unknown.status, 'unknown');
    assert.equal(unknown.limitBytes, null);
    assert.equal(unknown.marginBytes, null);
    assert.match(unknown.headline, /^No memory limit known: .*z2jh 4\.x sets no hub limit by default/);
  });

  it('maps JupyterHub versions to start-up families, noting assumptions', () => {
    const family = (v: string) => familyForVersion(v)?.family.id ?? null;
    assert.equal(family('4.1.6'), '4.x');
    assert.equal(family('5.0.0'), '5.0-5.3');
    assert.equal(family('5.3.0'), '5.0-5.3');
    assert.equal(family('v5.2.1'), '5.0-5.3');
    assert.equal(family('5.4.0'), '5.4.0-5.4.2');
    assert.equal(family('5.4.2'), '5.4.0-5.4.2');
    assert.equal(family('5.4.3'), '5.4.3+');
    assert.equal(family('5.5.0'), '5.4.3+');
    assert.equal(family('6.0.0b1'), '6.x');
    assert.match(familyForVersion('3.1.1')!.note!, /older than 4\.0/);
    assert.match(familyForVersion('7.0.0')!.note!, /newer than this extension knows/);
    assert.equal(familyForVersion('latest'), null);
    assert.equal(familyForVersion('5.3.0; rm -rf /'), null);
    assert.equal(worstFamilyForSchema('5.x').id, '5.0-5.3');
    assert.equal(worstFamilyForSchema('4.x').id, '4.x');
    assert.equal(worstFamilyForSchema('6.x').id, '6.x');
    assert.equal(worstFamilyForSchema('unknown').id, '5.0-5.3');
  });

  it('knows which z2jh chart ships which JupyterHub, and the first one with the fix', () => {
    assert.deepEqual(smallestChartFor('5.4.3'), { chart: '4.3.2', jupyterhub: '5.4.3' });
    assert.equal(jupyterhubForChart('4.2.0'), '5.3.0');
    assert.equal(jupyterhubForChart('4.3.0'), '5.4.0');
    assert.equal(jupyterhubForChart('3.3.8'), '4.1.6');
    assert.equal(jupyterhubForChart('9.9.9'), null);
  });

  it('parses Kubernetes memory quantities and formats bytes', () => {
    assert.equal(parseMemoryQuantity('2Gi'), 2 * GiB);
    assert.equal(parseMemoryQuantity('1500Mi'), 1500 * 2 ** 20);
    assert.equal(parseMemoryQuantity('2G'), 2e9);
    assert.equal(parseMemoryQuantity('1.5Gi'), 1.5 * GiB);
    assert.equal(parseMemoryQuantity('2147483648'), 2 * GiB);
    assert.equal(parseMemoryQuantity('2e9'), 2e9);
    assert.equal(parseMemoryQuantity(' 512Mi '), 512 * 2 ** 20);
    for (const bad of ['', 'lots', '-1Gi', '0', '2GB', '1Zi']) assert.equal(parseMemoryQuantity(bad), null, bad);
    assert.equal(formatBytes(5.3 * GiB), '5.3Gi');
    assert.equal(formatBytes(512 * 2 ** 20), '512Mi');
    assert.equal(formatBytes(-3.3 * GiB), '-3.3Gi');
    assert.equal(formatBytes(12), '12B');
  });
});
