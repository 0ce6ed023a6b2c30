import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The first ```ts block of a package's README.md, written to `test-results/readme-example.ts` in that package, so
 * that a test can import it and the README's example is known to run as written.
 *
 * @example
 * await import(readmeExample(packageDir)); // throws if the example does
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
