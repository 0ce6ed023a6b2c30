/** `gankit translate` on an unpaired run: one of its two generators on the user's images, fitted to its domain. */
import { decodeImageFile, fitImage } from '@gankit/datasets';
import { type CycleManifest, loadCycle, type Network } from '@gankit/models';
import type { Direction } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from './errors.js';

export interface Translating {
  architecture: string;
  dataRange: [number, number];
  network: Network;
  /** One input as the generator's source `[1, …]` in its range, and what was done to it. */
  prepare(file: string): Promise<{ source: tf.Tensor4D; done: string }>;
  dispose(): void;
}

/** The run's generator pair, as `direction` picks one of them: G (A → B) or F (B → A). */
export function openCycleTranslator(bytes: Uint8Array, path: string, direction: Direction): Translating {
  let loaded: ReturnType<typeof loadCycle>;
  try {
    loaded = loadCycle(bytes, path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { manifest, ab, ba } = loaded;
  const network = direction === 'a2b' ? ab : ba;
  const shape = (direction === 'a2b' ? manifest.shapeA : manifest.shapeB) as [number, number, number];
  return {
    architecture: `${manifest.architecture} ${direction === 'a2b' ? 'G (A → B)' : 'F (B → A)'}`,
    dataRange: manifest.dataRange,
    network,
    prepare: (file) => sourceOf(file, manifest, shape, direction),
    dispose: () => {
      ab.dispose();
      ba.dispose();
    },
  };
}

/** An input fitted to the source domain's size and channels (centre crop, bilinear), in the generators' range. */
async function sourceOf(
  file: string,
  manifest: CycleManifest,
  [h, w, c]: [number, number, number],
  direction: Direction,
): Promise<{ source: tf.Tensor4D; done: string }> {
  let img: Awaited<ReturnType<typeof decodeImageFile>>;
  try {
    img = await decodeImageFile(file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [lo, hi] = manifest.dataRange;
  const fitted = fitImage(img, h, w, c === 1 ? 1 : 3, 'center');
  const values = Float32Array.from(fitted, (v) => lo + (v / 255) * (hi - lo));
  const domain = direction === 'a2b' ? 'A' : 'B';
  return {
    source: tf.tensor4d(values, [1, h, w, c]),
    done: `${img.width}×${img.height} → ${w}×${h} ${c === 1 ? 'grey' : 'RGB'} (centre crop, bilinear) as a domain ${domain} image`,
  };
}
