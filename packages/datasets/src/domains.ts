/**
 * Built-in image domains for unpaired translation, made offline from a dataset we ship: a half of it (so that no
 * image of one domain is an image of the other), and a restyled copy — strokes thickened and the image inverted —
 * whose classes are the original's, so that a translation's class preservation can be measured.
 */
import type { ImageDataset } from './image-dataset.js';

/**
 * How a domain is drawn: `thick` dilates every stroke by one pixel (grey-scale dilation, the maximum over each 3×3
 * neighbourhood); `inverted` makes dark strokes on white (255 − v); `thick-inverted` both, in that order.
 */
export const DOMAIN_STYLES = ['thick', 'inverted', 'thick-inverted'] as const;
export type DomainStyle = (typeof DOMAIN_STYLES)[number];

/** Grey-scale dilation of one uint8 image `[h, w, c]` by a 3×3 square (borders: only the pixels inside). */
function dilate(image: Uint8Array, h: number, w: number, c: number): Uint8Array {
  const out = new Uint8Array(image.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        let v = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy >= 0 && yy < h && xx >= 0 && xx < w) v = Math.max(v, image[(yy * w + xx) * c + k]!);
          }
        out[(y * w + x) * c + k] = v;
      }
  return out;
}

/** `dataset` drawn in `style`: every image restyled, labels and classes kept, the style in its name. */
export function restyle(dataset: ImageDataset, style: DomainStyle): ImageDataset {
  if (!(DOMAIN_STYLES as readonly string[]).includes(style))
    throw new Error(`unknown domain style '${style}'; use one of ${DOMAIN_STYLES.join(', ')}`);
  const [h, w, c] = dataset.shape;
  const per = h * w * c;
  const images = new Uint8Array(dataset.images.length);
  for (let i = 0; i < dataset.count; i++) {
    let one = dataset.images.subarray(i * per, (i + 1) * per);
    if (style !== 'inverted') one = dilate(one, h, w, c);
    if (style !== 'thick') one = one.map((v) => 255 - v);
    images.set(one, i * per);
  }
  return {
    ...dataset,
    name: `${dataset.name}:${style}`,
    images,
    source: `${dataset.source}, restyled ${style}`,
  };
}

/**
 * The first or the second half of a dataset (its order as stored), so that two domains share no image. A labelled
 * dataset stored class by class (gankit's Fashion-MNIST training split) is refused: its halves would hold different
 * classes.
 */
export function halfOf(dataset: ImageDataset, which: 'first' | 'second'): ImageDataset {
  const [h, w, c] = dataset.shape;
  const per = h * w * c;
  const mid = Math.floor(dataset.count / 2);
  const [from, to] = which === 'first' ? [0, mid] : [mid, dataset.count];
  if (dataset.labels) {
    // a class of 10 images or more with none in this half: the data is stored sorted by class
    const counts = new Map<number, number>();
    for (const l of dataset.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const here = new Set(dataset.labels.subarray(from, to));
    const missing = [...counts].filter(([l, n]) => n >= 10 && !here.has(l)).length;
    if (missing > 0)
      throw new Error(
        `the ${which} half of ${dataset.name} (${dataset.split}) lacks ${missing} of its ${counts.size} classes: it is stored class by class, so its halves are not two samples of one distribution; give the domains datasets or folders of their own`,
      );
  }
  return {
    ...dataset,
    name: `${dataset.name}[${which} half]`,
    images: dataset.images.slice(from * per, to * per),
    labels: dataset.labels?.slice(from, to),
    count: to - from,
    source: `${dataset.source}, images ${from}–${to - 1}`,
  };
}
