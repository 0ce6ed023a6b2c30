import { checkGradients, maxRelativeError, seededUniform, tensorsLeakedPerRun } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registerTrainingKernels, useBackend } from '../node.js';

const t = (shape: number[], seed: number) =>
  tf.tensor(
    seededUniform(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

// Batches above 1 (where the shipped cpu kernel reads the wrong rows of dy), integer and fractional scales, both
// corner conventions. Not half-pixel centres: every backend's gradient kernel ignores that flag (gankit's layers
// never set it).
const cases: {
  name: string;
  x: [number, number, number, number];
  size: [number, number];
  alignCorners: boolean;
}[] = [
  { name: '2× upsample, batch 3, 2 channels', x: [3, 2, 2, 2], size: [4, 4], alignCorners: false },
  { name: '2× upsample, batch 2, 1 channel', x: [2, 3, 3, 1], size: [6, 6], alignCorners: false },
  { name: 'fractional scales, align corners', x: [2, 3, 2, 2], size: [5, 7], alignCorners: true },
  { name: 'fractional scales, batch 4', x: [4, 2, 3, 1], size: [5, 4], alignCorners: false },
];
type Case = (typeof cases)[number];

/** Σ resize(x) ⊙ r for a seeded r: its gradient runs ResizeNearestNeighborGrad. */
const loss = (c: Case, r: tf.Tensor) => (x: tf.Tensor) =>
  tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, c.size, c.alignCorners), r)) as tf.Scalar;
const weights = (c: Case) => t([c.x[0], ...c.size, c.x[3]], 2);
const gradient = (c: Case) =>
  tf.tidy(() => {
    const dx = tf.grad(loss(c, weights(c)))(t(c.x, 1));
    return Array.from(dx.dataSync());
  });

describe('ResizeNearestNeighborGrad on cpu (corrected)', () => {
  it.each(cases)('$name: agrees with finite differences and with the wasm kernel', async (c) => {
    await useBackend('wasm');
    const wasm = gradient(c);
    const active = await useBackend('cpu');
    expect(active.added).toContain('ResizeNearestNeighborGrad');
    expect(maxRelativeError(gradient(c), wasm)).toBeLessThan(1e-6); // sums in another order
    const r = weights(c);
    const f = loss(c, r);
    const x = t(c.x, 1);
    const check = await checkGradients(f, [x], { samples: 48 });
    expect(check.failures, JSON.stringify(check.worst)).toEqual([]);
    expect(check.checked).toBe(x.size);
    tf.dispose([r, x]);
  });

  it('replaces the shipped kernel once and frees every intermediate buffer', async () => {
    await useBackend('cpu');
    const kernel = tf.getKernel('ResizeNearestNeighborGrad', 'cpu');
    expect(registerTrainingKernels('cpu')).toEqual([]);
    expect(tf.getKernel('ResizeNearestNeighborGrad', 'cpu')).toBe(kernel);
    const backend = tf.backend();
    const before = backend.numDataIds();
    expect(await tensorsLeakedPerRun(() => gradient(cases[0]!))).toBe(0);
    expect(backend.numDataIds()).toBe(before);
  });
});
