import { runReadmeExample } from '@gankit/test-utils';
import { expect, it } from 'vitest';

it('the README example runs as written', async () => {
  const lines = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(lines[0]).toContain('[object Object]'); // the resolved config
  expect(lines.at(-1)).toBe('done ckpt-000000050.safetensors 8,2');
});
