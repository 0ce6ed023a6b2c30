/**
 * Style generators in the page (StyleGAN's W space): images through W with truncation towards the stored w̄, the
 * style-mixing grid of the StyleGAN paper's figure 3, and the per-layer noise drawn from a seed of its own. Pure
 * tensor work on a `Network`, tested in Node; the mapping, truncation and synthesis are @gankit/models'.
 */
import { type Network, type StyleSpace, styleSpaceOf, stylesOf, synthesize } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';

export const PSI_MIN = 0;
export const PSI_MAX = 1;
export const PSI_STEP = 0.05;

/** The W-space slider's value as ψ in [0, 1] (snapped to its step; 1 is no truncation). */
export function sliderToPsi(value: number): number {
  if (!Number.isFinite(value)) return PSI_MAX;
  const snapped = Math.round(value / PSI_STEP) * PSI_STEP;
  return Number(Math.min(PSI_MAX, Math.max(PSI_MIN, snapped)).toFixed(2));
}

export function formatPsi(psi: number): string {
  return psi === PSI_MAX ? 'ψ = 1 (off) in W' : `ψ = ${psi.toFixed(2)} in W`;
}

/** The W space of a loaded network, or undefined for generators without one (DCGAN, cGAN, …). */
export function styleSpaceOfNetwork(network: Pick<Network, 'def'>): StyleSpace | undefined {
  return styleSpaceOf(network.def);
}

/** How a style generator draws: truncation ψ in W on every layer, and the seed of its per-layer noise. */
export interface StyleDraw {
  /** ψ in [0, 1]: w' = w̄ + ψ(w − w̄) with the generator's stored w̄; 1 leaves w as it is. */
  psi: number;
  noiseSeed: number;
  /**
   * Every image gets the same noise (drawn one image at a time), so that images differ by their styles only —
   * the walk and the mixing grid. Otherwise one batch: each image's noise also depends on its place in it.
   */
  sameNoise?: boolean;
}

/** Images `[n, h, w, c]` of per-layer styles `ws` `[n, count, dim]`, with the noise of `draw`. */
export function synthesizeStyles(
  network: Network,
  ws: tf.Tensor3D,
  draw: Omit<StyleDraw, 'psi'>,
): tf.Tensor4D {
  return synthesize(network, network.params, ws, draw.noiseSeed, { sharedNoise: draw.sameNoise === true });
}

/** Images `[n, h, w, c]` of latents `z` `[n, latentDim]` through W, truncated by ψ towards w̄. */
export function styleImages(network: Network, z: tf.Tensor2D, draw: StyleDraw): tf.Tensor4D {
  return tf.tidy(() =>
    synthesizeStyles(network, stylesOf(network, network.params, z, { psi: draw.psi }), draw),
  );
}

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
 * column latents `zCols`, truncated by ψ, all with the same noise.
 */
export function mixingImages(
  network: Network,
  zRows: tf.Tensor2D,
  zCols: tf.Tensor2D,
  crossover: number,
  draw: Omit<StyleDraw, 'sameNoise'>,
): { images: tf.Tensor4D; cells: MixingCell[] } {
  const space = styleSpaceOfNetwork(network);
  if (space == null) throw new Error(`${network.def.architecture} has no W space: no style mixing`);
  const cells = mixingLayout(zRows.shape[0], zCols.shape[0], space.count, crossover);
  const images = tf.tidy(() => {
    const ws = stylesOf(network, network.params, tf.concat([zRows, zCols], 0), { psi: draw.psi });
    return synthesizeStyles(network, mixedStyles(ws, cells), { ...draw, sameNoise: true });
  });
  return { images, cells };
}
