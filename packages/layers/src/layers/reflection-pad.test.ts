import { useBackend } from '@gankit/backends';
import { checkGradients, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { build } from '../build.js';
import { sequential } from '../combinators.js';
import { disposeTree, flattenTree, mapTree } from '../tree.js';
import type { ParamTree } from '../types.js';
import { conv2d } from './conv.js';
import { instanceNorm } from './norm.js';
import { reflectionPad, reflectionPad2d } from './reflection-pad.js';

describe.each(['cpu', 'wasm'] as const)('reflection padding and instance norm on %s', (backend) => {
  it('reflects about the edge rows and columns, as MirrorPad REFLECT; each source pixel gets every copy’s gradient', async () => {
    await useBackend(backend);
    const x = tf.tensor4d(seededUniform(2 * 4 * 5 * 3, 4), [2, 4, 5, 3]);
    const y = reflectionPad2d(x, 2);
    expect(y.shape).toEqual([2, 8, 9, 3]);
    const mirrored = tf.mirrorPad(
      x,
      [
        [0, 0],
        [2, 2],
        [2, 2],
        [0, 0],
      ],
      'reflect',
    );
    expect(Array.from(await y.data())).toEqual(Array.from(await mirrored.data()));
    // 1-D by hand: [a b c d] padded by 2 is [c b a b c d c b]
    const row = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1]);
    expect(Array.from(await reflectionPad2d(row, 1).data())).toEqual([
      6, 5, 6, 7, 8, 7, 2, 1, 2, 3, 4, 3, 6, 5, 6, 7, 8, 7, 2, 1, 2, 3, 4, 3,
    ]);
    // d/dx of the padded sum is how many times each pixel appears: along each axis of a 4×4 image padded by 1, the
    // second and the third row (and column) twice — once reflected — the edges once
    const ones = tf.ones([1, 4, 4, 1]);
    const counts = await tf
      .grad((t: tf.Tensor) => tf.sum(reflectionPad2d(t as tf.Tensor4D, 1)))(ones)
      .data();
    const perAxis = [1, 2, 2, 1];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) expect(counts[i * 4 + j]).toBe(perAxis[i]! * perAxis[j]!);
    expect(() => reflectionPad2d(x, 4)).toThrow(/padding 4 must be smaller than the 4×5 image/);
    expect(() => build(reflectionPad(3), { name: 'p', inputShape: [3, 8, 1], seed: 1 })).toThrow(
      /padding 3 must be smaller than the 3×8 input/,
    );
    tf.dispose([x, y, mirrored, row, ones]);
  });

  it('pad → conv 3×3 valid → instance norm: gradients w.r.t. input, kernel, bias, γ and β match finite differences', async () => {
    await useBackend(backend);
    const layer = sequential([reflectionPad(1), conv2d({ filters: 3, kernelSize: 3 }), instanceNorm()]);
    const net = build(layer, { name: 'block', inputShape: [5, 4, 2], seed: 2 });
    expect(net.outputShape).toEqual([5, 4, 3]);
    const named = flattenTree(net.params);
    // γ and β away from 1 and 0, so that each is seen
    for (const [path, t] of named)
      if (/gamma|beta/.test(path))
        (t as tf.Variable).assign(tf.tensor1d(seededUniform(3, path.length).map((v) => v + 0.5)));
    const x = tf.tensor4d(seededUniform(2 * 5 * 4 * 2, 5), [2, 5, 4, 2]);
    const weights = tf.tensor4d(seededUniform(2 * 5 * 4 * 3, 6), [2, 5, 4, 3]);
    const f = (input: tf.Tensor, ...values: tf.Tensor[]) => {
      let i = 0;
      const params = mapTree(net.params, () => values[i++]!) as ParamTree;
      return tf.sum(tf.mul(layer.apply(params, {}, input, { training: true }).y, weights)) as tf.Scalar;
    };
    const r = await checkGradients(f, [x, ...named.map(([, t]) => t)], { samples: 16 });
    expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
    expect(r.checked).toBeGreaterThanOrEqual(40);
    tf.dispose([x, weights]);
    disposeTree(net.params);
  });
});
