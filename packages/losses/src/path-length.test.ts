import { useBackend } from '@gankit/backends';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describePathLengthGradients } from './path-length.fixture.js';
import { pathLengthPenalty } from './path-length.js';

// the WebGPU case is path-length.gpu.test.ts' (the software-GPU lane of the test run)
describePathLengthGradients(['cpu', 'wasm']);

describe('path-length penalty values', () => {
  it('a linear synthesis: lengths, running mean and penalty against a float64 computation', async () => {
    await useBackend('cpu');
    const [n, layers, dim, h, w] = [4, 3, 2, 3, 2];
    const inputs = layers * dim;
    const outputs = h * w;
    const A = seededUniform(inputs * outputs, 1);
    const ws = tf.tensor3d(seededUniform(n * inputs, 2), [n, layers, dim]);
    // y = flatten(ws) · A, as images [n, h, w, 1]
    const synthesize = (x: tf.Tensor) =>
      tf.reshape(tf.matMul(tf.reshape(x, [n, inputs]), tf.tensor2d(A, [inputs, outputs])), [n, h, w, 1]);
    const mean = tf.scalar(0.4);
    const r = pathLengthPenalty(synthesize, ws, mean, { seed: 11, decay: 0.1 });
    // the direction u the penalty drew: the same seeded draw, scaled by 1/√(h·w)
    const u = await tf.randomNormal([n, h, w, 1], 0, 1, 'float32', 11).data();
    const lengths: number[] = [];
    for (let b = 0; b < n; b++) {
      // ∂(Σ y·u)/∂ws = A·u_b; squares summed over dim, averaged over layers, square root
      let sum = 0;
      for (let i = 0; i < inputs; i++) {
        let g = 0;
        for (let o = 0; o < outputs; o++) g += A[i * outputs + o]! * (u[b * outputs + o]! / Math.sqrt(h * w));
        sum += g * g;
      }
      lengths.push(Math.sqrt(sum / layers));
    }
    const average = lengths.reduce((a, b) => a + b, 0) / n;
    const next = 0.4 + 0.1 * (average - 0.4);
    const penalty = lengths.reduce((a, l) => a + (l - next) ** 2, 0) / n;
    const got = Array.from(await r.lengths.data());
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(lengths[i]!, 5);
    expect((await r.mean.data())[0]).toBeCloseTo(next, 5);
    expect((await r.penalty.data())[0]).toBeCloseTo(penalty, 5);
    tf.dispose([ws, mean, r.penalty, r.mean, r.lengths]);
  });

  it('decay 1: the mean is the batch mean length and the penalty their variance; bad inputs are refused', async () => {
    await useBackend('cpu');
    const ws = tf.tensor3d(seededUniform(4 * 2 * 3, 3), [4, 2, 3]);
    const identity = (x: tf.Tensor) => tf.reshape(x, [4, 2, 3, 1]);
    const r = pathLengthPenalty(identity, ws, tf.scalar(5), { seed: 1, decay: 1 });
    const lengths = Array.from(await r.lengths.data());
    const average = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect((await r.mean.data())[0]).toBeCloseTo(average, 6);
    const variance = lengths.reduce((a, l) => a + (l - average) ** 2, 0) / lengths.length;
    expect(variance).toBeGreaterThan(0);
    expect((await r.penalty.data())[0]).toBeCloseTo(variance, 6);
    expect(() => pathLengthPenalty(identity, ws, tf.scalar(0), { decay: 0 })).toThrow(
      /decay must be in \(0, 1\]/,
    );
    expect(() => pathLengthPenalty(identity, tf.zeros([4, 6]), tf.scalar(0))).toThrow(
      /styles must be \[batch, layers, dim\]/,
    );
    expect(() => pathLengthPenalty((x) => tf.reshape(x, [4, 6]), ws, tf.scalar(0))).toThrow(
      /must give images \[n, h, w, c\]/,
    );
    tf.dispose([ws, r.penalty, r.mean, r.lengths]);
  });
});
