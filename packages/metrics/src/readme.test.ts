import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeExample } from '@gankit/test-utils';
import { expect, it, vi } from 'vitest';

const packageDir = new URL('..', import.meta.url).pathname;

it('the README example runs as written', async () => {
  const lines = await runReadmeExample(packageDir);
  expect(lines.map((l) => l.split(' ')[0])).toEqual([
    'fid',
    'kid',
    'precision',
    'recall',
    'density',
    'coverage',
    'classifier-score',
  ]);
});

it('the README perceptual path length example runs as written', async () => {
  // runReadmeExample takes a README's first example; this one is the block that calls perceptualPathLength.
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].find((m) =>
    m[1]!.includes('perceptualPathLength('),
  );
  expect(block).toBeDefined();
  const dir = join(packageDir, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'readme-ppl-example.ts');
  writeFileSync(file, block![1]!);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(file);
    const lines = log.mock.calls.map((args) => args);
    expect(lines.map((l) => l[0])).toEqual(['ppl-w', 'ppl-z']);
    for (const [, value, details] of lines) {
      expect(value).toBeGreaterThan(0);
      expect(details).toMatchObject({ pairs: 200, kept: 198 });
    }
  } finally {
    log.mockRestore();
  }
}, 60_000);
