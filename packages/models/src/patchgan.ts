/** pix2pix's PatchGAN discriminator (Isola et al. 2017): one logit per overlapping patch. */
import {
  batchNorm,
  conv2d,
  instanceNorm,
  type Layer,
  leakyRelu,
  randomNormal,
  sequential,
} from '@gankit/layers';

export interface PatchganOptions {
  /** Stride-2 layers: 1, 2 or 3, for 16, 34 or 70-pixel patches (default 2). */
  layers?: 1 | 2 | 3;
  /** The first layer's filters, doubling (up to 8×) from layer to layer (default 64). */
  filters?: number;
  /** Normalisation after every convolution but the first and the last (default `batch`). */
  norm?: 'batch' | 'instance' | 'none';
}

/** The side of the square of input pixels each output logit sees. */
export const PATCH_SIZES = { 1: 16, 2: 34, 3: 70 } as const;

const P1: [[number, number], [number, number]] = [
  [1, 1],
  [1, 1],
];
const w002 = randomNormal(0.02);

/**
 * PatchGAN (pix2pix's `NLayerDiscriminator`): 4×4 convolutions with padding 1 — `layers` of stride 2, one of
 * stride 1, then one to a single channel — LeakyReLU 0.2, normalisation after all but the first and the last.
 * Receptive field 16, 34 or 70 pixels for 1, 2 or 3 layers; a 28×28 input gives 5×5 logits of 34-pixel patches.
 */
export function patchgan(options: PatchganOptions = {}): Layer {
  const { layers = 2, filters = 64, norm = 'batch' } = options;
  if (![1, 2, 3].includes(layers))
    throw new Error(`patchgan: layers must be 1, 2 or 3 (16, 34 or 70-pixel patches), got ${layers}`);
  if (!(Number.isInteger(filters) && filters > 0))
    throw new Error(`patchgan: filters must be a positive whole number, got ${filters}`);
  const normed = (): Layer[] =>
    norm === 'none'
      ? []
      : [norm === 'instance' ? instanceNorm() : batchNorm({ momentum: 0.9, epsilon: 1e-5 })];
  const conv = (f: number, strides: number, useBias: boolean) =>
    conv2d({ filters: f, kernelSize: 4, strides, padding: P1, useBias, kernelInitializer: w002 });
  const body: Layer[] = [conv(filters, 2, true), leakyRelu(0.2)];
  for (let n = 1; n <= layers; n++) {
    const f = filters * Math.min(2 ** n, 8);
    body.push(conv(f, n < layers ? 2 : 1, norm === 'none'), ...normed(), leakyRelu(0.2));
  }
  body.push(conv(1, 1, true));
  return sequential(body, { name: 'patchgan' });
}
