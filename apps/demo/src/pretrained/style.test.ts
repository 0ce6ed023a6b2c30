import { useBackend } from '@gankit/backends';
import { instantiate, type Network, stylegan, stylesOf, synthesize } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatPsi,
  mixedStyles,
  mixingImages,
  mixingLayout,
  sliderToPsi,
  styleImages,
  styleSpaceOfNetwork,
} from './style.js';

/** A tiny StyleGAN 2 (z, w of 8; 8 styles), its w̄ moved off zero so that truncation has somewhere to go. */
let net: Network;
let before: number;
const values = (t: tf.Tensor) => Array.from(t.dataSync());
/** The values of the tensor `f` makes, which is then freed. */
const read = (f: () => tf.Tensor) => {
  const t = f();
  try {
    return values(t);
  } finally {
    t.dispose();
  }
};
const noiseWeights = () => net.variables().filter((v) => /noise/.test(v.name));

beforeAll(async () => {
  await useBackend('wasm');
  before = tf.memory().numTensors;
  const gan = stylegan({ latentDim: 8, styleDim: 8, mappingLayers: 2, gFilters: [4, 4, 4, 4] });
  net = instantiate(gan.generator, 3);
  (net.state.wAvg as tf.Tensor).dispose();
  net.state.wAvg = tf.randomNormal([8], 0, 1, 'float32', 5);
});

