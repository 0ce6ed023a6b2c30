import { readmeExample } from '@gankit/test-utils';
import { expect, it, vi } from 'vitest';

it('the README example runs as written', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(readmeExample(new URL('..', import.meta.url).pathname));
  const lines = log.mock.calls.map((args) => args.map(String).join(' '));
  log.mockRestore();
  expect(lines[0]).toContain('[object Object]'); // the resolved config
  expect(lines.at(-1)).toBe('done ckpt-000000050.safetensors 8,2');
}, 120_000); // 3 s alone
