/**
 * The browser half of scripts/newcomer.sh: opens the URL `npm run demo` printed in Debian's Chromium, as a new
 * user does, and checks that the Clusters view shows the demo's three hubs. Exit 0 when it does.
 *   npx tsx test/demo/newcomerCheck.ts URL
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openWorkbench } from '../harness/browser';
import { outputDir } from '../harness/toolPaths';
import { checkDemoHubs, DEMO_HUBS } from './demoCheck';

async function main(url: string) {
  const browser = await launchChromium();
  try {
    const page = await openWorkbench(browser.context, url);
    await checkDemoHubs(page);
    const screenshots = join(outputDir, 'screenshots');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'newcomer-demo.png') });
    console.log(`newcomer: the Clusters view shows ${DEMO_HUBS.join(', ')}`);
  } finally {
    await browser.close();
  }
}

const url = process.argv[2];
if (!url) {
  console.error('usage: tsx test/demo/newcomerCheck.ts URL');
  process.exit(2);
}
main(url).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`newcomer: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
