import { checkGradients, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from './node.js';

/** WGAN-GP's penalty E[(‖∇ₓD(x)‖ − 1)²] for a discriminator `D(params)(x)`, as a function of the parameters. */
const gradientPenalty =
  (D: (params: tf.Tensor[]) => (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) =>
  (...params: tf.Tensor[]) => {
    const g = tf.grad((xx: tf.Tensor) => tf.sum(D(params)(xx)))(x);
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(tf.reshape(g, [x.shape[0]!, -1])), 1), 1e-12));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
  };

const t = (shape: number[], seed: number, scale = 1) =>
  tf.tensor(
    seededUniform(
      shape.reduce((a, b) => a * b, 1),
      seed,
      -scale,
      scale,
    ),
    shape,
  );

const activations: Record<string, (h: tf.Tensor) => tf.Tensor> = {
  tanh: tf.tanh,
  sigmoid: tf.sigmoid,
  leakyRelu: (h) => tf.leakyRelu(h, 0.2),
  relu: tf.relu,
  elu: tf.elu,
  softplus: tf.softplus,
};

/** One-hidden-layer dense D: the case where stock tfjs 4.22 was 11 % off (tanh) or failed (leakyRelu). */
const denseD = (act: (h: tf.Tensor) => tf.Tensor) => (p: tf.Tensor[]) => (x: tf.Tensor) =>
  tf.matMul(
    act(tf.add(tf.matMul(x as tf.Tensor2D, p[0] as tf.Tensor2D), p[1]!)) as tf.Tensor2D,
    p[2] as tf.Tensor2D,
  );

/** Conv D with stride 2 and same padding, bias, activation, average pooling and a dense head. */
const convD = (act: (h: tf.Tensor) => tf.Tensor) => (p: tf.Tensor[]) => (x: tf.Tensor) => {
  const h = act(tf.add(tf.conv2d(x as tf.Tensor4D, p[0] as tf.Tensor4D, 2, 'same'), p[1]!));
  const pooled = tf.avgPool(h as tf.Tensor4D, 2, 1, 'valid');
  return tf.matMul(tf.reshape(pooled, [x.shape[0]!, -1]), p[2] as tf.Tensor2D);
};

/**
 * Second-order gradients (gradient penalties) against finite differences on `backends` (second-order.test.ts: cpu
 * and wasm; second-order.gpu.test.ts: WebGPU).
 */
export function describeSecondOrder(backends: readonly ('cpu' | 'wasm' | 'webgpu')[]): void {
  describe('second-order gradients (gradient penalties) match finite differences', () => {
    if (backends.length === 0) it.skip('(no backend to run on here)', () => {});
    describe.each(backends)('on %s', (backend) => {
      // Coordinates per parameter tensor: the full sweep on cpu and wasm; on WebGPU — in CI the software adapter
      // SwiftShader, ~100 ms an evaluation — a seeded few of every tensor prove the same kernels.
      const sweep = (full: number) => (backend === 'webgpu' ? 3 : full);
      it.each(Object.keys(activations))('dense D with %s, w.r.t. every weight and bias', async (name) => {
        await useBackend(backend);
        const x = t([4, 3], 1);
        const params = [t([3, 5], 2), t([5], 3, 0.5), t([5, 1], 4)];
        const samples = sweep(12);
        const r = await checkGradients(gradientPenalty(denseD(activations[name]!), x), params, { samples });
        expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
        expect(r.checked + r.nonSmooth.length).toBe(samples + 2 * Math.min(samples, 5));
        expect(r.nonSmooth.length).toBeLessThanOrEqual(4); // a point may sit on a ReLU kink, not many
        tf.dispose([x, ...params]);
      });

      it.each(['tanh', 'leakyRelu', 'elu'])(
        'conv2d (stride 2, same) + %s + avgPool D, w.r.t. kernel and bias',
        async (name) => {
          await useBackend(backend);
          const x = t([2, 6, 6, 2], 5);
          const params = [t([3, 3, 2, 3], 6, 0.5), t([3], 7, 0.5), t([2 * 2 * 3, 1], 8)];
          const samples = sweep(10);
          const r = await checkGradients(gradientPenalty(convD(activations[name]!), x), params, {
            samples,
            relativeStep: 1e-3,
          }); // elu'' jumps at 0: keep the step small
          expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
          expect(r.checked + r.nonSmooth.length).toBe(samples + Math.min(samples, 3) + samples);
          expect(r.nonSmooth.length).toBeLessThanOrEqual(4);
          tf.dispose([x, ...params]);
        },
      );

      it('upsampling inside D (ResizeNearestNeighborGrad), and R1 on raw inputs', async () => {
        await useBackend(backend);
        const x = t([2, 3, 3, 1], 9);
        const perExample = t([2, 6, 6, 1], 12); // each example's own weights: dy differs across the batch
        const D = (p: tf.Tensor[]) => (xx: tf.Tensor) => {
          const up = tf.image.resizeNearestNeighbor(tf.tanh(tf.mul(xx, p[0]!)) as tf.Tensor4D, [6, 6]);
          return tf.matMul(tf.reshape(tf.mul(up, perExample), [2, 36]), p[1] as tf.Tensor2D);
        };
        const r1 = (...p: tf.Tensor[]) => {
          const g = tf.grad((xx: tf.Tensor) => tf.sum(D(p)(xx)))(x);
          return tf.mul(tf.mean(tf.sum(tf.square(tf.reshape(g, [2, -1])), 1)), 5) as tf.Scalar; // (γ/2)·E‖∇D‖², γ = 10
        };
        // a slope of 1.2 inside tanh keeps R1 O(1) (a seeded one of 0.004 made it 1e-4, below the check's tolerance)
        const r = await checkGradients(r1, [tf.tensor1d([1.2]), t([36, 1], 11)], { samples: sweep(12) });
        expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
        perExample.dispose();
      });
    });
  });
}
