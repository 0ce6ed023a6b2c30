/**
 * Pixel fidelity of paired outputs against their targets (super-resolution, image-to-image): PSNR and SSIM per
 * image, and their means over a stream of batches.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface PsnrOptions {
  /** The images' dynamic range: 1 for [0, 1] (default), 255 for bytes, 2 for [−1, 1]. */
  maxValue?: number;
}

export interface SsimOptions extends PsnrOptions {
  /** Side of the Gaussian window: 11 (Wang et al. 2004, default) or 7 (for images as small as 28×28 it keeps more of the map). */
  window?: number;
  /** The window's σ (1.5). */
  sigma?: number;
  /** C₁ = (k₁·L)², C₂ = (k₂·L)² (0.01 and 0.03). */
  k1?: number;
  k2?: number;
}

function checkPair(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.rank !== 4 || !tf.util.arraysEqual(a.shape, b.shape))
    throw new Error(
      `${what}: needs two batches of images [n, h, w, c] of the same shape, got [${a.shape}] and [${b.shape}]`,
    );
}

/**
 * Peak signal-to-noise ratio of each image pair in dB, `[n]`: 10·log₁₀(L² / MSE) with L the dynamic range, the MSE
 * over every pixel and channel. Identical images give +∞.
 */
export function psnr(output: tf.Tensor4D, target: tf.Tensor4D, options: PsnrOptions = {}): tf.Tensor1D {
  checkPair(output, target, 'psnr');
  const { maxValue = 1 } = options;
  if (!(maxValue > 0)) throw new Error(`psnr: maxValue must be positive, got ${maxValue}`);
  return tf.tidy(() => {
    const mse = tf.mean(tf.square(tf.sub(output, target)), [1, 2, 3]);
    return tf.mul(tf.log(tf.div(maxValue * maxValue, mse)), 10 / Math.LN10) as tf.Tensor1D;
  });
}

/** The normalised 2-D Gaussian window, `[size, size, 1, 1]`. */
function gaussianWindow(size: number, sigma: number): tf.Tensor4D {
  const half = (size - 1) / 2;
  const g = Array.from({ length: size }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const total = g.reduce((s, v) => s + v, 0);
  const values: number[] = [];
  for (const gi of g) for (const gj of g) values.push((gi * gj) / (total * total));
  return tf.tensor4d(values, [size, size, 1, 1]);
}

/**
 * Structural similarity of each image pair, `[n]` (Wang, Bovik, Sheikh & Simoncelli 2004): local means, variances
 * and covariance under a Gaussian window (11×11, σ 1.5), the SSIM map
 * ((2μₓμᵧ + C₁)(2σₓᵧ + C₂)) / ((μₓ² + μᵧ² + C₁)(σₓ² + σᵧ² + C₂)) over the positions where the window fits (no
 * padding, as the paper's code), averaged over the map and the channels. 1 for identical images.
 */
export function ssim(output: tf.Tensor4D, target: tf.Tensor4D, options: SsimOptions = {}): tf.Tensor1D {
  checkPair(output, target, 'ssim');
  const { window = 11, sigma = 1.5, k1 = 0.01, k2 = 0.03, maxValue = 1 } = options;
  const [, h, w, c] = output.shape;
  if (!(Number.isInteger(window) && window >= 1 && window % 2 === 1))
    throw new Error(`ssim: window must be an odd positive whole number, got ${window}`);
  if (window > h || window > w)
    throw new Error(
      `ssim: the ${window}×${window} window does not fit ${h}×${w} images; use window 7 or larger images`,
    );
  if (!(sigma > 0)) throw new Error(`ssim: sigma must be positive, got ${sigma}`);
  if (!(maxValue > 0)) throw new Error(`ssim: maxValue must be positive, got ${maxValue}`);
  const c1 = (k1 * maxValue) ** 2;
  const c2 = (k2 * maxValue) ** 2;
  return tf.tidy(() => {
    const kernel = tf.tile(gaussianWindow(window, sigma), [1, 1, c, 1]) as tf.Tensor4D;
    const blur = (x: tf.Tensor) => tf.depthwiseConv2d(x as tf.Tensor4D, kernel, 1, 'valid');
    const x = tf.cast(output, 'float32');
    const y = tf.cast(target, 'float32');
    const mx = blur(x);
    const my = blur(y);
    const mxx = tf.mul(mx, mx);
    const myy = tf.mul(my, my);
    const mxy = tf.mul(mx, my);
    const vx = tf.sub(blur(tf.mul(x, x)), mxx);
    const vy = tf.sub(blur(tf.mul(y, y)), myy);
    const cxy = tf.sub(blur(tf.mul(x, y)), mxy);
    const map = tf.div(
      tf.mul(tf.add(tf.mul(mxy, 2), c1), tf.add(tf.mul(cxy, 2), c2)),
      tf.mul(tf.add(tf.add(mxx, myy), c1), tf.add(tf.add(vx, vy), c2)),
    );
    return tf.mean(map, [1, 2, 3]) as tf.Tensor1D;
  });
}

/** Means of per-image PSNR and SSIM over a stream of batches (float64 sums): add batches as they are made. */
export class FidelityMeans {
  private n = 0;
  private psnrSum = 0;
  private ssimSum = 0;

  constructor(private readonly options: SsimOptions = {}) {}

  /** Scores one batch of (output, target) pairs; the caller keeps ownership of both. */
  async add(output: tf.Tensor4D, target: tf.Tensor4D): Promise<this> {
    const p = psnr(output, target, this.options);
    const s = ssim(output, target, this.options);
    const [pv, sv] = await Promise.all([p.data(), s.data()]);
    tf.dispose([p, s]);
    for (let i = 0; i < pv.length; i++) {
      this.psnrSum += pv[i]!;
      this.ssimSum += sv[i]!;
    }
    this.n += pv.length;
    return this;
  }

  get count(): number {
    return this.n;
  }

  /** Mean PSNR (dB) and SSIM of every image added. */
  result(): { psnr: number; ssim: number; count: number } {
    if (this.n === 0) throw new Error('FidelityMeans: no images were added');
    return { psnr: this.psnrSum / this.n, ssim: this.ssimSum / this.n, count: this.n };
  }
}
