import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A decoded image as RGBA bytes. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes a PNG or JPEG file, with an error naming the file when it is not a readable image. */
export async function decodeImageFile(path: string): Promise<Rgba> {
  const bytes = await readFile(path);
  try {
    if (extname(path).toLowerCase() === '.png') {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
    return { width: img.width, height: img.height, data: img.data };
  } catch (err) {
    throw new Error(
      `${path}: not a readable ${extname(path).slice(1).toUpperCase()} image (${(err as Error).message})`,
    );
  }
}

/**
 * Fits an image to `h × w` pixels with `channels` channels: centre-crops to the target's aspect (unless `crop` is
 * 'none'), resizes bilinearly, and converts to greyscale (ITU-R 601 luma) or RGB.
 */
export function fitImage(
  img: Rgba,
  h: number,
  w: number,
  channels: 1 | 3,
  crop: 'center' | 'none',
): Uint8Array {
  let [x0, y0, cw, ch] = [0, 0, img.width, img.height];
  if (crop === 'center') {
    const target = w / h;
    if (img.width / img.height > target) {
      cw = img.height * target;
      x0 = (img.width - cw) / 2;
    } else {
      ch = img.width / target;
      y0 = (img.height - ch) / 2;
    }
  }
  const out = new Uint8Array(h * w * channels);
  const px = (x: number, y: number, k: number) =>
    img.data[
      (Math.min(img.height - 1, Math.max(0, y)) * img.width + Math.min(img.width - 1, Math.max(0, x))) * 4 + k
    ]!;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // sample at pixel centres
      const sx = x0 + ((x + 0.5) * cw) / w - 0.5;
      const sy = y0 + ((y + 0.5) * ch) / h - 0.5;
      const xa = Math.floor(sx);
      const ya = Math.floor(sy);
      const fx = sx - xa;
      const fy = sy - ya;
      const rgb = [0, 1, 2].map(
        (k) =>
          (1 - fx) * (1 - fy) * px(xa, ya, k) +
          fx * (1 - fy) * px(xa + 1, ya, k) +
          (1 - fx) * fy * px(xa, ya + 1, k) +
          fx * fy * px(xa + 1, ya + 1, k),
      );
      const at = (y * w + x) * channels;
      if (channels === 1) out[at] = Math.round(0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!);
      else for (let k = 0; k < 3; k++) out[at + k] = Math.round(rgb[k]!);
    }
  }
  return out;
}
