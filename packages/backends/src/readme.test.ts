import { runReadmeExample } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

it('the README example runs as written (on wasm)', async () => {
  const lines = await runReadmeExample(new URL('..', import.meta.url).pathname);
  expect(tf.getBackend()).toBe('wasm');
  expect(lines[0]).toMatch(/^backend: wasm \(WebAssembly SIMD with XNNPACK, \d+ threads?\)$/);
  expect(lines[1]).toBe(
    'Conv2DBackpropFilter, UnsortedSegmentSum, OneHot, Conv2DBackpropInput, BatchMatMul, Tile',
  );
  const [first, last] = lines[2]!.split(' ').map(Number);
  expect(first).toBeGreaterThan(0);
  expect(last).toBeLessThan(first! / 2); // conv and embedding gradients trained it
});
