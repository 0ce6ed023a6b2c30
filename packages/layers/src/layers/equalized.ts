/** Equalized learning rate (ProGAN), the option `equalized` of dense and conv2d layers. */
import * as tf from '@tensorflow/tfjs-core';
import { fans, type Initializer, randomNormal } from '../initializers.js';

/**
 * Equalized learning rate (Karras et al. 2018, "Progressive Growing of GANs", §4.1): the stored kernel is drawn
 * from N(0, 1) and scaled at run time by `gain / √fanIn`, so that Adam's step — which is invariant to a weight's
 * scale — changes every layer at the same relative speed. StyleGAN adds a learning-rate multiplier λ: the
 * kernel is stored as N(0, 1)/λ and scaled by `gain·λ / √fanIn`, the bias stored as b/λ and scaled by λ. The
 * effective weights start the same; Adam's steps on them shrink by λ (the mapping network's 0.01).
 */
export interface EqualizedOptions {
  /** The gain of the run-time scale: √2 (the default, ProGAN's, before (leaky) ReLUs); 1 for linear outputs (toRGB). */
  gain?: number;
  /** Learning-rate multiplier λ; default 1. StyleGAN's mapping network uses 0.01. */
  lrMultiplier?: number;
}

/** How a layer stores and scales its kernel and bias: equalized, or (when the option is off) as given. */
export interface Equalization {
  /** The stored kernel's initializer: N(0, 1)/λ when equalized, else the layer's own (undefined: its default). */
  kernelInitializer: Initializer | undefined;
  /** The stored bias's initializer: `init/λ` when equalized, so that the effective bias starts at what `init` gives. */
  biasInitializer(init: Initializer): Initializer;
  /** The effective kernel, `stored · gain·λ/√fanIn` (fan-in from the kernel's shape, as `fans`). */
  kernel(stored: tf.Tensor): tf.Tensor;
  /** The effective bias, `stored · λ`. */
  bias(stored: tf.Tensor): tf.Tensor;
}

/** The run-time factor of a kernel of `shape`: gain·λ/√fanIn. */
export function equalizedScale(shape: readonly number[], options: EqualizedOptions = {}): number {
  const { gain = Math.SQRT2, lrMultiplier = 1 } = options;
  return (gain * lrMultiplier) / Math.sqrt(fans(shape).fanIn);
}

/**
 * Resolves a layer's `equalized` option (`true` for the defaults; off: parameters stored and used as they are).
 * The kernel is drawn by equalization itself, so a `kernelInitializer` alongside it is refused rather than
 * ignored.
 */
export function equalization(
  option: boolean | EqualizedOptions | undefined,
  where: string,
  kernelInitializer?: Initializer,
): Equalization {
  if (option == null || option === false) {
    return { kernelInitializer, biasInitializer: (init) => init, kernel: (k) => k, bias: (b) => b };
  }
  const options = option === true ? {} : option;
  const { gain = Math.SQRT2, lrMultiplier = 1 } = options;
  if (!(gain > 0 && Number.isFinite(gain)))
    throw new Error(`${where}: equalized gain must be > 0, got ${gain}`);
  if (!(lrMultiplier > 0 && Number.isFinite(lrMultiplier))) {
    throw new Error(`${where}: equalized lrMultiplier must be > 0, got ${lrMultiplier}`);
  }
  if (kernelInitializer != null) {
    throw new Error(
      `${where}: an equalized kernel is drawn from N(0, 1); drop kernelInitializer or equalized`,
    );
  }
  return {
    kernelInitializer: randomNormal(1 / lrMultiplier),
    biasInitializer: (init) => (shape, rng) => init(shape, rng).map((v) => v / lrMultiplier),
    kernel: (k) => tf.mul(k, equalizedScale(k.shape, { gain, lrMultiplier })),
    bias: (b) => (lrMultiplier === 1 ? b : tf.mul(b, lrMultiplier)),
  };
}
