// Prints (and saves) one plain closing line per package, "<package>: N passed, N failed, N skipped", so that logs read by
// tools that know no vitest output still see how many tests ran.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { summaryFileName } from './vitest.shared.mjs';

export default class SummaryReporter {
  onTestRunEnd(testModules) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    // where the time went: each file's import + tests, and its slowest tests (read when trimming the suite)
    const files = [];
    for (const mod of testModules) {
      const d = mod.diagnostic();
      const tests = [...mod.children.allTests()]
        .map((t) => ({ name: t.fullName, seconds: round((t.diagnostic()?.duration ?? 0) / 1000) }))
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 12);
      files.push({
        file: relative(process.cwd(), mod.moduleId),
        seconds: round((d.collectDuration + d.duration) / 1000),
        slowest: tests,
      });
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
    files.sort((a, b) => b.seconds - a.seconds);
    writeFileSync(
      join(dir, summaryFileName()),
      `${JSON.stringify({ name, passed, failed, skipped, files }, null, 1)}\n`,
    );
  }
}

const round = (x) => Math.round(x * 10) / 10;
