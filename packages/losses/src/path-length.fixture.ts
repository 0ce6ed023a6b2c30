/**
 * Path-length regularisation's gradient w.r.t. a style generator's parameters — second order, through StyleGAN 2's
 * synthesis layers — against central finite differences and against cpu's values, on the backends of the matrix.
 */
import { useBackend } from '@gankit/backends';
import {
  build,
  constantInput,
  disposeTree,
  flattenTree,
  type Layer,
  leaf,
  mapTree,
  modulatedConv2d,
  noiseInjection,
  type ParamTree,
  sequential,
  styleAt,
  tanh,
  upsample,
} from '@gankit/layers';
import { analyticGradients, checkGradients, maxRelativeError, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { pathLengthPenalty } from './path-length.js';

const STYLE_DIM = 3;
const BATCH = 3;

/** Nearest resize 3 → 5, the non-integer step of a 28×28 generator (4 → 7). */
const resize5: Layer = leaf({
  kind: 'Resize',
  init: (_rng, [, , c]) => ({ outputShape: [5, 5, c!] }),
  apply: (_p, _s, x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [5, 5]),
});

/**
 * A small synthesis network: constant → modulated conv (demodulated) → noise → tanh → nearest 3 → 5 → modulated
 * conv → tanh → ×2 upsample → modulated 1×1 toRGB (not demodulated). tanh, not leaky ReLU: the penalty sees
 * the noise strengths and biases only through curvature.
 */
const synthesisLayer = sequential([
  constantInput({ shape: [3, 3, 2] }),
  styleAt(0, modulatedConv2d({ filters: 3, kernelSize: 3, styleDim: STYLE_DIM })),
  noiseInjection(),
  tanh(),
  resize5,
  styleAt(1, modulatedConv2d({ filters: 2, kernelSize: 3, styleDim: STYLE_DIM })),
  tanh(),
  upsample(),
  styleAt(2, modulatedConv2d({ filters: 1, kernelSize: 1, styleDim: STYLE_DIM, demodulate: false })),
]);

/** The penalty as a function of the parameter values (in `flattenTree` order of `template`). */
const penaltyOf =
  (template: ParamTree, ws: tf.Tensor, mean: tf.Scalar) =>
  (...values: tf.Tensor[]) => {
    let i = 0;
    const params = mapTree(template, () => values[i++]!) as ParamTree;
    const synthesize = (w: tf.Tensor) =>
      synthesisLayer.apply(params, {}, tf.zeros([w.shape[0]!, 1]), { training: true, rng: 9, style: w }).y;
    const r = pathLengthPenalty(synthesize, ws, mean, { seed: 4, decay: 0.3 });
    r.mean.dispose();
    r.lengths.dispose();
    return tf.mul(r.penalty, 50) as tf.Scalar; // O(1), so that the check's absolute tolerance hides nothing
  };

/** The checks on `backends` (path-length.test.ts: cpu and wasm; path-length.gpu.test.ts: WebGPU). */
export function describePathLengthGradients(backends: readonly ('cpu' | 'wasm' | 'webgpu')[]): void {
  describe('path-length regularisation: second-order gradients through the synthesis layers match finite differences', () => {
    if (backends.length === 0) it.skip('(no backend to run on here)', () => {});
    it.each(backends)(
      'on %s',
      async (backend) => {
        await useBackend(backend);
        const g = build(synthesisLayer, { name: 'G', inputShape: [1], seed: 5 });
        const named = flattenTree(g.params);
        const leaves = named.map(([, t]) => t);
        // noise strengths start at 0, where the penalty does not see the noise: give them values
        for (const [path, t] of named)
          if (path.endsWith('noise_injection/weight'))
            (t as tf.Variable).assign(tf.tensor(seededUniform(t.size, 3, 0.2, 0.8)));
        const ws = tf.tensor(seededUniform(BATCH * 3 * STYLE_DIM, 2), [BATCH, 3, STYLE_DIM]);
        const mean = tf.scalar(0.05);
        const f = penaltyOf(g.params, ws, mean);
        const value = tf.tidy(() => f(...leaves));
        expect((await value.data())[0]).toBeGreaterThan(0.05);
        value.dispose();
        const r = await checkGradients(f, leaves, { samples: backend === 'webgpu' ? 1 : 5 });
        expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
        expect(r.checked, 'too many points on kinks').toBeGreaterThanOrEqual(r.nonSmooth.length * 3);
        if (backend !== 'cpu') {
          const here = await analyticGradients(f, leaves);
          const copies = await Promise.all(
            [ws, ...leaves].map(async (t) => ({ values: await t.data(), shape: t.shape })),
          );
          await useBackend('cpu');
          const [cpuWs, ...cpuLeaves] = copies.map((c) => tf.tensor(c.values, c.shape));
          const cpuMean = tf.scalar(0.05);
          const reference = await analyticGradients(penaltyOf(g.params, cpuWs!, cpuMean), cpuLeaves);
          tf.dispose([cpuWs!, cpuMean, ...cpuLeaves]);
          await useBackend(backend);
          here.forEach((grad, i) => {
            expect(maxRelativeError(grad, reference[i]!), named[i]![0]).toBeLessThan(1e-4);
          });
        }
        tf.dispose([ws, mean]);
        disposeTree(g.params);
      },
      300_000,
    );
  });
}
