import * as tf from '@tensorflow/tfjs-core';
import type { FeatureExtractor } from './extractors.js';
import type { ImageSource } from './types.js';
import { yieldToEventLoop } from './yield.js';

export interface StackedModes {
  modesCovered: number;
  /** KL(mode histogram ‖ uniform over 1000), natural log; a perfect sampler's floor is ≈ 0.019 at 26,000 samples. */
  kl: number;
  samples: number;
  extractor: string;
}

/**
 * Stacked-MNIST mode counting (PacGAN protocol): each channel of a 28×28×3 sample is classified by the MNIST
 * extractor; the mode is the digit triple. `images` are float `[n, 28, 28, 3]` in [0, 1] — a tensor, or an
 * {@link ImageSource} read `count` samples far in batches (26,000 samples need not be held at once).
 */
export async function stackedMnistModes(
  extractor: FeatureExtractor,
  images: tf.Tensor4D | ImageSource,
  options: { batchSize?: number; count?: number } = {},
): Promise<StackedModes> {
  const { batchSize = 500 } = options;
  if (extractor.logits == null)
    throw new Error(`${extractor.name} is not a classifier: Stacked-MNIST needs class predictions`);
  const source: ImageSource =
    typeof images === 'function'
      ? images
      : (start, size) => tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
  const n = typeof images === 'function' ? (options.count ?? 26_000) : images.shape[0];
  const counts = new Uint32Array(1000);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const part = await source(start, size);
    if (part.shape[3] !== 3 || part.shape[1] !== 28 || part.shape[2] !== 28) {
      part.dispose();
      throw new Error(`Stacked-MNIST samples are [n, 28, 28, 3] in [0, 1], got [${part.shape}]`);
    }
    const digits = tf.tidy(() => {
      const channels = tf.split(part, 3, 3) as tf.Tensor4D[];
      return tf.stack(
        channels.map((c) => tf.argMax(extractor.logits!(c), 1)),
        1,
      ); // [size, 3]
    });
    part.dispose();
    const d = await digits.data();
    digits.dispose();
    for (let i = 0; i < size; i++) counts[100 * d[3 * i]! + 10 * d[3 * i + 1]! + d[3 * i + 2]!]!++;
    await yieldToEventLoop();
  }
  let kl = 0;
  for (const c of counts) if (c > 0) kl += (c / n) * Math.log((c / n) * 1000);
  return {
    modesCovered: counts.filter((c) => c > 0).length,
    kl,
    samples: n,
    extractor: `${extractor.name}@${extractor.version}`,
  };
}
