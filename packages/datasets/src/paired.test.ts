import { useBackend } from '@gankit/backends';
import { uniformStream } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from './image-dataset.js';
import { PairedBatcher } from './paired.js';
import { areaDownscale, holeMask, sobelEdges } from './paired-transforms.js';
import { ImageBatcher } from './pipeline.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** `count` seeded 8×8 images (grey or colour) with labels i mod 10. */
function images(count: number, c = 1, name = 'toy'): ImageDataset {
  const u = uniformStream(count * 7 + c);
  return {
    name,
    split: 'train',
    images: Uint8Array.from({ length: count * 64 * c }, () => Math.floor(u() * 256)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    shape: [8, 8, c],
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
    source: 'test',
  };
}

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe('paired tasks', () => {
  it('pairs line up: the targets are the ImageBatcher’s, and each source is made from its own target', async () => {
    const data = images(20);
    const pairs = new PairedBatcher(data, { kind: 'downscale', factor: 2 }, { batchSize: 6, seed: 3 });
    const plain = new ImageBatcher(data, { batchSize: 6, seed: 3 });
    for (let b = 0; b < 4; b++) {
      // four batches: the fourth starts a new, reshuffled epoch
      const p = pairs.next();
      const q = plain.next();
      expect(await read(p.target)).toEqual(await read(q.images));
      expect(await read(p.labels!)).toEqual(await read(q.labels!));
      expect(p.source.shape).toEqual([6, 4, 4, 1]);
      const targets = await read(p.target);
      const sources = await read(p.source);
      for (let i = 0; i < 6; i++) {
        const one = Float32Array.from(targets.slice(i * 64, (i + 1) * 64), (v) => (v + 1) / 2);
        const expected = Array.from(areaDownscale(one, 8, 8, 1, 2), (v) => v * 2 - 1);
        sources.slice(i * 16, (i + 1) * 16).forEach((v, k) => {
          expect(v).toBeCloseTo(expected[k]!, 5);
        });
      }
      expect(p.epoch).toBe(q.epoch);
      tf.dispose([p.source, p.target, p.labels!, q.images, q.labels!]);
    }
  });

  it('area downscaling averages blocks; Sobel edges mark a step and thicken; masks fill what they say', () => {
    const image = Float32Array.from({ length: 16 }, (_, i) => i);
    expect(Array.from(areaDownscale(image, 4, 4, 1, 2))).toEqual([2.5, 4.5, 10.5, 12.5]);
    // a vertical step between columns 3 and 4 of an 8×8 image: edges in columns 3 and 4 only
    const step = Float32Array.from({ length: 64 }, (_, i) => (i % 8 >= 4 ? 1 : 0));
    const edges = sobelEdges(step, 8, 8, 1);
    for (let y = 0; y < 8; y++)
      expect(Array.from(edges.slice(y * 8, y * 8 + 8))).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
    const thick = sobelEdges(step, 8, 8, 1, { thickness: 2 });
    expect(Array.from(thick.slice(0, 8))).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(sobelEdges(new Float32Array(64).fill(0.5), 8, 8, 1))).toEqual(new Array(64).fill(0));
    const centre = holeMask('centre', 8, 8, () => 0.5);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) expect(centre[y * 8 + x]).toBe(y >= 2 && y < 6 && x >= 2 && x < 6 ? 1 : 0);
    for (const kind of ['rectangles', 'strokes'] as const) {
      const a = holeMask(kind, 28, 28, uniformStream(1));
      const b = holeMask(kind, 28, 28, uniformStream(1));
      const c = holeMask(kind, 28, 28, uniformStream(2));
      expect(Array.from(a)).toEqual(Array.from(b)); // seeded
      expect(Array.from(a)).not.toEqual(Array.from(c));
      const holes = a.reduce((s, v) => s + v, 0);
      expect(holes).toBeGreaterThan(0);
      expect(holes).toBeLessThan(28 * 28 * 0.75);
    }
  });

  it('inpainting: holes are 0 in the range, the mask is the last channel and its own tensor, fresh per draw', async () => {
    const data = images(12);
    const pairs = new PairedBatcher(data, { kind: 'inpaint', mask: 'rectangles' }, { batchSize: 4, seed: 1 });
    const p = pairs.next();
    expect(p.source.shape).toEqual([4, 8, 8, 2]);
    const [source, target, mask] = await Promise.all([read(p.source), read(p.target), read(p.mask!)]);
    for (let i = 0; i < 4 * 64; i++) {
      expect(source[i * 2 + 1]).toBe(mask[i]);
      expect(source[i * 2]).toBeCloseTo(mask[i] === 1 ? 0 : target[i]!, 6);
    }
    // the same examples in the next epoch get other holes
    const rest = [pairs.next(), pairs.next()];
    const again = pairs.next();
    expect(await read(again.mask!)).not.toEqual(mask);
    tf.dispose([p, ...rest, again].flatMap((b) => [b.source, b.target, b.mask!, b.labels!]));
  });

  it('resumes exactly: a restored batcher draws the same pairs and masks', async () => {
    const data = images(10);
    const task = { kind: 'inpaint', mask: 'strokes' } as const;
    const a = new PairedBatcher(data, task, { batchSize: 4, seed: 5 });
    tf.dispose(Object.values(a.next()).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
    const saved = a.state();
    const b = new PairedBatcher(data, task, { batchSize: 4, seed: 5 });
    b.restore(saved);
    for (let i = 0; i < 3; i++) {
      const x = a.next();
      const y = b.next();
      expect(await read(x.source)).toEqual(await read(y.source));
      expect(await read(x.mask!)).toEqual(await read(y.mask!));
      tf.dispose([x, y].flatMap((t) => [t.source, t.target, t.mask!, t.labels!]));
    }
  });

  it('given sources: read at the same index; bad pairings are refused, naming the fix', async () => {
    const targets = images(6, 3, 'B');
    const sources = images(6, 1, 'A');
    const pairs = new PairedBatcher(
      targets,
      { kind: 'given', source: sources },
      { batchSize: 6, seed: 0, shuffle: false },
    );
    const p = pairs.next();
    expect(p.source.shape).toEqual([6, 8, 8, 1]);
    expect((await read(p.source)).slice(0, 64).map((v) => Math.round(((v + 1) / 2) * 255))).toEqual(
      Array.from(sources.images.slice(0, 64)),
    );
    tf.dispose([p.source, p.target, p.labels!]);
    expect(
      () => new PairedBatcher(targets, { kind: 'given', source: images(5, 1, 'A') }, { batchSize: 2 }),
    ).toThrow(
      /the sources \(A\) have 5 images and the targets \(B\) 6: every target needs the source of the same name/,
    );
    // sources of another size (super-resolution pairs) are the model's business, not the batcher's
    const small = {
      ...images(6, 1, 'A'),
      images: new Uint8Array(6 * 16),
      shape: [4, 4, 1] as [number, number, number],
    };
    small.images.forEach((_, i) => {
      small.images[i] = Math.floor(i / 16) * 10; // source k is a flat 10·k
    });
    const sr = new PairedBatcher(
      targets,
      { kind: 'given', source: small },
      { batchSize: 6, shuffle: false, range: [0, 1] },
    ).next();
    expect(sr.source.shape).toEqual([6, 4, 4, 1]);
    const values = await read(sr.source);
    for (let k = 0; k < 6; k++)
      expect(values.slice(k * 16, (k + 1) * 16).every((v) => Math.abs(v * 255 - 10 * k) < 1e-3)).toBe(true);
    tf.dispose([sr.source, sr.target, sr.labels!]);
    expect(() => new PairedBatcher(images(4), { kind: 'grey' }, { batchSize: 2 })).toThrow(
      /grey → colour needs a colour dataset \(3 channels\); toy has 1/,
    );
    expect(
      () => new PairedBatcher(images(4), { kind: 'downscale', factor: 3 as 2 }, { batchSize: 2 }),
    ).toThrow(/downscale factor 3 must be 2 or 4/);
  });
});
