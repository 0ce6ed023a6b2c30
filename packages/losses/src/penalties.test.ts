import { useBackend } from '@gankit/backends';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describePenaltyGradients } from './penalties.fixture.js';
import { gradientPenalty, r1Penalty } from './penalties.js';

// the WebGPU cases are penalties.gpu.test.ts' (the software-GPU lane of the test run)
describePenaltyGradients(['cpu', 'wasm']);

describe('penalty values', () => {
  it('WGAN-GP of a linear critic is λ(‖w‖ − 1)² exactly; one-sided ignores norms below the target', async () => {
    await useBackend('cpu');
    const w = tf.tensor2d([[0.6], [0.8], [1.2]]); // ‖w‖ = √2.44
    const D = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
    const real = tf.tensor2d(seededUniform(12, 1), [4, 3]);
    const fake = tf.tensor2d(seededUniform(12, 2), [4, 3]);
    const gp = gradientPenalty(D, real, fake, { weight: 10, seed: 1 });
    expect(gp.dataSync()[0]).toBeCloseTo(10 * (Math.sqrt(2.44) - 1) ** 2, 4);
    const small = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, tf.mul(w, 0.1));
    expect(gradientPenalty(small, real, fake, { oneSided: true }).dataSync()[0]).toBe(0);
    expect(r1Penalty(D, real, { gamma: 10 }).dataSync()[0]).toBeCloseTo(5 * 2.44, 4);
    expect(() => gradientPenalty(D, real, tf.zeros([2, 3]))).toThrow(/same shape/);
  });
});
