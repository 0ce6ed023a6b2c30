import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@gankit/backends';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PairedBatcher } from './paired.js';
import { loadPairedFolder } from './paired-folder.js';

const dir = mkdtempSync(join(tmpdir(), 'gankit-pairs-'));
/** A w×h PNG whose pixel (x, y) is grey level f(x, y). */
function png(path: string, w: number, h: number, f: (x: number, y: number) => number): void {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) p.data.set([f(x, y), f(x, y), f(x, y), 255], (y * w + x) * 4);
  writeFileSync(path, PNG.sync.write(p));
}

beforeAll(async () => {
  await useBackend('cpu');
  for (const d of ['sbs', 'A', 'B', 'odd', 'unmatchedA', 'unmatchedB', 'twins']) mkdirSync(join(dir, d));
  // side by side: left half is 10·i, right half 200 + i (image i)
  for (let i = 0; i < 3; i++) png(join(dir, 'sbs', `${i}.png`), 8, 4, (x) => (x < 4 ? 10 * i : 200 + i));
  for (let i = 0; i < 3; i++) {
    png(join(dir, 'A', `p${i}.png`), 4, 4, () => 10 * i);
    png(join(dir, 'B', `p${i}.png`), 4, 4, () => 200 + i);
  }
  png(join(dir, 'odd', 'x.png'), 7, 4, () => 0);
  png(join(dir, 'unmatchedA', 'a.png'), 4, 4, () => 0);
  png(join(dir, 'unmatchedA', 'b.png'), 4, 4, () => 0);
  png(join(dir, 'unmatchedB', 'a.png'), 4, 4, () => 0);
  png(join(dir, 'unmatchedB', 'c.png'), 4, 4, () => 0);
  png(join(dir, 'twins', 'a.png'), 4, 4, () => 0);
  png(join(dir, 'twins', 'a.PNG'), 4, 4, () => 0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paired folders (pix2pix formats)', () => {
  it.each([
    [
      'side-by-side A|B images',
      () => loadPairedFolder(join(dir, 'sbs'), { sourceChannels: 1, targetChannels: 1 }),
    ],
    [
      'two folders paired by file name',
      () => loadPairedFolder([join(dir, 'A'), join(dir, 'B')], { sourceChannels: 1, targetChannels: 1 }),
    ],
  ])('%s: pair i is (A_i, B_i), and batches keep them together', async (_, load) => {
    const { source, target } = await load();
    expect([source.count, target.count, source.shape, target.shape]).toEqual([3, 3, [4, 4, 1], [4, 4, 1]]);
    for (let i = 0; i < 3; i++) {
      expect(source.images[i * 16]).toBe(10 * i);
      expect(target.images[i * 16]).toBe(200 + i);
    }
    const batch = new PairedBatcher(
      target,
      { kind: 'given', source },
      { batchSize: 3, seed: 2, range: [0, 1] },
    ).next();
    const [s, t] = [await batch.source.data(), await batch.target.data()];
    for (let i = 0; i < 3; i++)
      expect(Math.round(s[i * 16]! * 255) / 10).toBe(Math.round(t[i * 16]! * 255) - 200);
    tf.dispose([batch.source, batch.target]);
  });

  it('refuses unmatched names, odd widths, missing folders and grey images read as colour, naming the files', async () => {
    await expect(loadPairedFolder([join(dir, 'unmatchedA'), join(dir, 'unmatchedB')])).rejects.toThrow(
      /must hold the same file names \(one pair each\): only in .*unmatchedA: b\.png; only in .*unmatchedB: c\.png/,
    );
    await expect(loadPairedFolder(join(dir, 'odd'))).rejects.toThrow(
      /side-by-side pairs need an even width .*x\.png is not/,
    );
    await expect(loadPairedFolder(join(dir, 'nope'))).rejects.toThrow(/nope: no such folder/);
    await expect(loadPairedFolder([join(dir, 'unmatchedA'), join(dir, 'twins')])).rejects.toThrow(
      /twins: a\.PNG and a\.png have the same name, so which one pairs is ambiguous/,
    );
    await expect(loadPairedFolder(join(dir, 'sbs'), { targetChannels: 1 })).rejects.toThrow(
      /0\.png: its source is a grey image, and the sources are read as colour \(3 channels\); give colour images, or 1 channel for the sources/,
    );
  });
});
