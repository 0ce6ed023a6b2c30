import { useBackend } from '@gankit/backends';
import { uniformStream } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataset } from './image-dataset.js';
import { PairedBatcher, type PairedTask } from './paired.js';
import { sobelEdges } from './paired-transforms.js';
import { bicubicUpscale, translationSource } from './translation-source.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const toy = (): ImageDataset => {
  const u = uniformStream(5);
  return {
    name: 'toy',
    split: 'train',
    images: Uint8Array.from({ length: 6 * 64 }, () => Math.floor(u() * 256)),
    labels: undefined,
    classes: [],
    count: 6,
    shape: [8, 8, 1],
    source: 'test',
  };
};

describe('translationSource', () => {
  it('makes the sources the training tasks made, from the same images (downscale, edges, inpaint)', async () => {
    const tasks: PairedTask[] = [
      { kind: 'downscale', factor: 2 },
      { kind: 'edges' },
      { kind: 'inpaint', mask: 'rectangles' },
    ];
    for (const task of tasks) {
      const batch = new PairedBatcher(toy(), task, { batchSize: 6, seed: 2 }).next();
      const [targets, sources, masks] = await Promise.all([
        batch.target.data(),
        batch.source.data(),
        batch.mask?.data(),
      ]);
      const per = batch.source.shape.slice(1).reduce((a, b) => a * b, 1);
      for (let i = 0; i < 6; i++) {
        const unit = Float32Array.from(targets.subarray(i * 64, (i + 1) * 64), (v) => (v + 1) / 2);
        // what a user hands over: the image itself, its edge map, or the image and a hole
        const given = task.kind === 'edges' ? sobelEdges(unit, 8, 8, 1) : unit;
        const mask = masks ? Float32Array.from(masks.subarray(i * 64, (i + 1) * 64)) : undefined;
        const made = translationSource(task, given, [8, 8, 1], [-1, 1], mask);
        expect(made.shape).toEqual(batch.source.shape.slice(1));
        Array.from(made.values).forEach((v, k) => {
          expect(v).toBeCloseTo(sources[i * per + k]!, 5);
        });
      }
      tf.dispose([batch.source, batch.target, ...(batch.mask ? [batch.mask] : [])]);
    }
  });

  it('binarises drawn edges at half intensity and refuses what cannot be a source', () => {
    const drawn = Float32Array.from([0, 0.49, 0.5, 1]);
    expect(Array.from(translationSource({ kind: 'edges' }, drawn, [2, 2, 1], [-1, 1]).values)).toEqual([
      -1, -1, 1, 1,
    ]);
    expect(() => translationSource({ kind: 'edges' }, drawn, [3, 3, 1], [-1, 1])).toThrow(
      /4 values, not 3×3×1/,
    );
    expect(() => translationSource({ kind: 'inpaint' }, drawn, [2, 2, 1], [-1, 1])).toThrow(
      /hole mask of 2×2/,
    );
    expect(() => translationSource({ kind: 'downscale', factor: 3 }, drawn, [2, 2, 1], [-1, 1])).toThrow(
      /factor 3 must be 2 or 4/,
    );
  });
});

describe('bicubicUpscale', () => {
  it('keeps constants and ramps, equals Keys’ kernel by hand, and clips its overshoot', () => {
    const flat = bicubicUpscale(new Float32Array(9).fill(0.3), 3, 3, 1, 4);
    expect(flat).toHaveLength(144);
    for (const v of flat) expect(v).toBeCloseTo(0.3, 6);
    // a horizontal ramp 0.1·x: away from the borders the output follows the ramp at the mapped positions
    const ramp = Float32Array.from({ length: 64 }, (_, i) => 0.1 * (i % 8));
    const up = bicubicUpscale(ramp, 8, 8, 1, 2);
    for (let x = 4; x < 12; x++) expect(up[5 * 16 + x]).toBeCloseTo(0.1 * ((x + 0.5) / 2 - 0.5), 6);
    // one value by hand: a 1-D step [0, 0, 1, 1] ×2, output 3 maps to 1.25 → taps at 0..3 with t = 1.25, .25, .75, 1.75
    const step = bicubicUpscale(Float32Array.from([0, 0, 1, 1]), 1, 4, 1, 2);
    const k = (t: number) =>
      t <= 1 ? 1.5 * t ** 3 - 2.5 * t ** 2 + 1 : -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2;
    expect(step[3]).toBeCloseTo(k(0.75) + k(1.75), 6);
    // a hard edge overshoots with a = −0.5; the result stays in range
    const edge = bicubicUpscale(Float32Array.from([0, 0, 1, 1, 1, 0, 0]), 1, 7, 1, 4);
    expect(Math.max(...edge)).toBeLessThanOrEqual(1);
    expect(Math.min(...edge)).toBeGreaterThanOrEqual(0);
    expect(Array.from(bicubicUpscale(ramp, 8, 8, 1, 1))).toEqual(Array.from(ramp).map((v) => Math.fround(v)));
  });
});
