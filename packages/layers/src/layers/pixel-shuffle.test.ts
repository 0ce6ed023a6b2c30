import { useBackend } from '@gankit/backends';
import { checkGradients, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { build } from '../build.js';
import { sequential } from '../combinators.js';
import { disposeTree, flattenTree, mapTree } from '../tree.js';
import type { ParamTree } from '../types.js';
import { conv2d } from './conv.js';
import { depthToSpace, pixelShuffle } from './pixel-shuffle.js';
import { prelu } from './prelu.js';

describe.each(['cpu', 'wasm'] as const)('pixel shuffle and PReLU on %s', (backend) => {
  it("depthToSpace puts channel (i·r + j)·c + k of (y, x) at (y·r + i, x·r + j, k), as TensorFlow's DepthToSpace", async () => {
    await useBackend(backend);
    const [n, h, w, r, c] = [2, 3, 2, 2, 3];
    const values = Array.from({ length: n * h * w * r * r * c }, (_, i) => i);
    const x = tf.tensor4d(values, [n, h, w, r * r * c]);
    const y = depthToSpace(x, r);
    expect(y.shape).toEqual([n, h * r, w * r, c]);
    const got = await y.data();
    for (let b = 0; b < n; b++)
      for (let yy = 0; yy < h; yy++)
        for (let xx = 0; xx < w; xx++)
          for (let i = 0; i < r; i++)
            for (let j = 0; j < r; j++)
              for (let k = 0; k < c; k++) {
                const from = ((b * h + yy) * w + xx) * r * r * c + (i * r + j) * c + k;
                const to = ((b * h * r + yy * r + i) * w * r + xx * r + j) * c + k;
                expect(got[to]).toBe(values[from]);
              }
    // and the kernel tfjs has (forward only) agrees
    const reference = tf.depthToSpace(x, r, 'NHWC');
    expect(Array.from(await reference.data())).toEqual(Array.from(got));
    tf.dispose([x, y, reference]);
  });

  it('conv → pixel shuffle ×2 → PReLU: gradients w.r.t. input, kernel, bias and slopes match finite differences', async () => {
    await useBackend(backend);
    const layer = sequential([
      conv2d({ filters: 8, kernelSize: 3, padding: 'same' }),
      pixelShuffle(2),
      prelu(),
    ]);
    const net = build(layer, { name: 'up', inputShape: [3, 3, 2], seed: 3 });
    expect(net.outputShape).toEqual([6, 6, 2]);
    const named = flattenTree(net.params);
    expect(named.map(([p]) => p.split('/').at(-1))).toEqual(['kernel', 'bias', 'alpha']);
    // slopes away from 0.25 and different per channel, so that each is seen
    (named[2]![1] as tf.Variable).assign(tf.tensor1d([0.1, 0.4]));
    const x = tf.tensor4d(seededUniform(2 * 3 * 3 * 2, 1), [2, 3, 3, 2]);
    const weights = tf.tensor4d(seededUniform(2 * 6 * 6 * 2, 2), [2, 6, 6, 2]);
    const f = (input: tf.Tensor, ...values: tf.Tensor[]) => {
      let i = 0;
      const params = mapTree(net.params, () => values[i++]!) as ParamTree;
      return tf.sum(tf.mul(layer.apply(params, {}, input, { training: true }).y, weights)) as tf.Scalar;
    };
    const r = await checkGradients(f, [x, ...named.map(([, t]) => t)], { samples: 12 });
    expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
    expect(r.checked).toBeGreaterThanOrEqual(r.nonSmooth.length * 3);
    tf.dispose([x, weights]);
    disposeTree(net.params);
  });

  it('PReLU: relu(x) − α·relu(−x) per channel, one slope when shared; bad shapes are refused with the fix', async () => {
    await useBackend(backend);
    const per = build(prelu(), { name: 'p', inputShape: [2], seed: 1 });
    const shared = build(prelu({ shared: true, alpha: 0.1 }), { name: 's', inputShape: [2], seed: 1 });
    const x = tf.tensor2d([
      [-2, 3],
      [4, -1],
    ]);
    expect(Array.from(await prelu().apply(per.params, {}, x, { training: false }).y.data())).toEqual([
      -0.5, 3, 4, -0.25,
    ]);
    const y = await prelu().apply(shared.params, {}, x, { training: false }).y.data();
    expect(Array.from(y).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([-0.2, 3, 4, -0.1]);
    expect(flattenTree(shared.params)[0]![1].shape).toEqual([1]);
    expect(() => build(pixelShuffle(2), { name: 'bad', inputShape: [4, 4, 6], seed: 1 })).toThrow(
      /6 channels are not a multiple of factor² = 4 \(give the convolution before it c·4 filters\)/,
    );
    expect(() => pixelShuffle(1.5)).toThrow(/factor must be a positive whole number, got 1.5/);
    x.dispose();
    disposeTree(per.params);
    disposeTree(shared.params);
  });
});
