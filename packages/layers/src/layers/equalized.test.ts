import { maxRelativeError, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { constant, randomNormal } from '../initializers.js';
import type { ApplyCtx, ParamTree } from '../types.js';
import { builtOn } from './built.fixture.js';
import { conv2d } from './conv.js';
import { dense } from './core.js';
import { equalizedScale } from './equalized.js';

const data = (t: tf.Tensor) => Array.from(t.dataSync());
const infer: ApplyCtx = { training: false };
const input = (shape: number[], seed: number) =>
  tf.tensor(
    seededUniform(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
const leaves = (p: ParamTree) => p as unknown as { kernel: tf.Variable; bias: tf.Variable };

function stats(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
}

describe.each(['cpu', 'wasm'] as const)('equalized learning rate on %s', (backend) => {
  const make = builtOn(backend, 'eq');

  it('dense: stores N(0, 1)/λ and b/λ; runs with stored · gain·λ/√fanIn and b', () => {
    const lr = 0.01;
    const layer = dense({
      units: 64,
      equalized: { gain: Math.SQRT2, lrMultiplier: lr },
      biasInitializer: constant(0.5),
    });
    const m = make(layer, [256]);
    expect(m.rows[0]!.trainable).toBe(256 * 64 + 64); // the same parameters as a plain dense layer
    const { kernel, bias } = leaves(m.params);
    const k = stats(data(kernel));
    expect(Math.abs(k.mean)).toBeLessThan(2); // 16,384 draws of N(0, 100²): the mean's σ is 0.8
    expect(k.std / (1 / lr)).toBeCloseTo(1, 1);
    for (const b of data(bias)) expect(b).toBeCloseTo(0.5 / lr, 3);
    expect(equalizedScale([256, 64], { gain: Math.SQRT2, lrMultiplier: lr })).toBeCloseTo(
      (Math.SQRT2 * lr) / 16,
      12,
    );
    tf.tidy(() => {
      const x = input([3, 256], 2);
      const y = data(layer.apply(m.params, m.state, x, infer).y);
      // float64 reference from the stored values
      const xs = data(x);
      const ks = data(kernel);
      const scale = (Math.SQRT2 * lr) / Math.sqrt(256);
      const ref: number[] = [];
      for (let b = 0; b < 3; b++)
        for (let o = 0; o < 64; o++) {
          let s = 0;
          for (let i = 0; i < 256; i++) s += xs[b * 256 + i]! * ks[i * 64 + o]!;
          ref.push(s * scale + 0.5);
        }
      expect(maxRelativeError(y, ref)).toBeLessThan(1e-5);
      // the effective kernel is N(0, gain²/fanIn), whatever λ: outputs of unit-variance inputs stay O(1)
      expect(stats(data(tf.mul(kernel, scale))).std).toBeCloseTo(Math.SQRT2 / 16, 2);
    });
  });

  it('conv2d: the effective kernel is stored · gain/√(kh·kw·in); true means gain √2, λ 1', () => {
    const layer = conv2d({ filters: 4, kernelSize: 3, padding: 'same', equalized: true });
    const m = make(layer, [5, 5, 3]);
    const { kernel } = leaves(m.params);
    tf.tidy(() => {
      const x = input([2, 5, 5, 3], 3) as tf.Tensor4D;
      const { y } = layer.apply(m.params, m.state, x, infer);
      const effective = tf.mul(kernel, Math.SQRT2 / Math.sqrt(27)) as tf.Tensor4D;
      expect(maxRelativeError(data(y), data(tf.conv2d(x, effective, 1, 'same')))).toBeLessThan(1e-5);
      // a plain conv2d with the stored kernel differs by exactly that factor
      const plain = conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(
        m.params,
        m.state,
        x,
        infer,
      ).y;
      expect(maxRelativeError(data(y), data(tf.mul(plain, Math.SQRT2 / Math.sqrt(27))))).toBeLessThan(1e-6);
    });
  });

  it('the run-time scale shows in the gradient: ∂L/∂stored = scale · ∂L/∂effective, ∂L/∂b_stored = λ·∂L/∂b', () => {
    const lr = 0.1;
    const layer = conv2d({
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      equalized: { gain: 1, lrMultiplier: lr },
    });
    const m = make(layer, [6, 6, 3]);
    const { kernel, bias } = leaves(m.params);
    const scale = lr / Math.sqrt(27);
    tf.tidy(() => {
      const x = input([2, 6, 6, 3], 4) as tf.Tensor4D;
      const r = input([2, 3, 3, 2], 5);
      const [gk, gb] = tf.grads((k: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply({ kernel: k as tf.Variable, bias: b as tf.Variable }, {}, x, infer).y, r)),
      )([kernel, bias]);
      const effK = tf.mul(kernel, scale) as tf.Tensor4D;
      const effB = tf.mul(bias, lr);
      const [ek, eb] = tf.grads((k: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.add(tf.conv2d(x, k as tf.Tensor4D, 2, 'same'), b), r)),
      )([effK, effB]);
      expect(maxRelativeError(data(gk!), data(tf.mul(ek!, scale)))).toBeLessThan(1e-5);
      expect(maxRelativeError(data(gb!), data(tf.mul(eb!, lr)))).toBeLessThan(1e-6);
      // and the gradient is not the plain layer's: the scale is 0.019, far from 1
      expect(maxRelativeError(data(gk!), data(ek!))).toBeGreaterThan(0.5);
    });
  });

  it('refuses a kernel initializer beside equalized, and non-positive gains or multipliers', () => {
    expect(() => dense({ units: 2, equalized: true, kernelInitializer: randomNormal() })).toThrow(
      /N\(0, 1\)/,
    );
    expect(() => conv2d({ filters: 2, kernelSize: 3, equalized: { gain: 0 } })).toThrow(/gain must be > 0/);
    expect(() => dense({ units: 2, equalized: { lrMultiplier: -1 } })).toThrow(/lrMultiplier must be > 0/);
  });
});
