import type { ImageDataset } from './image-dataset.js';
import { uniform } from './random.js';

/**
 * Stacked MNIST (Metz et al. 2017; PacGAN's 1000-mode benchmark): each sample is three MNIST digits drawn
 * independently, stacked as the R, G and B channels of one 28×28×3 image. Its mode — the ground-truth label
 * here — is 100·d_R + 10·d_G + d_B, one of 1000.
 */
export function stackedMnist(
  mnist: ImageDataset,
  options: { count?: number; seed?: number } = {},
): ImageDataset {
  const { count = 26_000, seed = 0 } = options;
  const [h, w, c] = mnist.shape;
  if (c !== 1 || mnist.labels == null)
    throw new Error('stackedMnist: needs labelled single-channel digits (MNIST)');
  const pixels = h * w;
  const images = new Uint8Array(count * pixels * 3);
  const labels = new Uint16Array(count);
  const pick = uniform(seed);
  for (let i = 0; i < count; i++) {
    let mode = 0;
    for (let ch = 0; ch < 3; ch++) {
      const j = Math.floor(pick() * mnist.count);
      mode = mode * 10 + mnist.labels[j]!;
      const src = j * pixels;
      for (let p = 0; p < pixels; p++) images[(i * pixels + p) * 3 + ch] = mnist.images[src + p]!;
    }
    labels[i] = mode;
  }
  return {
    name: 'stacked-mnist',
    split: mnist.split,
    images,
    labels,
    count,
    shape: [h, w, 3],
    classes: Array.from({ length: 1000 }, (_, k) => String(k).padStart(3, '0')),
    source: `${mnist.source}, stacked (seed ${seed})`,
  };
}
