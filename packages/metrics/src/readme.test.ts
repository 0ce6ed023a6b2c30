import { readmeExample } from '@gankit/test-utils';
import { expect, it, vi } from 'vitest';

it('the README example runs as written', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(readmeExample(new URL('..', import.meta.url).pathname));
  const lines = log.mock.calls.map((args) => args.map(String).join(' '));
  log.mockRestore();
  expect(lines.map((l) => l.split(' ')[0])).toEqual([
    'fid',
    'kid',
    'precision',
    'recall',
    'density',
    'coverage',
    'classifier-score',
  ]);
}, 120_000); // SECONDS s alone
