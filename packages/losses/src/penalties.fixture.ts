/** Penalty gradient checks shared by the cpu/wasm and the WebGPU test files. */
import { useBackend } from '@gankit/backends';
import {
  build,
  conv2d,
  dense,
  disposeTree,
  elu,
  flatten,
  flattenTree,
  type Layer,
  layerNorm,
  leakyRelu,
  minibatchStdDev,
  type ParamTree,
  relu,
  sequential,
  sigmoid,
  spectralNorm,
  tanh,
} from '@gankit/layers';
import { checkGradients, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { draganPenalty, gradientPenalty, r1Penalty } from './penalties.js';

/** Discriminators made of every layer a discriminator may use, small enough for finite differences. */
const IMAGE: [number, number, number] = [6, 6, 2];
const discriminators: Record<string, { layer: Layer; input: number[] }> = {
  'dense + leakyRelu': {
    layer: sequential([dense({ units: 6 }), leakyRelu(0.2), dense({ units: 1 })]),
    input: [4],
  },
  'dense + relu': { layer: sequential([dense({ units: 6 }), relu(), dense({ units: 1 })]), input: [4] },
  'dense + elu': { layer: sequential([dense({ units: 6 }), elu(), dense({ units: 1 })]), input: [4] },
  'dense + tanh': { layer: sequential([dense({ units: 6 }), tanh(), dense({ units: 1 })]), input: [4] },
  'dense + sigmoid': { layer: sequential([dense({ units: 6 }), sigmoid(), dense({ units: 1 })]), input: [4] },
  'conv2d stride 2 same, stride 1 valid, explicit padding': {
    layer: sequential([
      conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      tanh(),
      conv2d({
        filters: 2,
        kernelSize: 2,
        padding: [
          [1, 0],
          [0, 1],
        ],
      }),
      leakyRelu(0.2),
      conv2d({ filters: 2, kernelSize: 2, padding: 'valid' }),
      flatten(),
      dense({ units: 1 }),
    ]),
    input: IMAGE,
  },
  'conv2d + layer norm': {
    layer: sequential([
      conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      layerNorm({ over: 'all' }),
      leakyRelu(0.2),
      flatten(),
      dense({ units: 1 }),
    ]),
    input: IMAGE,
  },
  'spectral norm (conv2d and dense)': {
    layer: sequential([
      spectralNorm(conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' })),
      leakyRelu(0.1),
      flatten(),
      spectralNorm(dense({ units: 1 })),
    ]),
    input: IMAGE,
  },
  'minibatch stddev': {
    layer: sequential([
      conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      elu(),
      minibatchStdDev({ groupSize: 2 }),
      flatten(),
      dense({ units: 1 }),
    ]),
    input: IMAGE,
  },
};

/** Rebuilds a parameter tree with the same structure from a list of tensors (in flattenTree's order). */
function withValues(template: ParamTree, values: tf.Tensor[]): ParamTree {
  let i = 0;
  const walk = (tree: ParamTree): ParamTree =>
    Object.fromEntries(
      Object.entries(tree).map(([k, v]) => [
        k,
        v instanceof tf.Tensor ? (values[i++] as tf.Variable) : walk(v),
      ]),
    );
  return walk(template);
}

/**
 * The penalties' gradients w.r.t. D's parameters against finite differences, through every D layer, on `backends`
 * (penalties.test.ts: cpu and wasm; penalties.gpu.test.ts: WebGPU).
 */
export function describePenaltyGradients(backends: readonly ('cpu' | 'wasm' | 'webgpu')[]): void {
  describe('penalty gradients w.r.t. D parameters match finite differences through every D layer', () => {
    if (backends.length === 0) it.skip('(no backend to run on here)', () => {});
    describe.each(backends)('on %s', (backend) => {
      // On WebGPU the dense + activation cases are @gankit/backends' second-order test's (every activation, every
      // backend): here it takes the layers that test does not build.
      const cases = Object.keys(discriminators).filter((n) => backend !== 'webgpu' || !n.startsWith('dense'));
      it.each(cases)(
        '%s: WGAN-GP, R1 and DRAGAN',
        async (name) => {
          await useBackend(backend);
          const { layer, input } = discriminators[name]!;
          const d = build(layer, { name: 'D', inputShape: input, seed: 5 });
          const leaves = flattenTree(d.params).map(([, t]) => t);
          const batch = 4;
          const size = input.reduce((a, b) => a * b, 1);
          const real = tf.tensor(seededUniform(batch * size, 1), [batch, ...input]);
          const fake = tf.tensor(seededUniform(batch * size, 2), [batch, ...input]);
          const D = (values: tf.Tensor[]) => (x: tf.Tensor) =>
            layer.apply(withValues(d.params, values), d.state, x, { training: false }).y;
          // The full sweep (5 coordinates of every parameter tensor) runs on cpu and wasm. On WebGPU — in CI the
          // software adapter SwiftShader, where each evaluation costs ~100 ms — one seeded coordinate of every tensor
          // of every layer (kernel and bias alike) proves the same kernels at a fraction of the work.
          const samples = backend === 'webgpu' ? 1 : 5;
          // weights of 1 keep the values O(1), so float32 finite differences stay precise (the weight is a plain factor)
          const penalties = {
            'WGAN-GP': (...v: tf.Tensor[]) => gradientPenalty(D(v), real, fake, { seed: 7, weight: 1 }),
            R1: (...v: tf.Tensor[]) => r1Penalty(D(v), real, { gamma: 2 }),
            DRAGAN: (...v: tf.Tensor[]) => draganPenalty(D(v), real, { seed: 8, weight: 1 }),
          };
          for (const [penalty, f] of Object.entries(penalties)) {
            const r = await checkGradients(f, leaves, { samples });
            expect(r.failures, `${penalty}: ${JSON.stringify(r.worst)}`).toEqual([]);
            expect(r.checked, `${penalty}: too many points on kinks`).toBeGreaterThanOrEqual(
              r.nonSmooth.length * 3,
            );
          }
          tf.dispose([real, fake]);
          disposeTree(d.params);
          disposeTree(d.state);
        },
        300_000,
      ); // ≤ 10 s alone (the conv D on WebGPU); 1–2 s on cpu and wasm
    });
  });
}
