import { maxRelativeError, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { sequential } from '../combinators.js';
import { normalStream, rngFromSeed } from '../rng.js';
import type { ParamTree } from '../types.js';
import { builtOn } from './built.fixture.js';
import { constantInput, noiseInjection } from './gan.js';
import { modulatedConv2d } from './modulated-conv.js';
import { adain, styleAt } from './style.js';

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const data = (t: tf.Tensor) => Array.from(t.dataSync());
const input = (shape: number[], seed: number, lo = -1, hi = 1) =>
  tf.tensor(seededUniform(prod(shape), seed, lo, hi), shape);
const gaussian = (shape: number[], seed: number) => {
  const n = normalStream(rngFromSeed(seed));
  return tf.tensor(
    Float32Array.from({ length: prod(shape) }, () => n()),
    shape,
  );
};
const leaf = (p: ParamTree, path: string) =>
  path.split('/').reduce((t, k) => (t as ParamTree)[k] as ParamTree, p) as unknown as tf.Variable;

/** StyleGAN's affine A in float64: s[b][i] = Σ_j style[b,j]·A[j,i]/√styleDim + bias[i] (equalized, gain 1). */
function affine64(style: number[], a: number[], bias: number[], batch: number, dim: number): number[][] {
  const units = bias.length;
  return Array.from({ length: batch }, (_, b) =>
    bias.map((bi, i) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += style[b * dim + j]! * a[j * units + i]!;
      return s / Math.sqrt(dim) + bi;
    }),
  );
}

/**
 * Modulated convolution in float64 the direct way: each example's own weights w'[o,i,k] = s[b,i]·w[o,i,k] (and
 * divided by √(Σ w'² + ε) when demodulating), then a 'same' convolution with them — no fused trick.
 */
function modConv64(
  x: number[],
  [batch, h, w, c]: number[],
  kernel: number[],
  [kh, kw, , f]: number[],
  s: number[][],
  demodulate: boolean,
): number[] {
  const scale = 1 / Math.sqrt(kh! * kw! * c!);
  const y = new Array(batch! * h! * w! * f!).fill(0);
  for (let b = 0; b < batch!; b++) {
    const wb = (di: number, dj: number, i: number, o: number) =>
      s[b]![i]! * kernel[((di * kw! + dj) * c! + i) * f! + o]! * scale;
    const demod = Array.from({ length: f! }, (_, o) => {
      if (!demodulate) return 1;
      let sum = 0;
      for (let di = 0; di < kh!; di++)
        for (let dj = 0; dj < kw!; dj++) for (let i = 0; i < c!; i++) sum += wb(di, dj, i, o) ** 2;
      return 1 / Math.sqrt(sum + 1e-8);
    });
    for (let r = 0; r < h!; r++)
      for (let q = 0; q < w!; q++)
        for (let o = 0; o < f!; o++) {
          let acc = 0;
          for (let di = 0; di < kh!; di++)
            for (let dj = 0; dj < kw!; dj++) {
              const rr = r + di - (kh! - 1) / 2;
              const qq = q + dj - (kw! - 1) / 2;
              if (rr < 0 || rr >= h! || qq < 0 || qq >= w!) continue;
              for (let i = 0; i < c!; i++) acc += x[((b * h! + rr) * w! + qq) * c! + i]! * wb(di, dj, i, o);
            }
          y[((b * h! + r) * w! + q) * f! + o] = acc * demod[o]!;
        }
  }
  return y;
}

