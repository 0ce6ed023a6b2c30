// Prints one closing line for the whole workspace, "tests: N passed, N failed, N skipped", from the summaries
// each package's vitest run saved (turbo restores them for cached runs), and fails if a package has none.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const missing = [];
for (const group of ['packages', 'apps', 'tooling']) {
  const base = join(root, group);
  if (!existsSync(base)) continue;
  for (const dir of readdirSync(base)) {
    const pkgJson = join(base, dir, 'package.json');
    if (!existsSync(pkgJson)) continue;
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
    if (!pkg.scripts?.test) continue;
    // a package whose GPU tests are a part of their own ran as two jobs (run-tests.mjs): one summary each
    const files =
      pkg.gankit?.gpuTestSeconds != null ? ['summary-cpu.json', 'summary-gpu.json'] : ['summary.json'];
    for (const file of files) {
      const summary = join(base, dir, 'test-results', file);
      if (!existsSync(summary)) {
        missing.push(`${group}/${dir} (${file})`);
        continue;
      }
      const s = JSON.parse(readFileSync(summary, 'utf8'));
      totals.passed += s.passed;
      totals.failed += s.failed;
      totals.skipped += s.skipped;
    }
  }
}
if (missing.length > 0) {
  console.error(`no test summary from: ${missing.join(', ')}`);
  process.exitCode = 1;
}
if (totals.failed > 0) process.exitCode = 1;
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
