import { useBackend } from '@gankit/backends';
import { type ApplyCtx, flattenTree, mapTree, type ParamTree, replaceState, splitRng } from '@gankit/layers';
import { checkGradients, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instantiate, type Network } from './network.js';
import { exportGenerator, GENERATOR_FORMAT, loadGenerator } from './spec.js';
import {
  averageStyle,
  mixingCrossover,
  mixStyles,
  styleSpaceOf,
  stylesOf,
  synthesize,
  truncateStyles,
  updateAverage,
} from './style-space.js';
import { stylegan } from './stylegan.js';

const SMALL = { latentDim: 8, styleDim: 8, mappingLayers: 2, gFilters: [8, 8, 4, 4], dFilters: [4, 4, 8] };
const data = (t: tf.Tensor) => Array.from(t.dataSync());
const z = (n: number, seed: number, dim = 8) => tf.tensor2d(seededUniform(n * dim, seed, -2, 2), [n, dim]);

let built: Network[] = [];
let before = 0;
beforeAll(async () => {
  await useBackend('cpu');
});
beforeEach(() => {
  built = [];
  before = tf.memory().numTensors;
});
afterEach(() => {
  for (const n of built) n.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
/** Noise strengths start at 0, where the noise is invisible: G's parameters with strengths that tests see. */
const withNoise = (g: Network): ParamTree =>
  mapTree(g.params, (t, path) =>
    path.endsWith('noise/weight') ? tf.keep(tf.tensor(seededUniform(t.size, 3, 0.2, 0.8))) : t,
  ) as ParamTree;
const disposeNoise = (p: ParamTree) =>
  tf.dispose(
    flattenTree(p)
      .filter(([path]) => path.endsWith('noise/weight'))
      .map(([, t]) => t),
  );
const make = (options = {}, seed = 1) => {
  const gan = stylegan({ ...SMALL, ...options });
  const g = instantiate(gan.generator, seed);
  const d = instantiate(gan.discriminator, seed + 1);
  built.push(g, d);
  return { gan, g, d, space: styleSpaceOf(gan.generator)! };
};

describe('stylegan: shapes and initial values', () => {
  it.each([
    ['modulated', 28],
    ['adain', 28],
    ['modulated', 32],
  ] as const)('%s %i: G makes images of the data shape, D one logit each; 8 styles', (variant, imageSize) => {
    const { gan, g, d, space } = make({ variant, imageSize });
    expect(space.count).toBe(8);
    expect(gan.dataShape).toEqual([imageSize, imageSize, 1]);
    tf.tidy(() => {
      const x = g.apply(g.params, g.state, z(4, 1), { training: false, rng: 3 }).out.images!;
      expect(x.shape).toEqual([4, imageSize, imageSize, 1]);
      expect(data(x).every(Number.isFinite)).toBe(true);
      expect(d.apply(d.params, d.state, x, { training: false }).out.logits!.shape).toEqual([4, 1]);
    });
  });

  it('noise strengths start at 0, w̄ at 0 (in state, not trainable), the mapping has learning-rate multiplier 0.01', () => {
    const { g } = make();
    const noise = flattenTree(g.params).filter(([p]) => p.endsWith('noise/weight'));
    expect(noise.length).toBe(7); // one per synthesis convolution
    for (const [, t] of noise) expect(data(t).every((v) => v === 0)).toBe(true);
    expect(Object.keys(g.state)).toEqual(['wAvg']);
    expect(data(averageStyle(g))).toEqual(new Array(8).fill(0));
    // equalized with λ = 0.01: the stored kernel is N(0, 1)/λ, so its values are ~100
    const kernel = flattenTree(g.params).find(([p]) => p.includes('mapping') && p.endsWith('kernel'))![1];
    const rms = Math.sqrt(data(kernel).reduce((s, v) => s + v * v, 0) / kernel.size);
    expect(rms).toBeGreaterThan(50);
    expect(rms).toBeLessThan(200);
  });

  it("input 'style': the 4×4 input is a dense map of layer 0's w (no constant); output 'last': one toRGB", () => {
    const { g } = make({ input: 'style', output: 'last' });
    const paths = flattenTree(g.params).map(([p]) => p);
    expect(paths.some((p) => p.endsWith('const/constant'))).toBe(false);
    expect(paths.filter((p) => p.includes('b4/const/')).map((p) => p.split('/').at(-1))).toEqual([
      'kernel',
      'bias',
    ]);
    const toRgb = paths.filter((p) => p.includes('torgb'));
    expect(toRgb.length).toBeGreaterThan(0);
    expect(toRgb.every((p) => p.includes('/b28/'))).toBe(true);
    // Layer 0's w reaches the input and conv 0 only; with conv 0's affine kernel at 0 its modulation ignores w, so
    // another w at layer 0 moves the image through the input alone — and not at all with the learned constant.
    const moved = (net: Network) =>
      tf.tidy(() => {
        const params = mapTree(net.params, (t, path) =>
          path.endsWith('b4/conv/modulated_conv2d/affine/kernel') ? tf.zerosLike(t) : t,
        ) as ParamTree;
        const ws = tf.tensor3d(seededUniform(2 * 8 * 8, 4, -1, 1), [2, 8, 8]);
        const other = tf.concat(
          [tf.tensor3d(seededUniform(2 * 8, 9, -1, 1), [2, 1, 8]), tf.slice(ws, [0, 1, 0])],
          1,
        ) as tf.Tensor3D;
        const a = synthesize(net, params, ws, 5);
        expect(a.shape).toEqual([2, 28, 28, 1]);
        return tf.max(tf.abs(tf.sub(a, synthesize(net, params, other, 5)))).dataSync()[0]!;
      });
    expect(moved(g)).toBeGreaterThan(1e-3);
    expect(moved(make({ input: 'constant', output: 'last' }).g)).toBe(0);
  });

  it('refuses bad options with the option named', () => {
    expect(() => stylegan({ input: 'latent' as 'style' })).toThrow(/input must be 'constant' or 'style'/);
    expect(() => stylegan({ output: 'orig' as 'last' })).toThrow(/output must be 'skip' or 'last'/);
    expect(() => stylegan({ mappingLayers: 1 })).toThrow(/mappingLayers must be an integer from 2 to 8/);
    expect(() => stylegan({ mixing: 1.5 })).toThrow(/mixing must be in \[0, 1\]/);
    expect(() => stylegan({ imageSize: 64 as 28 })).toThrow(/imageSize must be 28 or 32/);
    expect(() => stylegan({ gFilters: [8, 8] })).toThrow(/gFilters needs 4 numbers/);
  });
});

describe('style mixing, w̄ and truncation', () => {
  it('mixing picks the crossover layer: layers before it take w(z), the rest w(z₂) of the second latent', () => {
    const { g, space } = make();
    // an rng whose draw mixes, and one whose draw does not (probability 0.9)
    const rngs = Array.from({ length: 40 }, (_, i) => 1000 + i);
    const mixed = rngs.filter((r) => mixingCrossover(splitRng(r, 2)[0]!, 0.9, 8) < 8);
    expect(mixed.length).toBeGreaterThan(25);
    expect(mixed.length).toBeLessThan(40);
    const crossovers = new Set(mixed.map((r) => mixingCrossover(splitRng(r, 2)[0]!, 0.9, 8)));
    expect(crossovers.size).toBeGreaterThan(3); // uniform over 1 … 7
    for (const c of crossovers) expect(c >= 1 && c <= 7).toBe(true);
    const rng = mixed[0]!;
    const [rMix, rZ] = splitRng(rng, 2);
    const crossover = mixingCrossover(rMix!, 0.9, 8);
    tf.tidy(() => {
      const z1 = z(3, 7);
      const r = space.styles(g.params, g.state, z1, { training: true, rng });
      (r.state.wAvg as tf.Tensor).dispose();
      const w1 = stylesOf(g, g.params, z1);
      const w2 = stylesOf(g, g.params, tf.randomNormal([3, 8], 0, 1, 'float32', rZ!));
      const at = (t: tf.Tensor, layer: number) => data(tf.slice(t, [0, layer, 0], [3, 1, 8]));
      for (let layer = 0; layer < 8; layer++) {
        const want = layer < crossover ? at(w1, layer) : at(w2, layer);
        const other = layer < crossover ? at(w2, layer) : at(w1, layer);
        expect(at(r.ws, layer)).toEqual(want);
        expect(at(r.ws, layer)).not.toEqual(other);
      }
      // no mixing in inference, nor with probability 0
      expect(data(space.styles(g.params, g.state, z1, { training: false, rng }).ws)).toEqual(data(w1));
    });
  });

  it('mixStyles joins two sets of styles at a layer; a bad crossover is refused', () => {
    tf.tidy(() => {
      const a = tf.ones([2, 4]);
      const b = tf.zeros([2, 4]);
      expect(Array.from(mixStyles(a, b, 3, 2).dataSync())).toEqual([
        ...new Array(8).fill(1),
        0,
        0,
        0,
        0,
        ...new Array(8).fill(1),
        0,
        0,
        0,
        0,
      ]);
      expect(() => mixStyles(a, b, 3, 4)).toThrow(/crossover must be an integer from 0 to 3/);
    });
  });

  it('w̄ ← 0.995·w̄ + 0.005·mean(w) in training; unchanged in inference', () => {
    const { g, space } = make();
    tf.tidy(() => {
      const z1 = z(5, 2);
      const w = tf.slice(stylesOf(g, g.params, z1), [0, 0, 0], [5, 1, 8]).reshape([5, 8]);
      const start = tf.tensor1d(seededUniform(8, 4));
      const state = { wAvg: start };
      const r = space.styles(g.params, state, z1, { training: true, rng: 5 });
      const want = data(start).map((v, i) => 0.995 * v + 0.005 * data(tf.mean(w, 0))[i]!);
      const got = data(r.state.wAvg as tf.Tensor);
      for (const [i, v] of got.entries()) expect(v).toBeCloseTo(want[i]!, 6);
      expect(data(updateAverage(start, w, 0.995))).toEqual(got);
      expect(space.styles(g.params, state, z1, { training: false }).state.wAvg).toBe(start);
      (r.state.wAvg as tf.Tensor).dispose();
      // through the network: the state it hands back carries the new w̄
      const out = g.apply(g.params, g.state, z1, { training: true, rng: 5 });
      expect(out.state.wAvg).not.toBe(g.state.wAvg);
      (out.state.wAvg as tf.Tensor).dispose();
    });
  });

  it('truncation: ψ = 0 gives w̄, ψ = 1 leaves w, only the first `layers` move; ψ outside [0, 1] is refused', () => {
    const { g } = make();
    const wAvg = tf.tensor1d(seededUniform(8, 11));
    g.state = replaceState(g.state, { wAvg });
    tf.tidy(() => {
      const z1 = z(2, 3);
      const ws = stylesOf(g, g.params, z1);
      const zero = stylesOf(g, g.params, z1, { psi: 0 });
      for (let n = 0; n < 2; n++)
        for (let l = 0; l < 8; l++) expect(data(tf.slice(zero, [n, l, 0], [1, 1, 8]))).toEqual(data(wAvg));
      expect(data(stylesOf(g, g.params, z1, { psi: 1 }))).toEqual(data(ws));
      const half = truncateStyles(ws, wAvg, 0.5, 3);
      const at = (t: tf.Tensor, l: number) => data(tf.slice(t, [0, l, 0], [1, 1, 8]));
      for (const [i, v] of at(half, 2).entries())
        expect(v).toBeCloseTo((at(ws, 2)[i]! + data(wAvg)[i]!) / 2, 5);
      expect(at(half, 3)).toEqual(at(ws, 3));
      expect(() => truncateStyles(ws, wAvg, 1.5)).toThrow(/ψ must be in \[0, 1\], got 1.5/);
      expect(() => truncateStyles(ws, wAvg, -0.1)).toThrow(/ψ must be in \[0, 1\]/);
      // ψ = 0: every latent draws the same image (noise fixed)
      const images = synthesize(g, g.params, zero, 4);
      expect(data(tf.slice(images, [0], [1]))).toEqual(data(tf.slice(images, [1], [1])));
    });
  });

  it('synthesize(stylesOf(z)) is what the network draws from z, noise included; each style reaches its layer', () => {
    const { g } = make();
    const p = withNoise(g);
    tf.tidy(() => {
      const z1 = z(2, 5);
      const direct = g.apply(p, g.state, z1, { training: false, rng: 9 }).out.images!;
      expect(data(synthesize(g, p, stylesOf(g, p, z1), 9))).toEqual(data(direct));
      expect(data(synthesize(g, p, stylesOf(g, p, z1), 10))).not.toEqual(data(direct));
      // changing only the first style (4×4) or only the last (the last toRGB) changes the image
      const ws = stylesOf(g, p, z1);
      const other = stylesOf(g, p, z(2, 6));
      for (const c of [1, 7]) {
        const mixed = synthesize(g, p, mixStyles(ws, other, 8, c), 1);
        expect(data(mixed)).not.toEqual(data(synthesize(g, p, ws, 1)));
      }
    });
    disposeNoise(p);
  });

  it('exportGenerator → loadGenerator carries w̄: the same images for the same latents and ψ', async () => {
    const { g } = make({ variant: 'adain' });
    const p = withNoise(g);
    g.state = replaceState(g.state, { wAvg: tf.tensor1d(seededUniform(8, 12)) });
    const model = { family: 'stylegan' as const, options: { ...SMALL, variant: 'adain' as const } };
    const bytes = await exportGenerator(
      { params: p, state: g.state },
      {
        format: GENERATOR_FORMAT,
        model,
        architecture: 'stylegan-28',
        latentDim: 8,
        dataShape: [28, 28, 1],
        ema: false,
        steps: 0,
      },
    );
    const loaded = loadGenerator(bytes).network;
    built.push(loaded);
    expect(data(averageStyle(loaded))).toEqual(data(averageStyle(g)));
    tf.tidy(() => {
      const z1 = z(3, 8);
      const draw = (n: Network, params: ParamTree) =>
        data(synthesize(n, params, stylesOf(n, params, z1, { psi: 0.6 }), 2));
      expect(draw(loaded, loaded.params)).toEqual(draw(g, p));
      expect(draw(loaded, loaded.params)).not.toEqual(draw(g, g.params)); // the noise strengths came along
    });
    disposeNoise(p);
  });
});

describe('R1 through the StyleGAN D (cpu): second-order gradients match finite differences', () => {
  it('every parameter tensor of the residual D with minibatch stddev', async () => {
    const gan = stylegan({ ...SMALL, dFilters: [2, 3, 4] });
    const d = instantiate(gan.discriminator, 3);
    built.push(d);
    const leaves = flattenTree(d.params).map(([, t]) => t);
    const real = tf.tensor(seededUniform(4 * 28 * 28, 1), [4, 28, 28, 1]);
    const ctx: ApplyCtx = { training: false };
    const f = (...values: tf.Tensor[]) => {
      let i = 0;
      const params = mapTree(d.params, () => values[i++]!) as ParamTree;
      const g = tf.grad((x: tf.Tensor) => tf.sum(d.apply(params, d.state, x, ctx).out.logits!))(real);
      return tf.mul(tf.mean(tf.sum(tf.square(tf.reshape(g, [4, -1])), 1)), 5) as tf.Scalar;
    };
    const penalty = tf.tidy(() => f(...leaves));
    expect((await penalty.data())[0]).toBeGreaterThan(1e-3);
    penalty.dispose();
    const r = await checkGradients(f, leaves, { samples: 3 });
    expect(r.failures, JSON.stringify(r.worst)).toEqual([]);
    expect(r.checked).toBeGreaterThanOrEqual(r.nonSmooth.length * 3);
    real.dispose();
  }, 300_000);
});
