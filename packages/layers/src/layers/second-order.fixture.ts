/**
 * R1 (‖∂D/∂x‖², then its gradient w.r.t. the parameters) through every ProGAN and StyleGAN layer: second-order
 * gradients against central finite differences on every backend of the matrix, and against cpu's values.
 */
import { useBackend } from '@gankit/backends';
import { analyticGradients, checkGradients, maxRelativeError, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { build } from '../build.js';
import { residual, sequential } from '../combinators.js';
import { disposeTree, flattenTree, mapTree } from '../tree.js';
import type { ApplyCtx, Layer, ParamTree } from '../types.js';
import { conv2d } from './conv.js';
import { dense, downsample, flatten, leakyRelu, tanh, upsample } from './core.js';
import { constantInput, minibatchStdDev, noiseInjection } from './gan.js';
import { modulatedConv2d } from './modulated-conv.js';
import { pixelNorm } from './norm.js';
import { adain, styleAt } from './style.js';

const STYLE_DIM = 3;
const BATCH = 4;

/**
 * Small networks made of the new layers; each ends in an equalized dense head giving D(x) ∈ ℝ. Behind noise the
 * activation is tanh: R1 sees the noise strengths, biases and the constant input only through curvature (a
 * leaky ReLU's is zero). γ makes each R1 O(1), so that the check's absolute tolerance (1e-3) hides nothing.
 */
const networks: Record<string, { layer: Layer; input: number[]; gamma: number }> = {
  'ProGAN D: equalized conv2d, pixel norm, downsample, minibatch stddev (group 4), equalized dense (λ 0.01)':
    {
      layer: sequential([
        conv2d({ filters: 3, kernelSize: 3, padding: 'same', equalized: true }),
        leakyRelu(0.2),
        pixelNorm(),
        downsample(),
        minibatchStdDev(),
        flatten(),
        dense({ units: 1, equalized: { gain: 1, lrMultiplier: 0.01 } }),
      ]),
      input: [4, 4, 2],
      gamma: 10,
    },
  'StyleGAN 2: constant input, modulated conv (demodulated, then not), noise, styleAt': {
    layer: sequential([
      residual(constantInput({ shape: [4, 4, 2] })),
      styleAt(0, modulatedConv2d({ filters: 3, kernelSize: 3, styleDim: STYLE_DIM })),
      noiseInjection(),
      tanh(),
      styleAt(1, modulatedConv2d({ filters: 2, kernelSize: 1, styleDim: STYLE_DIM, demodulate: false })),
      flatten(),
      dense({ units: 1, equalized: { gain: 1 } }),
    ]),
    input: [4, 4, 2],
    gamma: 80,
  },
  'StyleGAN 1: upsample, equalized conv2d, noise, AdaIN': {
    layer: sequential([
      upsample(),
      conv2d({ filters: 3, kernelSize: 3, padding: 'same', equalized: true }),
      noiseInjection(),
      tanh(),
      styleAt(2, adain({ styleDim: STYLE_DIM })),
      flatten(),
      dense({ units: 1, equalized: { gain: 1 } }),
    ]),
    input: [2, 2, 2],
    gamma: 2,
  },
};

/**
 * R1, (γ/2)·E‖∇ₓ Σ D(x)‖² (@gankit/losses' r1Penalty), as a function of the values of D's parameters (in
 * `flattenTree` order of the `template` tree).
 */
const r1 =
  (layer: Layer, template: ParamTree, real: tf.Tensor, style: tf.Tensor, gamma: number) =>
  (...values: tf.Tensor[]) => {
    let i = 0;
    const params = mapTree(template, () => values[i++]!) as ParamTree;
    const ctx: ApplyCtx = { training: false, rng: 9, style };
    const g = tf.grad((x: tf.Tensor) => tf.sum(layer.apply(params, {}, x, ctx).y))(real);
    return tf.mul(tf.mean(tf.sum(tf.square(tf.reshape(g, [real.shape[0]!, -1])), 1)), gamma / 2) as tf.Scalar;
  };

/**
 * R1's second-order gradients through the ProGAN and StyleGAN layers on `backends` (second-order.test.ts: cpu and
 * wasm; second-order.gpu.test.ts: WebGPU).
 */
export function describeR1SecondOrder(backends: readonly ('cpu' | 'wasm' | 'webgpu')[]): void {
  describe('R1 through the ProGAN and StyleGAN layers: second-order gradients match finite differences', () => {
    if (backends.length === 0) it.skip('(no backend to run on here)', () => {});
    describe.each(backends)('on %s', (backend) => {
      it.each(Object.keys(networks))(
        '%s',
        async (name) => {
          await useBackend(backend);
          const { layer, input, gamma } = networks[name]!;
          const d = build(layer, { name: 'D', inputShape: input, seed: 5 });
          const leaves = flattenTree(d.params).map(([, t]) => t);
          // noise strengths start at 0, where R1 does not see the noise: give them values
          for (const [path, t] of flattenTree(d.params)) {
            if (path.endsWith('noise_injection/weight')) {
              (t as tf.Variable).assign(tf.tensor(seededUniform(t.size, 3, 0.2, 0.8)));
            }
          }
          const size = input.reduce((a, b) => a * b, 1);
          const real = tf.tensor(seededUniform(BATCH * size, 1), [BATCH, ...input]);
          const style = tf.tensor(seededUniform(BATCH * 3 * STYLE_DIM, 2), [BATCH, 3, STYLE_DIM]);
          const f = r1(layer, d.params, real, style, gamma);
          const penalty = tf.tidy(() => f(...leaves));
          expect((await penalty.data())[0]).toBeGreaterThan(0.5);
          penalty.dispose();
          // Every parameter tensor, 5 seeded coordinates each on cpu and wasm; on WebGPU — in CI the software
          // adapter SwiftShader, ~100 ms an evaluation — one of each proves the same kernels.
          const r = await checkGradients(f, leaves, { samples: backend === 'webgpu' ? 1 : 5 });
          expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
          expect(r.checked, 'too many points on kinks').toBeGreaterThanOrEqual(r.nonSmooth.length * 3);
          if (backend !== 'cpu') {
            // every coordinate, against the cpu backend's second-order gradients
            const here = await analyticGradients(f, leaves);
            // the same values, read asynchronously (WebGPU in Node cannot read synchronously) and made on cpu
            const copies = await Promise.all(
              [real, style, ...leaves].map(async (t) => ({ values: await t.data(), shape: t.shape })),
            );
            await useBackend('cpu');
            const [cpuReal, cpuStyle, ...cpuLeaves] = copies.map((c) => tf.tensor(c.values, c.shape));
            const reference = await analyticGradients(
              r1(layer, d.params, cpuReal!, cpuStyle!, gamma),
              cpuLeaves,
            );
            tf.dispose([cpuReal!, cpuStyle!, ...cpuLeaves]);
            await useBackend(backend);
            here.forEach((g, i) => {
              expect(maxRelativeError(g, reference[i]!), flattenTree(d.params)[i]![0]).toBeLessThan(1e-4);
            });
          }
          tf.dispose([real, style]);
          disposeTree(d.params);
        },
        300_000,
      );
    });
  });
}
