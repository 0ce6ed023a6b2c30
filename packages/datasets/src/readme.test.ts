import { runReadmeExample } from '@gankit/test-utils';
import { expect, it } from 'vitest';

it('the README example runs as written', async () => {
  const lines = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(lines[0]).toBe('60000 10000 28,28,1 [object Object] 5000');
});
