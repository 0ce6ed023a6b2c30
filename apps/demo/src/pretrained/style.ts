/**
 * Style generators in the page (StyleGAN's W space): images through W with truncation towards the stored w̄, the
 * style-mixing grid of the StyleGAN paper's figure 3, and the per-layer noise drawn from a seed of its own. Pure
 * tensor work on a `Network`, tested in Node; the mapping, truncation and synthesis are @gankit/models'.
 */
import {
  type MixingCell,
  mixingImages as mixStyleGrid,
  type Network,
  type StyleSpace,
  styleSpaceOf,
  stylesOf,
  synthesize,
} from '@gankit/models';

export type { MixingCell } from '@gankit/models';

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
 * The mixing grid's images `[cells − 1, h, w, c]` (every cell but the corner, in order) for row latents `zRows` and
 * column latents `zCols`, truncated by ψ, all with the same noise (`mixingImages` of @gankit/models).
 */
export function mixingImages(
  network: Network,
  zRows: tf.Tensor2D,
  zCols: tf.Tensor2D,
  crossover: number,
  draw: Omit<StyleDraw, 'sameNoise'>,
): { images: tf.Tensor4D; cells: MixingCell[] } {
  return mixStyleGrid(network, network.params, zRows, zCols, crossover, draw);
}
