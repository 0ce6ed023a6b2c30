import { runReadmeExample } from '@gankit/test-utils';
import { expect, it } from 'vitest';

it('the README example runs as written', async () => {
  const lines = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(lines[0]).toContain('Total params: 40,705');
  expect(lines[1]).toBe('8,1');
});
