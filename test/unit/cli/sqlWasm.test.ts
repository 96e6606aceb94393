import assert from 'node:assert/strict';
import { compileWasmForShortRun } from '../../../src/cli/sqlWasm';

describe('hubops compiles sql.js for a short run', () => {
  it('asks V8 before 12 (Node 20 and older) for its baseline wasm compiler only', () => {
    for (const v8 of ['11.3.244.8-node.33', '10.2.154.26-node.31']) {
      const set: string[] = [];
      assert.equal(
        compileWasmForShortRun(v8, (flags) => set.push(flags)),
        true,
      );
      assert.deepEqual(set, ['--liftoff-only'], v8);
    }
  });

  it('leaves newer V8 (Node 22, 24) and a version it cannot read as they are', () => {
    for (const v8 of ['12.4.254.21-node.33', '13.6.233.10-node.27', '', 'unknown']) {
      const set: string[] = [];
      assert.equal(
        compileWasmForShortRun(v8, (flags) => set.push(flags)),
        false,
      );
      assert.deepEqual(set, [], v8);
    }
  });
});
