import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ViewMemory } from '../../../src/explorer/viewMemory';
import { useTempDir } from '../../harness/tempDir';

describe('explorer view memory: what a tab showed, kept across window reloads', () => {
  const dir = useTempDir('hubops-views-');

  it('gives back the tab and the last analysis of each file, after a restart too', () => {
    const file = join(dir(), 'views.json');
    const memory = new ViewMemory(file);
    assert.equal(memory.get('file:///a.sqlite'), null);
    memory.update('file:///a.sqlite', { tab: 'analysis' });
    memory.update('file:///a.sqlite', { analysis: { jupyterhubVersion: '5.4.3', memoryLimitBytes: 8 * 2 ** 30 } });
    memory.update('file:///b.sqlite', { tab: 'data' });
    const again = new ViewMemory(file);
    assert.deepEqual(again.get('file:///a.sqlite'), {
      tab: 'analysis',
      analysis: { jupyterhubVersion: '5.4.3', memoryLimitBytes: 8 * 2 ** 30 },
    });
    assert.deepEqual(again.get('file:///b.sqlite'), { tab: 'data', analysis: null });
  });

  it('takes a damaged or hand-edited file field by field, and a missing one as empty', () => {
    const file = join(dir(), 'views.json');
    assert.equal(new ViewMemory(join(dir(), 'missing', 'views.json')).get('x'), null);
    writeFileSync(file, '{"x":{"tab":"<script>","analysis":{"jupyterhubVersion":5,"memoryLimitBytes":-1}},"y":7}');
    const memory = new ViewMemory(file);
    assert.deepEqual(memory.get('x'), { tab: 'data', analysis: {} });
    assert.equal(memory.get('y'), null);
    writeFileSync(file, 'not json');
    assert.equal(new ViewMemory(file).get('x'), null);
    new ViewMemory(file).update('z', { tab: 'analysis' });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { z: { tab: 'analysis', analysis: null } });
  });
});
