/** Image folders for Node: PNG and JPEG files, one subfolder per class or none. */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { ImageDataset } from './image-dataset.js';
import { decodeImageFile, fitImage } from './node-images.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/**
 * Images from a folder (PNG and JPEG, decoded with pngjs and jpeg-js). With one subfolder per class, the
 * subfolders' names (sorted) are the classes; with images directly in the folder, the dataset is unlabelled.
 * `size` resizes (bilinear, after a centre crop to the target's aspect when `crop: 'center'`); without it every
 * image must have the same size.
 */
export async function loadImageFolder(
  dir: string,
  options: { size?: [number, number]; crop?: 'center' | 'none'; channels?: 1 | 3; name?: string } = {},
): Promise<ImageDataset> {
  const { channels = 3, crop = 'center' } = options;
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch {
    throw new Error(`${dir}: no such folder`);
  }
  const subdirs: string[] = [];
  const direct: string[] = [];
  for (const e of entries) {
    const s = await stat(join(dir, e));
    if (s.isDirectory()) subdirs.push(e);
    else if (IMAGE_EXTENSIONS.has(extname(e).toLowerCase())) direct.push(e);
  }
  const files: { path: string; label?: number }[] =
    subdirs.length > 0
      ? (
          await Promise.all(
            subdirs.map(async (sub, label) =>
              (
                await readdir(join(dir, sub))
              )
                .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
                .sort()
                .map((f) => ({ path: join(dir, sub, f), label })),
            ),
          )
        ).flat()
      : direct.map((f) => ({ path: join(dir, f) }));
  if (files.length === 0) throw new Error(`${dir}: no PNG or JPEG images (in it or in class subfolders)`);
  const decoded = await Promise.all(files.map((f) => decodeImageFile(f.path)));
  const size = options.size ?? [decoded[0]!.height, decoded[0]!.width];
  if (options.size == null) {
    const sizes = new Set(decoded.map((d) => `${d.width}×${d.height}`));
    if (sizes.size > 1) {
      throw new Error(
        `${dir}: images have different sizes (${[...sizes].slice(0, 5).join(', ')}); pass { size: [height, width] } to resize`,
      );
    }
  }
  const [h, w] = size;
  const images = new Uint8Array(files.length * h * w * channels);
  for (const [i, img] of decoded.entries())
    images.set(fitImage(img, h, w, channels, crop), i * h * w * channels);
  const labelled = subdirs.length > 0;
  return {
    name: options.name ?? `folder:${dir}`,
    split: 'all',
    images,
    labels: labelled ? Uint8Array.from(files, (f) => f.label!) : undefined,
    count: files.length,
    shape: [h, w, channels],
    classes: labelled ? subdirs : [],
    source: resolve(dir),
  };
}
