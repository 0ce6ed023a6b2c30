import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';

/**
 * The first ```ts block of a package's README.md, written to `test-results/readme-example.ts` in that package, so
 * that a test can import it and the README's example is known to run as written.
 */
export function readmeExample(packageDir: string): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (match == null) throw new Error(`${packageDir}/README.md has no \`\`\`ts example`);
  const dir = join(packageDir, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'readme-example.ts');
  writeFileSync(file, match[1]!);
  return file;
}

/**
 * Runs a package's README example (see {@link readmeExample}) and returns what it printed with `console.log`, one
 * string per call — for the test to check.
 *
 * @example
 * const lines = await runReadmeExample(new URL('..', import.meta.url).pathname);
 * expect(lines[0]).toContain('Total params: 40,705');
 */
export async function runReadmeExample(packageDir: string): Promise<string[]> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(readmeExample(packageDir));
    return log.mock.calls.map((args) => args.map(String).join(' '));
  } finally {
    log.mockRestore();
  }
}
