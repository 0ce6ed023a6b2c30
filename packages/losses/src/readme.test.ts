import { readmeExample } from '@gankit/test-utils';
import { expect, it, vi } from 'vitest';

it('the README example runs as written', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(readmeExample(new URL('..', import.meta.url).pathname));
  const lines = log.mock.calls.map((args) => args.map(String).join(' '));
  log.mockRestore();
  const values = lines[0]!.split(' ').map(Number);
  expect(values).toHaveLength(3);
  for (const v of values) expect(Number.isFinite(v)).toBe(true);
}, 120_000); // SECONDS s alone
