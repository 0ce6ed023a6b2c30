// Prints (and saves) one plain closing line per package, "<package>: N passed, N failed, N skipped", so that logs read by
// tools that know no vitest output still see how many tests ran.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryFileName } from './vitest.shared.mjs';

export default class SummaryReporter {
  onTestRunEnd(testModules) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    let name = 'tests';
    try {
      name = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')).name;
    } catch {}
    const part = process.env.GANKIT_TEST_PART ? ` (${process.env.GANKIT_TEST_PART} part)` : '';
    process.stdout.write(`\n${name}${part}: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    // Read back by total.mjs, which prints the whole workspace's count at the end of `pnpm test`.
    const dir = join(process.cwd(), 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, summaryFileName()), `${JSON.stringify({ name, passed, failed, skipped })}\n`);
  }
}
