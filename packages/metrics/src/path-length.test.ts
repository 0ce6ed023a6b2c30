import { useBackend } from '@gankit/backends';
import { normal } from '@gankit/datasets';
import {
  build,
  dense,
  disposeTree,
  foldIn,
  gaussian,
  reshape,
  rngFromSeed,
  sequential,
  uniformStream,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeatureExtractor, loadShippedExtractor } from './extractors.js';
import { type PathLengthOptions, perceptualPathLength, trimmedMean } from './path-length.js';

let mnist: FeatureExtractor;

beforeAll(async () => {
  await useBackend('wasm');
  mnist = await loadShippedExtractor('mnist');
}, 120_000);
afterAll(() => {
  mnist?.dispose();
});

/** The images themselves as features: d is the squared L2 distance between images. */
const pixels = (shape: [number, number, number]): PathLengthOptions['extractor'] => ({
  name: 'pixels',
  version: '1',
  inputShape: shape,
  features: (images) => tf.reshape(images, [images.shape[0], -1]),
});

/** A seeded `[rows, cols]` Gaussian matrix, row-major in float64. */
const matrix = (rows: number, cols: number, seed: number, scale = 1) => {
  const g = normal(seed);
  return Float64Array.from({ length: rows * cols }, () => scale * g());
};

/** x `[n, k]` · Mᵀ for M `[m, k]` in float64. */
const times = (m: Float64Array, rows: number, x: ArrayLike<number>) => {
  const k = x.length;
  return Float64Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let j = 0; j < k; j++) s += m[r * k + j]! * x[j]!;
    return s;
  });
};

/** A linear map as a tfjs function: `[n, k]` → `[n, m]`. */
const linear = (m: Float64Array, rows: number, cols: number) => {
  const mt = tf.tensor2d(Float32Array.from(m), [rows, cols]);
  return {
    apply: (x: tf.Tensor2D): tf.Tensor2D => tf.matMul(x, mt, false, true),
    dispose: () => mt.dispose(),
  };
};

const sq = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
};

/** Every z drawn, in call order (pair i: rows 2i and 2i + 1), by the default N(0, I). */
function recordingLatents() {
  const drawn: Float64Array[] = [];
  const sampleLatent = (random: () => number, d: number) => {
    const z = new Float64Array(d);
    for (let j = 0; j < d; j++) z[j] = gaussian(random);
    drawn.push(z);
    return z;
  };
  return { drawn, sampleLatent };
}

/** t of pair i: the first draw of its stream. */
const tOf = (seed: number, i: number) => uniformStream(foldIn(rngFromSeed(seed), i))();