afterAll(() => {
  net.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

describe('truncation in W', () => {
  it('draws w̄ + ψ(w − w̄) with the stored w̄; ψ = 0 gives every latent the image of w̄', () => {
    const n = tf.memory().numTensors;
    const z = tf.randomNormal([3, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
    const psi = 0.4;
    const got = styleImages(net, z, { psi, noiseSeed: 7 });
    const expected = tf.tidy(() => {
      const ws = stylesOf(net, net.params, z); // ψ = 1: w itself, [3, 8, 8]
      const wAvg = tf.reshape(net.state.wAvg as tf.Tensor, [1, 1, 8]);
      return synthesize(net, net.params, tf.add(wAvg, tf.mul(tf.sub(ws, wAvg), psi)), 7);
    });
    expect(values(got)).toEqual(values(expected).map((v) => expect.closeTo(v, 5)));
    const zero = styleImages(net, z, { psi: 0, noiseSeed: 7 });
    const [a, b] = tf.split(zero, [1, 2]).map((t) => read(() => t)) as [number[], number[]];
    expect(b.slice(0, a.length)).toEqual(a.map((v) => expect.closeTo(v, 6))); // noise starts at strength 0
    const w = styleImages(net, z, { psi: 1, noiseSeed: 7 });
    expect(values(w)).not.toEqual(values(zero));
    tf.dispose([z, got, expected, zero, w]);
    expect(tf.memory().numTensors).toBe(n);
  });

  it('the slider snaps ψ to [0, 1] in steps of 0.05 and says it is in W', () => {
    expect([-1, 0, 0.42, 0.7, 1, 3, Number.NaN].map(sliderToPsi)).toEqual([0, 0, 0.4, 0.7, 1, 1, 1]);
    expect(formatPsi(0.7)).toBe('ψ = 0.70 in W');
    expect(formatPsi(1)).toBe('ψ = 1 (off) in W');
  });
});

describe('style-mixing grid', () => {
  it('rows take the coarse styles (before the crossover) from their latent, columns the fine ones', () => {
    const cells = mixingLayout(2, 3, 8, 3);
    expect(cells).toHaveLength(3 * 4);
    expect(cells.map((c) => c.kind)).toEqual([
      'corner',
      ...new Array(3).fill('column-source'),
      'row-source',
      ...new Array(3).fill('mix'),
      'row-source',
      ...new Array(3).fill('mix'),
    ]);
    // latents: rows 0, 1, then columns 2, 3, 4
    expect(cells[0]!.styles).toBeNull();
    expect(cells[2]).toEqual({ kind: 'column-source', row: 0, col: 2, styles: new Array(8).fill(3) });
    expect(cells[8]).toEqual({ kind: 'row-source', row: 2, col: 0, styles: new Array(8).fill(1) });
    expect(cells[11]).toEqual({ kind: 'mix', row: 2, col: 3, styles: [1, 1, 1, 4, 4, 4, 4, 4] });
    expect(mixingLayout(1, 1, 8, 7)[3]!.styles).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    for (const bad of [0, 8, 2.5])
      expect(() => mixingLayout(2, 2, 8, bad)).toThrow(/crossover layer must be an integer from 1 to 7/);
    expect(() => mixingLayout(0, 2, 8, 4)).toThrow(/rows must be an integer ≥ 1/);
  });

  it('gathers each layer of a cell from its latent', () => {
    const ws = tf.tensor3d(
      Array.from({ length: 3 * 4 * 2 }, (_, i) => i),
      [3, 4, 2],
    );
    const cells = mixingLayout(1, 2, 4, 1);
    const mixed = mixedStyles(ws, cells);
    expect(mixed.shape).toEqual([5, 4, 2]);
    const rows = mixed.arraySync();
    const of = (latent: number, layer: number) => [latent * 8 + layer * 2, latent * 8 + layer * 2 + 1];
    expect(rows[0]).toEqual([0, 1, 2, 3].map((l) => of(1, l))); // top row: column latent 0 (index 1)
    expect(rows[2]).toEqual([0, 1, 2, 3].map((l) => of(0, l))); // left column: row latent 0
    expect(rows[4]).toEqual([of(0, 0), of(2, 1), of(2, 2), of(2, 3)]); // row 0 × column 1, crossover 1
    tf.dispose([ws, mixed]);
  });

  it("draws the grid from the network's styles, all with the same noise; refuses a network without W", () => {
    const n = tf.memory().numTensors;
    const space = styleSpaceOfNetwork(net)!;
    expect(space.count).toBe(8);
    const zRows = tf.randomNormal([2, 8], 0, 1, 'float32', 11) as tf.Tensor2D;
    const zCols = tf.randomNormal([2, 8], 0, 1, 'float32', 12) as tf.Tensor2D;
    const { images, cells } = mixingImages(net, zRows, zCols, 4, { psi: 0.8, noiseSeed: 3 });
    expect(images.shape).toEqual([8, 28, 28, 1]);
    expect(cells.filter((c) => c.kind !== 'corner')).toHaveLength(8);
    // the last cell (row 1 × column 1) by hand: layers 0–3 of row latent 1's w, 4–7 of column latent 1's
    const byHand = tf.tidy(() => {
      const ws = stylesOf(net, net.params, tf.concat([zRows, zCols]), { psi: 0.8 });
      const mix = tf.concat([tf.slice(ws, [1, 0, 0], [1, 4, 8]), tf.slice(ws, [3, 4, 0], [1, 4, 8])], 1);
      return synthesize(net, net.params, mix, 3);
    });
    const last = tf.slice(images, [7, 0, 0, 0], [1, -1, -1, -1]);
    expect(values(last)).toEqual(values(byHand).map((v) => expect.closeTo(v, 5)));
    tf.dispose([zRows, zCols, images, byHand, last]);
    expect(tf.memory().numTensors).toBe(n);
    const dcgan = { def: { ...net.def, styles: undefined, architecture: 'dcgan-28' } } as unknown as Network;
    expect(styleSpaceOfNetwork(dcgan)).toBeUndefined();
    const z = tf.zeros([1, 8]) as tf.Tensor2D;
    expect(() => mixingImages(dcgan, z, z, 4, { psi: 1, noiseSeed: 1 })).toThrow(/dcgan-28 has no W space/);
    z.dispose();
  });
});

describe('noise resampling', () => {
  it('changes the images of the same latents only where the network has noise; same-noise images ignore the batch', () => {
    const n = tf.memory().numTensors;
    const z = tf.randomNormal([2, 8], 0, 1, 'float32', 4) as tf.Tensor2D;
    const draw = (noiseSeed: number, sameNoise = false) =>
      read(() => styleImages(net, z, { psi: 1, noiseSeed, sameNoise }));
    // a fresh StyleGAN's noise strengths are 0: a network without noise, whatever the seed
    expect(draw(2)).toEqual(draw(1));
    const strengths = noiseWeights();
    expect(strengths.length).toBe(7); // one per convolution: 1 at 4×4, 2 at each of 7, 14, 28
    for (const v of strengths) tf.tidy(() => v.assign(tf.fill(v.shape, 0.5)));
    const [one, two] = [draw(1), draw(2)];
    expect(two).not.toEqual(one);
    expect(draw(1)).toEqual(one); // the same seed, the same noise
    // one image at a time: the second latent's image is its image alone, the noise the same for every image
    const alone = read(() =>
      tf.tidy(() => styleImages(net, tf.slice(z, [1, 0], [1, 8]), { psi: 1, noiseSeed: 1, sameNoise: true })),
    );
    expect(draw(1, true).slice(784)).toEqual(alone.map((v) => expect.closeTo(v, 5)));
    for (const v of strengths) tf.tidy(() => v.assign(tf.zerosLike(v)));
    z.dispose();
    expect(tf.memory().numTensors).toBe(n);
  });
});