describe.each(['cpu', 'wasm'] as const)('style layers on %s', (backend) => {
  const make = builtOn(backend, 'style');

  it.each([true, false])(
    'modulatedConv2d (demodulate %s) matches per-example weights in float64',
    (demodulate) => {
      const layer = modulatedConv2d({ filters: 4, kernelSize: 3, styleDim: 5, demodulate });
      const m = make(layer, [5, 5, 3]);
      expect(m.rows[0]).toMatchObject({ kind: 'ModulatedConv2D', trainable: 5 * 3 + 3 + 3 * 3 * 3 * 4 + 4 });
      expect(m.outputShape).toEqual([5, 5, 4]);
      tf.tidy(() => {
        leaf(m.params, 'bias').assign(tf.tensor1d([0.1, -0.2, 0.3, 0]));
        const x = input([2, 5, 5, 3], 2);
        const style = input([2, 5], 3, -2, 2);
        const y = data(layer.apply(m.params, m.state, x, { training: false, style }).y);
        const s = affine64(
          data(style),
          data(leaf(m.params, 'affine/kernel')),
          data(leaf(m.params, 'affine/bias')),
          2,
          5,
        );
        const ref = modConv64(
          data(x),
          [2, 5, 5, 3],
          data(leaf(m.params, 'kernel')),
          [3, 3, 3, 4],
          s,
          demodulate,
        );
        const withBias = ref.map((v, i) => v + [0.1, -0.2, 0.3, 0][i % 4]!);
        expect(maxRelativeError(y, withBias)).toBeLessThan(1e-5);
      });
    },
  );

  it('demodulation keeps unit output variance for unit-variance inputs, whatever the style and kernel scale', () => {
    const filters = 8;
    const results: Record<string, number[]> = {};
    for (const demodulate of [true, false]) {
      const layer = modulatedConv2d({ filters, kernelSize: 3, styleDim: 4, demodulate, padding: 'valid' });
      const m = make(layer, [20, 20, 8], 4);
      tf.tidy(() => {
        leaf(m.params, 'kernel').assign(tf.mul(leaf(m.params, 'kernel'), 3)); // far from the initial scale
        const x = gaussian([8, 20, 20, 8], 5); // i.i.d. N(0, 1)
        const style = input([8, 4], 6, -3, 3);
        const { y } = layer.apply(m.params, m.state, x, { training: false, style });
        results[String(demodulate)] = data(tf.mean(tf.square(y), [1, 2])); // E[y²] per example and channel
      });
    }
    const perChannel = results.true!;
    const overall = perChannel.reduce((a, b) => a + b, 0) / perChannel.length;
    expect(Math.abs(overall - 1)).toBeLessThan(0.05); // 8·18·18·8 outputs
    for (const v of perChannel) expect(Math.abs(v - 1)).toBeLessThan(0.4); // 324 correlated outputs each
    // without demodulation the same layer's variance follows the style and kernel: far from 1
    const raw = results.false!.reduce((a, b) => a + b, 0) / perChannel.length;
    expect(raw).toBeGreaterThan(4);
  });

  it('adain: per example and channel, the output has mean b(w) and standard deviation s(w)', () => {
    const layer = adain({ styleDim: 3 });
    const m = make(layer, [6, 6, 2]);
    expect(m.rows[0]!.trainable).toBe(3 * 4 + 4);
    tf.tidy(() => {
      leaf(m.params, 'bias').assign(tf.tensor1d([1.5, -0.5, 0.25, 2]));
      const x = input([2, 6, 6, 2], 7, -3, 5);
      const style = input([2, 3], 8);
      const { y } = layer.apply(m.params, m.state, x, { training: false, style });
      const { mean, variance } = tf.moments(y, [1, 2]);
      const sb = affine64(data(style), data(leaf(m.params, 'kernel')), [1.5, -0.5, 0.25, 2], 2, 3);
      const means = data(mean);
      const stds = data(tf.sqrt(variance));
      for (let b = 0; b < 2; b++)
        for (let c = 0; c < 2; c++) {
          expect(means[b * 2 + c]).toBeCloseTo(sb[b]![2 + c]!, 4);
          expect(stds[b * 2 + c]).toBeCloseTo(Math.abs(sb[b]![c]!), 3); // ε = 1e-5 against a variance ≈ 5
        }
      // per-layer styles need styleAt to pick one
      expect(() =>
        layer.apply(m.params, m.state, x, { training: false, style: tf.zeros([2, 3, 3]) }),
      ).toThrow(/wrap the layer in styleAt/);
    });
  });

  it('styleAt picks its layer’s style from [batch, layers, styleDim] and passes [batch, styleDim] through', () => {
    const conv = modulatedConv2d({ filters: 2, kernelSize: 1, styleDim: 3 });
    const layer = sequential([styleAt(1, conv), styleAt(0, adain({ styleDim: 3 }))]);
    const m = make(layer, [2, 2, 2]);
    expect(m.rows.map((r) => r.kind)).toEqual(['ModulatedConv2D', 'AdaIN']);
    tf.tidy(() => {
      const x = input([2, 2, 2, 2], 9);
      const styles = input([2, 2, 3], 10);
      const y = data(layer.apply(m.params, m.state, x, { training: false, style: styles }).y);
      const [w0, w1] = tf.unstack(styles, 1) as [tf.Tensor2D, tf.Tensor2D];
      const p = m.params as { modulated_conv2d: ParamTree; ada_in: ParamTree };
      const h = conv.apply(p.modulated_conv2d, {}, x, { training: false, style: w1 }).y;
      const expected = adain({ styleDim: 3 }).apply(p.ada_in, {}, h, { training: false, style: w0 }).y;
      expect(maxRelativeError(y, data(expected))).toBeLessThan(1e-6);
      const swapped = layer.apply(m.params, m.state, x, { training: false, style: tf.reverse(styles, 1) }).y;
      expect(maxRelativeError(data(swapped), y)).toBeGreaterThan(1e-3);
      // one w for every layer
      const shared = data(layer.apply(m.params, m.state, x, { training: false, style: w0 }).y);
      const stacked = tf.stack([w0, w0], 1);
      expect(data(layer.apply(m.params, m.state, x, { training: false, style: stacked }).y)).toEqual(shared);
      expect(() =>
        styleAt(2, conv).apply(p.modulated_conv2d, {}, x, { training: false, style: styles }),
      ).toThrow(/index 2 is out of range for ctx.style's 2 styles/);
    });
  });

  it('constantInput repeats a learned N(0, 1) tensor for each example; its gradient sums over the batch', () => {
    const layer = constantInput({ shape: [4, 4, 3] });
    const m = make(layer, [7]);
    expect(m.outputShape).toEqual([4, 4, 3]);
    expect(m.rows[0]!.trainable).toBe(48);
    const constant = leaf(m.params, 'constant');
    tf.tidy(() => {
      const { y } = layer.apply(m.params, m.state, input([3, 7], 11), { training: false });
      expect(y.shape).toEqual([3, 4, 4, 3]);
      const c = data(constant);
      expect(data(y)).toEqual([...c, ...c, ...c]);
      const r = input([3, 4, 4, 3], 12);
      const g = tf.grad((k: tf.Tensor) =>
        tf.sum(
          tf.mul(layer.apply({ constant: k as tf.Variable }, {}, tf.zeros([3, 7]), { training: false }).y, r),
        ),
      )(constant);
      expect(maxRelativeError(data(g), data(tf.sum(r, 0)))).toBeLessThan(1e-6);
    });
  });

  it('noiseInjection: strength 0 at init (output = input); the noise follows ctx.rng', () => {
    const layer = noiseInjection();
    const m = make(layer, [4, 4, 2]);
    tf.tidy(() => {
      const x = input([2, 4, 4, 2], 13);
      expect(data(layer.apply(m.params, m.state, x, { training: true, rng: 1 }).y)).toEqual(data(x));
      leaf(m.params, 'weight').assign(tf.tensor1d([0.5, 1]));
      const a = data(layer.apply(m.params, m.state, x, { training: true, rng: 1 }).y);
      const b = data(layer.apply(m.params, m.state, x, { training: true, rng: 1 }).y);
      const c = data(layer.apply(m.params, m.state, x, { training: true, rng: 2 }).y);
      expect(a).toEqual(b);
      expect(maxRelativeError(c, a)).toBeGreaterThan(0.1);
      // one noise map per example, shared by the channels and scaled by each channel's strength
      const xs = data(x);
      for (let i = 0; i < a.length; i += 2)
        expect(2 * (a[i]! - xs[i]!)).toBeCloseTo(a[i + 1]! - xs[i + 1]!, 5);
      expect(() => layer.apply(m.params, m.state, x, { training: false })).toThrow(/ctx.rng/);
      // sharedNoise: every example gets the map a batch of one draws (the two examples' maps differ without it)
      const shared = data(layer.apply(m.params, m.state, x, { training: true, rng: 1, sharedNoise: true }).y);
      const first = tf.slice(x, [0], [1]);
      const alone = data(layer.apply(m.params, m.state, first, { training: true, rng: 1 }).y);
      const half = alone.length;
      const noiseOf = (out: number[], at: number) =>
        Array.from({ length: half }, (_, i) => out[at + i]! - xs[at + i]!);
      expect(shared.slice(0, half)).toEqual(alone);
      expect(maxRelativeError(noiseOf(shared, half), noiseOf(alone, 0))).toBeLessThan(1e-5);
      expect(maxRelativeError(noiseOf(a, half), noiseOf(a, 0))).toBeGreaterThan(0.1);
    });
  });
});