describe('perceptual path length', () => {
  it('in W, a linear generator G(w) = A w scores ‖A(w₂ − w₁)‖² per pair, whatever t and ε', async () => {
    // (1/ε²)‖A(w₁ + (t + ε)(w₂ − w₁)) − A(w₁ + t(w₂ − w₁))‖² = ‖A(w₂ − w₁)‖²: no truncation error, so what is left is
    // float32 rounding, which shrinks as ε grows.
    const [zDim, wDim] = [8, 6];
    const B = matrix(wDim, zDim, 1, 0.5);
    const A = matrix(16, wDim, 2, 0.3);
    const map = linear(B, wDim, zDim);
    const synth = linear(A, 16, wDim);
    const pairs = 300;
    const expected = (drawn: Float64Array[]) =>
      Array.from({ length: pairs }, (_, i) =>
        sq(times(A, 16, times(B, wDim, drawn[2 * i + 1]!)), times(A, 16, times(B, wDim, drawn[2 * i]!))),
      );
    const before = tf.memory().numTensors;
    for (const [epsilon, tolerance, sampling] of [
      [1e-2, 1e-5, 'full'],
      [1e-4, 2e-3, 'full'],
      [1e-2, 1e-5, 'end'], // t = 0: the same, as t does not matter
    ] as const) {
      const { drawn, sampleLatent } = recordingLatents();
      const [r] = await perceptualPathLength({
        generator: { map: map.apply, synthesize: (w) => tf.reshape(synth.apply(w), [-1, 4, 4, 1]) },
        space: 'w',
        latentDim: zDim,
        extractor: pixels([4, 4, 1]),
        pairs,
        epsilon,
        sampling,
        seed: 5,
        batchSize: 64,
        sampleLatent,
      });
      const want = expected(drawn);
      const raw = want.reduce((s, v) => s + v, 0) / pairs;
      expect(r!.metric).toBe('ppl-w');
      expect(Math.abs(r!.details!.mean! / raw - 1)).toBeLessThan(tolerance);
      expect(Math.abs(r!.value / trimmedMean(want, 0.01).mean - 1)).toBeLessThan(tolerance);
      // numpy's lower 1st percentile is sorted[⌊0.01 · 299⌋ = 2], its higher 99th sorted[⌈296.01⌉ = 297]: 2 + 2 left out
      expect(r!.details).toMatchObject({ pairs, kept: pairs - 4 });
      expect(r!.samples).toEqual({ generated: 2 * pairs });
      expect(r!.settings).toMatchObject({ space: 'w', interpolation: 'lerp', epsilon, sampling });
    }
    expect(tf.memory().numTensors).toBe(before);
    map.dispose();
    synth.dispose();
  });

  it('in Z, slerp through a nonlinear generator matches a float64 reference', async () => {
    // G(z) = tanh(A z): the reference walks the same path (direction slerped, norm lerped) in float64.
    const zDim = 5;
    const A = matrix(9, zDim, 3, 0.4);
    const synth = linear(A, 9, zDim);
    const [pairs, seed, epsilon] = [200, 11, 1e-3];
    const { drawn, sampleLatent } = recordingLatents();
    const [r] = await perceptualPathLength({
      generator: { synthesize: (z) => tf.reshape(tf.tanh(synth.apply(z)), [-1, 3, 3, 1]) },
      space: 'z',
      latentDim: zDim,
      extractor: pixels([3, 3, 1]),
      pairs,
      epsilon,
      trim: 0,
      seed,
      sampleLatent,
    });
    const g = (z: Float64Array) => times(A, 9, z).map(Math.tanh);
    const norm = (v: Float64Array) => Math.hypot(...v);
    const along = (a: Float64Array, b: Float64Array, t: number) => {
      const [ua, ub] = [a.map((x) => x / norm(a)), b.map((x) => x / norm(b))];
      const omega = Math.acos(ua.reduce((s, x, j) => s + x * ub[j]!, 0));
      // Shoemake's slerp of the unit vectors (the rotation by tΩ), scaled by the lerped norm.
      const [wa, wb] = [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)];
      const n = (1 - t) * norm(a) + t * norm(b);
      return ua.map((x, j) => n * (wa * x + wb * ub[j]!));
    };
    const want = Array.from({ length: pairs }, (_, i) => {
      const [a, b, t] = [drawn[2 * i]!, drawn[2 * i + 1]!, tOf(seed, i)];
      return sq(g(along(a, b, t)), g(along(a, b, t + epsilon))) / epsilon ** 2;
    });
    const raw = want.reduce((s, v) => s + v, 0) / pairs;
    expect(r!.metric).toBe('ppl-z');
    expect(r!.value).toBe(r!.details!.mean);
    expect(Math.abs(r!.value / raw - 1)).toBeLessThan(1e-3);
    // and pair by pair: with 'end' sampling t = 0 for every pair
    expect(r!.settings).toMatchObject({ interpolation: 'slerp', trim: 0 });
    synth.dispose();
  });

  it('does not depend on the batch size, and keeps no tensors', async () => {
    const A = linear(matrix(16, 4, 4), 16, 4);
    const options = {
      generator: { synthesize: (z: tf.Tensor2D) => tf.reshape(tf.sigmoid(A.apply(z)), [-1, 4, 4, 1]) },
      space: 'z',
      latentDim: 4,
      extractor: pixels([4, 4, 1]),
      pairs: 90,
      epsilon: 1e-2,
      seed: 2,
    } satisfies PathLengthOptions;
    const before = tf.memory().numTensors;
    const [a] = await perceptualPathLength({ ...options, batchSize: 7 });
    const [b] = await perceptualPathLength({ ...options, batchSize: 90 });
    expect(tf.memory().numTensors).toBe(before);
    expect(b!.value).toBeCloseTo(a!.value, 4);
    A.dispose();
  });

  it('a constant generator scores 0 with the shipped classifier, in W and in Z', async () => {
    const synthesize = (w: tf.Tensor2D) =>
      tf.add<tf.Tensor4D>(
        tf.fill([w.shape[0], 28, 28, 1], 0.3),
        tf.mul(0, tf.reshape(tf.sum(w, 1), [-1, 1, 1, 1])),
      );
    for (const space of ['w', 'z'] as const) {
      const [r] = await perceptualPathLength({
        generator: { map: (z) => tf.mul(z, 2), synthesize },
        space,
        latentDim: 3,
        extractor: mnist,
        pairs: 40,
      });
      expect(r!.value).toBe(0);
      expect(r!.details!.mean).toBe(0);
      expect(r!.extractor!.name).toBe('gankit-mnist-classifier');
    }
  });

  it('a generator with a sharp transition scores higher than a smooth one (its raw mean far higher); a true step is filtered out', async () => {
    // A blob whose brightness is sigmoid(k · a·z): k = 1 changes slowly along every path, k = 25 flips within a thin
    // slab of Z that a few % of the steps cross. At k = 200 the slab is crossed by fewer than 1 % of the steps and
    // the rest see saturated (identical) images: the percentile filter drops the jumps, and only the raw mean
    // shows them — the filtering measures how smooth typical paths are, not how rare their jumps are. The filtered
    // value of k = 25 depends on how many of its few crossings the filter keeps (1.5–18× k = 1's over seeds 1–5 at
    // 1,000 pairs); the raw means and the filtered step are far apart at every seed tried.
    const a = tf.tensor2d(Float32Array.from(matrix(4, 1, 7)), [4, 1]);
    const blob = tf.tensor4d(
      Float32Array.from({ length: 784 }, (_, p) =>
        Math.exp(-(((p % 28) - 14) ** 2 + (Math.floor(p / 28) - 14) ** 2) / 30),
      ),
      [1, 28, 28, 1],
    );
    const ppl = async (k: number) =>
      (
        await perceptualPathLength({
          generator: {
            synthesize: (z) =>
              tf.mul(blob, tf.reshape(tf.sigmoid(tf.mul(k, tf.matMul(z, a))), [-1, 1, 1, 1])),
          },
          space: 'z',
          latentDim: 4,
          extractor: mnist,
          pairs: 1000,
          epsilon: 1e-3,
          seed: 3,
        })
      )[0]!;
    const smooth = await ppl(1); // 165 (raw mean 190)
    const sharp = await ppl(25); // 258 (raw mean 2447)
    const step = await ppl(200); // 0.0005 (raw mean 523)
    expect(smooth.value).toBeGreaterThan(0);
    expect(sharp.value).toBeGreaterThan(smooth.value);
    expect(sharp.details!.mean).toBeGreaterThan(4 * smooth.details!.mean!);
    expect(step.value).toBeLessThan(0.01 * smooth.value);
    expect(step.details!.mean).toBeGreaterThan(2 * smooth.details!.mean!);
    tf.dispose([a, blob]);
  }, 60_000);

  it('ε: 1e-4 agrees with 1e-3 and 1e-2 on the shipped classifier, and float32 rounding only takes over below 1e-5', async () => {
    // An untrained dense generator z (16) → sigmoid images; the numbers for the demo's trained DCGAN are in the
    // README. Same pairs and t at every ε: the differences are truncation (O(ε)) and rounding (≈ N/ε²).
    const layer = sequential([dense({ units: 784, activation: 'sigmoid' }), reshape([28, 28, 1])]);
    const g = build(layer, { name: 'eps-generator', inputShape: [16], seed: 4 });
    const at = async (epsilon: number) =>
      (
        await perceptualPathLength({
          generator: {
            synthesize: (z) => layer.apply(g.params, g.state, z, { training: false }).y as tf.Tensor4D,
          },
          space: 'z',
          latentDim: 16,
          extractor: mnist,
          pairs: 200,
          epsilon,
          seed: 9,
        })
      )[0]!.value;
    const [e2, e3, e4, e6] = [await at(1e-2), await at(1e-3), await at(1e-4), await at(1e-6)];
    // measured: 4.1369, 4.1456, 4.1623, 45.83 (1e-5: 5.22, 1e-7: 3009)
    expect(Math.abs(e3 / e2 - 1)).toBeLessThan(0.005); // truncation: +0.2 % from 1e-2 to 1e-3
    expect(Math.abs(e4 / e3 - 1)).toBeLessThan(0.01); // rounding: +0.4 % from 1e-3 to 1e-4
    // rounding adds N/ε²: N from the 1e-6 run (4e-11) puts its share at 1e-4 under 1 %
    const n = (e6 - e3) * 1e-12;
    expect(n).toBeGreaterThan(1e-12);
    expect(n / 1e-8 / e4).toBeLessThan(0.01);
    disposeTree(g.params);
  }, 60_000);

  it('refuses bad input with a clear message', async () => {
    const base: PathLengthOptions = {
      generator: { synthesize: (z) => tf.reshape(z, [-1, 2, 2, 1]) },
      space: 'z',
      latentDim: 4,
      extractor: pixels([2, 2, 1]),
      pairs: 4,
    };
    const fails = (o: Partial<PathLengthOptions>, message: RegExp) =>
      expect(perceptualPathLength({ ...base, ...o })).rejects.toThrow(message);
    await fails({ pairs: 0 }, /pairs must be a positive integer, got 0/);
    await fails({ pairs: -3 }, /pairs must be a positive integer/);
    await fails({ pairs: 2.5 }, /pairs must be a positive integer/);
    await fails({ epsilon: 0 }, /epsilon must be in \(0, 1\), got 0/);
    await fails({ epsilon: -1e-4 }, /epsilon must be in/);
    await fails({ epsilon: Number.NaN }, /epsilon must be in/);
    await fails({ space: 'w' }, /space 'w' needs the generator's mapping network.*measure it in 'z'/);
    await fails({ space: 'x' as 'z' }, /space must be 'z' or 'w', got 'x'/);
    await fails({ trim: 0.5 }, /trim must be in \[0, 0.5\)/);
    await fails({ batchSize: 0 }, /batchSize must be a positive integer/);
    await fails({ latentDim: 0 }, /latentDim must be a positive integer/);
    await fails(
      { extractor: pixels([28, 28, 1]) },
      /pixels expects \[8, 28, 28, 1\] images; synthesize gave \[8,2,2,1\]/,
    );
    await fails({ generator: { synthesize: () => tf.fill([8, 2, 2, 1], Number.NaN) } }, /not finite \(NaN\)/);
    const before = tf.memory().numTensors;
    await fails({ extractor: pixels([28, 28, 1]) }, /expects/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trimmedMean keeps the values between numpy’s lower 1st and higher 99th percentiles', () => {
    const values = Array.from({ length: 201 }, (_, i) => i); // percentile 1 → index 2, percentile 99 → index 198
    const r = trimmedMean(values, 0.01);
    expect(r).toMatchObject({ low: 2, high: 198, kept: 197, mean: 100 });
    expect(trimmedMean([5, 1, 3], 0).mean).toBe(3);
  });
});
