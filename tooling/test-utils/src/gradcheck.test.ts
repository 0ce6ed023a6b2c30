import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError } from './compare.js';
import { checkGradients, seededUniform } from './gradcheck.js';
import { tensorsLeakedPerRun } from './leaks.js';

// f(x) = Σ sin(x)·w written with customGrad, so the check is exercised without any registered gradients.
function sinWeighted(scale: number) {
  const w = tf.tensor1d(seededUniform(40, 3));
  const fn = (x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.sum(tf.mul(tf.sin(x), w)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(dy, tf.mul(tf.mul(tf.cos(saved[0]!), w), scale)),
    };
  };
  return tf.customGrad(fn as never) as unknown as (x: tf.Tensor) => tf.Scalar;
}

describe('checkGradients', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('accepts a correct gradient', async () => {
    const x = tf.tensor1d(seededUniform(40, 1, -2, 2));
    const r = await checkGradients(sinWeighted(1), [x], { samples: 40 });
    expect(r.checked).toBe(40);
    expect(r.failures).toEqual([]);
  });

  it('rejects a gradient that is 5 % off', async () => {
    const x = tf.tensor1d(seededUniform(40, 1, -2, 2));
    const r = await checkGradients(sinWeighted(1.05), [x], { samples: 40 });
    expect(r.ok).toBe(false);
    expect(r.failures.length).toBeGreaterThan(20);
  });

  it('samples a seeded subset of a large input', async () => {
    const x = tf.tensor1d(seededUniform(40, 1));
    const a = await checkGradients(sinWeighted(1), [x], { samples: 7, seed: 9 });
    const b = await checkGradients(sinWeighted(1), [x], { samples: 7, seed: 9 });
    expect(a.checked).toBe(7);
    expect(a.failures).toEqual([]);
    expect(a.worst).toEqual(b.worst);
  });
});

describe('checkGradients at kinks', () => {
  it('reports a point on a ReLU kink as non-smooth instead of comparing a meaningless difference', async () => {
    await tf.setBackend('cpu');
    // no gradients are registered here, so write Σ relu(x) with customGrad: ∂/∂x = step(x)
    const sumRelu = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return {
        value: tf.sum(tf.maximum(x, 0)),
        gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.step(s!)),
      };
    }) as never) as (x: tf.Tensor) => tf.Scalar;
    const x = tf.tensor1d([0, 0.5, -0.5]);
    const r = await checkGradients((t) => sumRelu(t), [x]);
    expect(r.nonSmooth).toEqual([{ input: 0, index: 0 }]);
    expect(r.checked).toBe(2);
    expect(r.failures).toEqual([]);
  });
});

describe('maxRelativeError', () => {
  it('measures against the scale of the expected tensor and propagates NaN', () => {
    expect(maxRelativeError([1, 2.002], [1, 2])).toBeCloseTo(0.001, 9);
    expect(maxRelativeError([0, 1e-6], [0, 0])).toBeGreaterThan(1);
    expect(maxRelativeError([Number.NaN], [1])).toBeNaN();
    expect(() => maxRelativeError([1], [1, 2])).toThrow(/length mismatch/);
  });
});

describe('tensorsLeakedPerRun', () => {
  it('sees a leak and a clean function', async () => {
    const kept: tf.Tensor[] = [];
    expect(await tensorsLeakedPerRun(() => kept.push(tf.scalar(1)))).toBe(1);
    expect(await tensorsLeakedPerRun(() => tf.tidy(() => tf.add(tf.scalar(1), 1)).dispose())).toBe(0);
    tf.dispose(kept);
  });
});
