import { runReadmeExample } from '@gankit/test-utils';
import { expect, it } from 'vitest';

it('the README example runs as written', async () => {
  const lines = await runReadmeExample(new URL('..', import.meta.url).pathname);
  const values = lines[0]!.split(' ').map(Number);
  expect(values).toHaveLength(3);
  for (const v of values) expect(Number.isFinite(v)).toBe(true);
});
