import { readmeExample } from '@gankit/test-utils';
import { expect, it, vi } from 'vitest';

it('the README example runs as written', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(readmeExample(new URL('..', import.meta.url).pathname));
  const lines = log.mock.calls.map((args) => args.map(String).join(' '));
  log.mockRestore();
  expect(lines[0]).toBe('60000 10000 [object Object] 5000');
}, 120_000); // SECONDS s alone
