import { useBackend } from '@gankit/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiate, type Network } from './network.js';
import { mixedStyles, mixingImages, mixingLayout } from './style-mixing.js';
import { styleSpaceOf, stylesOf, synthesize } from './style-space.js';
import { stylegan } from './stylegan.js';

/** A tiny StyleGAN 2 (z, w of 8; 8 styles). */
let net: Network;
let before: number;
const values = (t: tf.Tensor) => Array.from(t.dataSync());

beforeAll(async () => {
  await useBackend('wasm');
  before = tf.memory().numTensors;
  net = instantiate(
    stylegan({ latentDim: 8, styleDim: 8, mappingLayers: 2, gFilters: [4, 4, 4, 4] }).generator,
    3,
  );
});

afterAll(() => {
  net.dispose();
  expect(tf.memory().numTensors).toBe(before);
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
    const space = styleSpaceOf(net.def)!;
    expect(space.count).toBe(8);
    const zRows = tf.randomNormal([2, 8], 0, 1, 'float32', 11) as tf.Tensor2D;
    const zCols = tf.randomNormal([2, 8], 0, 1, 'float32', 12) as tf.Tensor2D;
    const { images, cells } = mixingImages(net, net.params, zRows, zCols, 4, { psi: 0.8, noiseSeed: 3 });
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
    expect(styleSpaceOf(dcgan.def)).toBeUndefined();
    const z = tf.zeros([1, 8]) as tf.Tensor2D;
    expect(() => mixingImages(dcgan, {}, z, z, 4, { psi: 1, noiseSeed: 1 })).toThrow(
      /dcgan-28 has no W space/,
    );
    z.dispose();
  });
});
