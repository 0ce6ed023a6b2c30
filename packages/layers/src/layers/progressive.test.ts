/** The layers ProGAN adds besides equalized learning rate: pixel norm, minibatch stddev, resampling. */
import { useBackend } from '@gankit/backends';
import { maxRelativeError, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyCtx } from '../types.js';
import { downsample, upsample } from './core.js';
import { minibatchStdDev } from './gan.js';
import { pixelNorm } from './norm.js';

const data = (t: tf.Tensor) => Array.from(t.dataSync());
const infer: ApplyCtx = { training: false };
const input = (shape: number[], seed: number, lo = -1, hi = 1) =>
  tf.tensor(
    seededUniform(
      shape.reduce((a, b) => a * b, 1),
      seed,
      lo,
      hi,
    ),
    shape,
  );

describe.each(['cpu', 'wasm'] as const)('ProGAN layers on %s', (backend) => {
  let tensorsBefore = 0;
  beforeAll(async () => {
    await useBackend(backend);
  });
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('pixelNorm on latents: x/√(mean(x²) + 1e-8) per example (float64), unit mean square, same direction', () => {
    tf.tidy(() => {
      const z = input([3, 16], 1, -3, 3);
      const y = data(pixelNorm().apply({}, {}, z, infer).y);
      const zs = data(z);
      for (let b = 0; b < 3; b++) {
        const row = zs.slice(b * 16, b * 16 + 16);
        const rms = Math.sqrt(row.reduce((a, v) => a + v * v, 0) / 16 + 1e-8);
        const got = y.slice(b * 16, b * 16 + 16);
        expect(
          maxRelativeError(
            got,
            row.map((v) => v / rms),
          ),
        ).toBeLessThan(1e-6);
        expect(got.reduce((a, v) => a + v * v, 0) / 16).toBeCloseTo(1, 5);
      }
      // a zero latent stays finite (ε) and zero
      expect(data(pixelNorm().apply({}, {}, tf.zeros([1, 4]), infer).y)).toEqual([0, 0, 0, 0]);
    });
  });

  it('minibatchStdDev with the paper’s group of 4: the statistic by hand; min(4, batch) groups; indivisible batches refused', () => {
    const layer = minibatchStdDev(); // groupSize 4
    tf.tidy(() => {
      const x = input([8, 2, 2, 3], 2, -2, 2);
      const y = layer.apply({}, {}, x, infer).y;
      expect(y.shape).toEqual([8, 2, 2, 4]);
      // groups of 4 with batch 8: example i sits in group i mod 2 (the official code's reshape [4, 2, ...])
      const xs = data(x);
      const groupStat = (members: number[]) => {
        let sum = 0;
        for (let f = 0; f < 12; f++) {
          const v = members.map((b) => xs[b * 12 + f]!);
          const mean = v.reduce((a, b) => a + b, 0) / 4;
          sum += Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / 4 + 1e-8); // biased variance, ε inside √
        }
        return sum / 12;
      };
      const expected = [groupStat([0, 2, 4, 6]), groupStat([1, 3, 5, 7])];
      expect(Math.abs(expected[0]! - expected[1]!)).toBeGreaterThan(0.01); // the groups differ
      const extra = data(tf.slice(y, [0, 0, 0, 3], [8, 2, 2, 1]));
      for (let b = 0; b < 8; b++)
        for (let p = 0; p < 4; p++) expect(extra[b * 4 + p]).toBeCloseTo(expected[b % 2]!, 5);
      expect(maxRelativeError(data(tf.slice(y, [0, 0, 0, 0], [8, 2, 2, 3])), xs)).toBe(0); // the input passes
      // batch 2 < 4: one group of 2
      const pair = input([2, 1, 1, 2], 3);
      const ps = data(pair);
      const sd = (a: number, b: number) => Math.sqrt(((a - b) / 2) ** 2 + 1e-8);
      const stat = data(layer.apply({}, {}, pair, infer).y)[2]!;
      expect(stat).toBeCloseTo((sd(ps[0]!, ps[2]!) + sd(ps[1]!, ps[3]!)) / 2, 5);
      expect(() => layer.apply({}, {}, tf.zeros([6, 1, 1, 2]), infer)).toThrow(
        /batch 6 is not divisible by the group size 4/,
      );
    });
  });

  it('downsample averages factor×factor blocks; upsample then downsample is the identity; odd sizes refused', () => {
    const down = downsample();
    expect(down.init(1, [4, 6, 2], 'down').outputShape).toEqual([2, 3, 2]);
    expect(() => down.init(1, [5, 4, 1], 'down')).toThrow(/5×4 image does not split into 2×2 blocks/);
    tf.tidy(() => {
      const x = input([2, 4, 6, 2], 4);
      const y = data(down.apply({}, {}, x, infer).y);
      const xs = data(x);
      const at = (b: number, i: number, j: number, c: number) => xs[((b * 4 + i) * 6 + j) * 2 + c]!;
      const ref: number[] = [];
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 3; j++)
            for (let c = 0; c < 2; c++)
              ref.push(
                (at(b, 2 * i, 2 * j, c) +
                  at(b, 2 * i + 1, 2 * j, c) +
                  at(b, 2 * i, 2 * j + 1, c) +
                  at(b, 2 * i + 1, 2 * j + 1, c)) /
                  4,
              );
      expect(maxRelativeError(y, ref)).toBeLessThan(1e-6);
      const small = input([1, 3, 3, 2], 5);
      const round = downsample(3).apply({}, {}, upsample(3).apply({}, {}, small, infer).y, infer).y;
      expect(maxRelativeError(data(round), data(small))).toBeLessThan(1e-6);
    });
  });
});
