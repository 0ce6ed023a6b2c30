/**
 * The style-mixing grid of the StyleGAN paper (Karras et al. 2019, figure 3): which latent's style each layer of
 * each cell takes, the mixed styles, and the grid's images — for the trainer's `generate --mix` and the demo.
 */
import type { ParamTree, Rng } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.js';
import { styleSpaceOf, stylesOf, synthesize } from './style-space.js';

/**
 * One cell of the style-mixing grid: the blank corner, a source (the top row: the column latents; the left column:
 * the row latents), or a mix. `styles[layer]` is the latent whose style that layer takes, as an index into the row
 * latents followed by the column latents (`rows + c` for column c).
 */
export interface MixingCell {
  kind: 'corner' | 'row-source' | 'column-source' | 'mix';
  row: number;
  col: number;
  styles: number[] | null;
}

/**
 * The style-mixing grid, `(rows + 1) × (cols + 1)` cells row-major, after Karras et al. 2019, figure 3: the top row
 * shows the column latents, the left column the row latents; the cell of row r and column c takes the coarse styles
 * (layers before `crossover`) from row latent r and the fine ones (from `crossover` on) from column latent c.
 */
export function mixingLayout(rows: number, cols: number, count: number, crossover: number): MixingCell[] {
  for (const [name, v, min] of [
    ['rows', rows, 1],
    ['cols', cols, 1],
    ['count', count, 2],
  ] as const)
    if (!Number.isInteger(v) || v < min)
      throw new Error(`mixing grid: ${name} must be an integer ≥ ${min}, got ${v}`);
  if (!Number.isInteger(crossover) || crossover < 1 || crossover >= count)
    throw new Error(
      `mixing grid: the crossover layer must be an integer from 1 to ${count - 1}, got ${crossover}`,
    );
  const all = (latent: number) => new Array<number>(count).fill(latent);
  const cells: MixingCell[] = [];
  for (let r = -1; r < rows; r++)
    for (let c = -1; c < cols; c++) {
      const at = { row: r + 1, col: c + 1 };
      if (r < 0 && c < 0) cells.push({ kind: 'corner', ...at, styles: null });
      else if (r < 0) cells.push({ kind: 'column-source', ...at, styles: all(rows + c) });
      else if (c < 0) cells.push({ kind: 'row-source', ...at, styles: all(r) });
      else
        cells.push({
          kind: 'mix',
          ...at,
          styles: Array.from({ length: count }, (_, layer) => (layer < crossover ? r : rows + c)),
        });
    }
  return cells;
}

/**
 * The per-layer styles `[cells, count, dim]` of the grid's non-corner cells, in order, from the latents' styles
 * `ws` `[rows + cols, count, dim]` (row latents first): layer l of a cell is layer l of latent `styles[l]`.
 */
export function mixedStyles(ws: tf.Tensor3D, cells: readonly MixingCell[]): tf.Tensor3D {
  const [n, count, dim] = ws.shape;
  const drawn = cells.filter((c) => c.styles != null);
  const index = drawn.flatMap((c) =>
    c.styles!.map((latent, layer) => {
      if (latent >= n) throw new Error(`mixing grid: latent ${latent} of ${n}`);
      return latent * count + layer;
    }),
  );
  return tf.tidy(
    () =>
      tf.reshape(tf.gather(tf.reshape(ws, [n * count, dim]), tf.tensor1d(index, 'int32')), [
        drawn.length,
        count,
        dim,
      ]) as tf.Tensor3D,
  );
}

/**
 * The mixing grid's images `[cells − 1, h, w, c]` (every cell but the corner, in order) for row latents `zRows` and
 * column latents `zCols`, truncated by ψ towards w̄ (on the first `layers` styles, default all), all with one noise map (from `noiseSeed`), so that cells differ
 * by their styles only. `crossover`: the first layer whose style comes from the column latent.
 */
export function mixingImages(
  network: Network,
  params: ParamTree,
  zRows: tf.Tensor2D,
  zCols: tf.Tensor2D,
  crossover: number,
  draw: { psi?: number; layers?: number; noiseSeed?: Rng } = {},
): { images: tf.Tensor4D; cells: MixingCell[] } {
  const space = styleSpaceOf(network.def);
  if (space == null) throw new Error(`${network.def.architecture} has no W space: no style mixing`);
  const cells = mixingLayout(zRows.shape[0], zCols.shape[0], space.count, crossover);
  const images = tf.tidy(() => {
    const z = tf.concat([zRows, zCols], 0);
    const ws = stylesOf(network, params, z, { psi: draw.psi ?? 1, layers: draw.layers });
    return synthesize(network, params, mixedStyles(ws, cells), draw.noiseSeed ?? 0, { sharedNoise: true });
  });
  return { images, cells };
}
