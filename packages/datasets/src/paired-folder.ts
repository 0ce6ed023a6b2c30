/** pix2pix's data formats for Node: a folder of side-by-side A|B images, or two folders of matching file names. */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { ImageDataset } from './image-dataset.js';
import { decodeImageFile, fitImage, type Rgba } from './node-images.js';

const IMAGE = new Set(['.png', '.jpg', '.jpeg']);

export interface PairedFolderOptions {
  /** Height and width the targets (and, without `sourceSize`, the sources) are fitted to (centre crop, bilinear); default: the first image's. */
  size?: [number, number];
  /** Height and width the sources are fitted to, when they differ from the targets' (super-resolution). */
  sourceSize?: [number, number];
  /** Channels of the sources and of the targets (default 3 and 3). */
  sourceChannels?: 1 | 3;
  targetChannels?: 1 | 3;
  /** In side-by-side images, which half is the source (default `left`, A → B). */
  sourceSide?: 'left' | 'right';
}

/** Sources and targets of the same count and order: pass `targets` to `PairedBatcher` with `{ kind: 'given', source }`. */
export interface PairedImages {
  source: ImageDataset;
  target: ImageDataset;
}

async function imagesIn(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new Error(`${dir}: no such folder`);
  }
  const files: string[] = [];
  for (const n of names.sort())
    if (IMAGE.has(extname(n).toLowerCase()) && (await stat(join(dir, n))).isFile()) files.push(n);
  if (files.length === 0) throw new Error(`${dir}: no PNG or JPEG images`);
  return files;
}

/** Whether every pixel has R = G = B (a grey image, whatever its file format). */
function isGrey(img: Rgba): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

/** One side of a side-by-side image. */
function half(img: Rgba, side: 'left' | 'right'): Rgba {
  const w = Math.floor(img.width / 2);
  const x0 = side === 'left' ? 0 : img.width - w;
  const data = new Uint8Array(w * img.height * 4);
  for (let y = 0; y < img.height; y++)
    data.set(img.data.subarray((y * img.width + x0) * 4, (y * img.width + x0 + w) * 4), y * w * 4);
  return { width: w, height: img.height, data };
}

function dataset(
  name: string,
  dir: string,
  fitted: Uint8Array[],
  [h, w]: [number, number],
  c: number,
): ImageDataset {
  const images = new Uint8Array(fitted.length * h * w * c);
  for (const [i, f] of fitted.entries()) images.set(f, i * h * w * c);
  return {
    name,
    split: 'all',
    images,
    labels: undefined,
    count: fitted.length,
    shape: [h, w, c],
    classes: [],
    source: resolve(dir),
  };
}

/**
 * pix2pix's own formats: `dir` a folder of side-by-side images (A on the left half, B on the right, as the paper's
 * datasets ship), or `[aDir, bDir]` two folders whose files pair by name (`aDir/x.png` with `bDir/x.png` or `x.jpg`).
 * Unpaired names, odd-width side-by-side images, empty folders and grey images where colour is asked for are errors
 * that name the files and the fix.
 */
export async function loadPairedFolder(
  dirs: string | [string, string],
  options: PairedFolderOptions = {},
): Promise<PairedImages> {
  const { sourceChannels = 3, targetChannels = 3, sourceSide = 'left' } = options;
  let sources: Rgba[];
  let targets: Rgba[];
  let where: [string, string];
  let names: string[];
  if (typeof dirs === 'string') {
    const files = await imagesIn(dirs);
    const decoded = await Promise.all(files.map((f) => decodeImageFile(join(dirs, f))));
    const odd = files.filter((_, i) => decoded[i]!.width % 2 !== 0 || decoded[i]!.width < 2);
    if (odd.length > 0)
      throw new Error(
        `${dirs}: side-by-side pairs need an even width (A on the left half, B on the right); ${odd.slice(0, 5).join(', ')} ${odd.length === 1 ? 'is' : 'are'} not`,
      );
    sources = decoded.map((d) => half(d, sourceSide));
    targets = decoded.map((d) => half(d, sourceSide === 'left' ? 'right' : 'left'));
    where = [dirs, dirs];
    names = files;
  } else {
    const [aDir, bDir] = dirs;
    const [a, b] = await Promise.all([imagesIn(aDir), imagesIn(bDir)]);
    const stem = (f: string) => basename(f, extname(f));
    for (const [dir, files] of [
      [aDir, a],
      [bDir, b],
    ] as const) {
      const seen = new Map<string, string>();
      for (const f of files) {
        const twin = seen.get(stem(f));
        if (twin)
          throw new Error(
            `${dir}: ${twin} and ${f} have the same name, so which one pairs is ambiguous; keep one of them`,
          );
        seen.set(stem(f), f);
      }
    }
    const bByStem = new Map(b.map((f) => [stem(f), f]));
    const aStems = new Set(a.map(stem));
    const onlyA = a.filter((f) => !bByStem.has(stem(f)));
    const onlyB = b.filter((f) => !aStems.has(stem(f)));
    if (onlyA.length > 0 || onlyB.length > 0)
      throw new Error(
        `${aDir} and ${bDir} must hold the same file names (one pair each): ` +
          [
            onlyA.length
              ? `only in ${aDir}: ${onlyA.slice(0, 5).join(', ')}${onlyA.length > 5 ? ` and ${onlyA.length - 5} more` : ''}`
              : '',
            onlyB.length
              ? `only in ${bDir}: ${onlyB.slice(0, 5).join(', ')}${onlyB.length > 5 ? ` and ${onlyB.length - 5} more` : ''}`
              : '',
          ]
            .filter(Boolean)
            .join('; '),
      );
    sources = await Promise.all(a.map((f) => decodeImageFile(join(aDir, f))));
    targets = await Promise.all(a.map((f) => decodeImageFile(join(bDir, bByStem.get(stem(f))!))));
    where = [aDir, bDir];
    names = a;
  }
  const size = options.size ?? [sources[0]!.height, sources[0]!.width];
  if (options.size == null) {
    const first = `${sources[0]!.width}×${sources[0]!.height}`;
    const odd = [
      ...sources.map((d, i) => [d, names[i]!] as const),
      ...targets.map((d, i) => [d, names[i]!] as const),
    ]
      .filter(([d]) => `${d.width}×${d.height}` !== first)
      .map(([d, name]) => `${name} (${d.width}×${d.height})`);
    if (odd.length > 0)
      throw new Error(
        `${where[0]}: the images have different sizes — ${names[0]} is ${first}, ${odd.slice(0, 5).join(', ')}; pass { size: [height, width] } to fit them`,
      );
  }
  const sourceSize = options.sourceSize ?? size;
  const checkColour = (imgs: Rgba[], c: 1 | 3, side: string) => {
    if (c !== 3) return;
    const grey = imgs.findIndex(isGrey);
    if (grey >= 0)
      throw new Error(
        `${names[grey]}: its ${side} is a grey image, and the ${side}s are read as colour (3 channels); give colour images, or 1 channel for the ${side}s`,
      );
  };
  checkColour(sources, sourceChannels, 'source');
  checkColour(targets, targetChannels, 'target');
  const fitted = (imgs: Rgba[], c: 1 | 3, [h, w]: [number, number]) =>
    imgs.map((img) => fitImage(img, h, w, c, 'center'));
  return {
    source: dataset(
      `A:${where[0]}`,
      where[0],
      fitted(sources, sourceChannels, sourceSize),
      sourceSize,
      sourceChannels,
    ),
    target: dataset(`B:${where[1]}`, where[1], fitted(targets, targetChannels, size), size, targetChannels),
  };
}
