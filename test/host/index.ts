/**
 * The extensionTestsPath module: VS Code calls `run()` inside the real extension host. It runs every
 * `*.test.js` bundled beside it with mocha and writes the spec report to HUBOPS_TEST_REPORT, which the
 * harness prints (the extension host has no terminal of its own).
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const report = process.env.HUBOPS_TEST_REPORT;
  if (report) {
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => appendFileSync(report, format(...args) + '\n');
  }
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, forbidOnly: true, reporter: 'spec' });
  // HUBOPS_HOST_GREP runs only the tests whose title matches (for working on one feature).
  if (process.env.HUBOPS_HOST_GREP) mocha.grep(process.env.HUBOPS_HOST_GREP);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      process.off('unhandledRejection', onUnhandled);
      if (unhandled.length > 0) {
        Mocha.reporters.Base.consoleLog(`${unhandled.length} unhandled promise rejection(s):`, ...unhandled);
        reject(new Error(`${unhandled.length} unhandled promise rejection(s)`));
      } else if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
  });
}
