import { runReadmeExample } from '@gankit/test-utils';
import { expect, it } from 'vitest';

it('the README example runs as written', async () => {
  const lines = await runReadmeExample(new URL('..', import.meta.url).pathname);
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
