import { readmeExample } from '@gankit/test-utils';
import { expect, it, vi } from 'vitest';

it('the README example runs as written', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(readmeExample(new URL('..', import.meta.url).pathname));
  const lines = log.mock.calls.map((args) => args.map(String).join(' '));
  log.mockRestore();
  expect(lines[0]).toContain('Total params: 40,705');
  expect(lines[1]).toBe('8,1');
}, 120_000); // SECONDS s alone
