import { useBackend } from '@gankit/backends';
import { areaDownscale, type ImageDataset, sobelEdges } from '@gankit/datasets';
import { exportTranslator, instantiate, TRANSLATOR_FORMAT, translationFromSpec } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTranslatorIndex, type TranslatorEntry } from './catalog.js';
import { TranslateController } from './controller.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** 12 seeded 8×8 grey images, labels i mod 10 (the examples). */
const examples: ImageDataset = {
  name: 'mnist',
  split: 'test',
  images: Uint8Array.from({ length: 12 * 64 }, (_, i) => (i * 37 + (i >> 3) * 11) % 256),
  labels: Uint8Array.from({ length: 12 }, (_, i) => i % 10),
  count: 12,
  shape: [8, 8, 1],
  classes: Array.from({ length: 10 }, (_, i) => `digit ${i}`),
  source: 'test',
};

const SPECS = {
  edges: { family: 'pix2pix', options: { imageSize: 8, gFilters: [4, 8], dFilters: 4, patchLayers: 1 } },
  inpaint: { family: 'inpainting', options: { imageSize: 8, gFilters: [4, 8], dFilters: 4, patchLayers: 1 } },
  downscale: { family: 'srgan', options: { factor: 2, imageSize: 8, filters: 4, blocks: 1 } },
} as const;

/** A translator file for `task` with seeded weights. */
async function file(task: keyof typeof SPECS): Promise<Uint8Array> {
  const spec = SPECS[task];
  const def = translationFromSpec(spec as never);
  const g = instantiate(def.generator, 1);
  const bytes = await exportTranslator(g, {
    format: TRANSLATOR_FORMAT,
    model: spec as never,
    architecture: def.architecture,
    sourceShape: [...def.sourceShape],
    targetShape: [...def.targetShape],
    dataRange: def.dataRange,
    task: task === 'downscale' ? { kind: task, factor: 2 } : { kind: task },
    ema: false,
    steps: 5,
  });
  g.dispose();
  return bytes;
}

const entry = (task: keyof typeof SPECS, over: Partial<TranslatorEntry> = {}): TranslatorEntry => ({
  id: `toy-${task}`,
  title: task,
  file: `${task}.safetensors`,
  dataset: 'mnist',
  task,
  description: 'a toy',
  command: '',
  ...over,
});

/** A controller over the three toy files; `slow` files arrive after `delay` ms; `examples` may fail. */
async function controller(options: { slow?: string; delay?: number; failExamples?: boolean } = {}) {
  const files = new Map<string, Uint8Array>();
  for (const task of Object.keys(SPECS) as (keyof typeof SPECS)[])
    files.set(`/g/${task}.safetensors`, await file(task));
  const fetchFn = async (url: string) => {
    if (options.slow && url.endsWith(options.slow))
      await new Promise((done) => setTimeout(done, options.delay ?? 50));
    const bytes = files.get(url);
    return bytes
      ? new Response(bytes as BodyInit)
      : new Response('no', { status: 404, statusText: 'Not Found' });
  };
  const load = async () => {
    if (options.failExamples) throw new Error('data/mnist-test-images.idx.gz: HTTP 500');
    return examples;
  };
  return new TranslateController('/g/', load, fetchFn);
}

describe('the image-to-image controller', () => {
  it('edges: the pad starts from the example’s Sobel edges; edits, latest request only, nothing left behind', async () => {
    const before = tf.memory().numTensors;
    const c = await controller();
    expect(await c.load(entry('edges'), 15)).toBe(true);
    const input = c.input!;
    expect(input.example).toBe(3); // wrapped into the 12 examples
    expect(input.label).toBe('digit 3');
    const unit = Float32Array.from(examples.images.subarray(3 * 64, 4 * 64), (v) => v / 255);
    expect(Array.from(input.image.values)).toEqual(Array.from(sobelEdges(unit, 8, 8, 1)));
    expect(Array.from(input.original!.values)).toEqual(Array.from(unit));
    const first = await c.translate();
    expect(first!.output.shape).toEqual([8, 8, 1]);
    expect(first!.key).toBe('toy-edges|3|0');
    for (const v of first!.output.values) expect(v >= 0 && v <= 1).toBe(true);
    // a stroke: the original no longer matches, and a superseded request is skipped
    input.image.values.fill(1, 0, 8);
    c.edited();
    expect(c.input!.original).toBeUndefined();
    const [skipped, latest] = await Promise.all([c.translate(), c.translate()]);
    expect(skipped).toBeUndefined();
    expect(latest!.key).toBe('toy-edges|3|1');
    expect(Array.from(latest!.output.values)).not.toEqual(Array.from(first!.output.values));
    c.clear();
    expect(c.input!.image.values.every((v) => v === 0)).toBe(true);
    await c.dispose();
    expect(await c.translate()).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('inpainting keeps the image and its original; the hole is drawn, squared and cleared', async () => {
    const c = await controller();
    await c.load(entry('inpaint'), 0);
    const input = c.input!;
    expect(input.mask!.reduce((s, v) => s + v, 0)).toBe(16); // the training task's centre square
    c.clear();
    expect(input.mask!.every((v) => v === 0)).toBe(true);
    c.centreHole();
    expect(input.mask!.reduce((s, v) => s + v, 0)).toBe(16);
    expect(input.original).toBeDefined();
    const t = await c.translate();
    // outside the hole the composite is the image itself
    input.mask!.forEach((m, p) => {
      if (m === 0) expect(t!.output.values[p]).toBeCloseTo(input.image.values[p]!, 5);
    });
    await c.dispose();
  });

  it('super-resolution: the small image is the example area-averaged, shown beside bicubic', async () => {
    const c = await controller();
    await c.load(entry('downscale'), 1);
    const unit = Float32Array.from(examples.images.subarray(64, 128), (v) => v / 255);
    expect(Array.from(c.input!.image.values)).toEqual(Array.from(areaDownscale(unit, 8, 8, 1, 2)));
    const t = await c.translate();
    expect(t!.output.shape).toEqual([8, 8, 1]);
    expect(t!.bicubic!.shape).toEqual([8, 8, 1]);
    await c.dispose();
  });

  it('refuses a list that disagrees with the file, and a missing file, and keeps what it showed', async () => {
    const c = await controller();
    await c.load(entry('edges'));
    await expect(c.load(entry('inpaint', { file: 'edges.safetensors' }))).rejects.toThrow(
      /edges\.safetensors was trained on the 'edges' task, but translators\.json says 'inpaint'/,
    );
    await expect(c.load(entry('edges', { file: 'gone.safetensors' }))).rejects.toThrow(
      /gone\.safetensors: HTTP 404 Not Found — this generator's file is not on the server/,
    );
    expect(c.current!.entry.id).toBe('toy-edges');
    expect((await c.translate())!.key).toMatch(/^toy-edges\|/);
    await c.dispose();
  });
});

describe('loading', () => {
  it('the generator picked last wins, whatever order the files arrive in; a failed load leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const c = await controller({ slow: 'edges.safetensors', delay: 80 });
    const [first, second] = await Promise.all([c.load(entry('edges')), c.load(entry('downscale'))]);
    expect([first, second]).toEqual([false, true]);
    expect(c.current!.entry.id).toBe('toy-downscale');
    await c.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const failing = await controller({ failExamples: true });
    await expect(failing.load(entry('edges'))).rejects.toThrow(/HTTP 500/);
    await failing.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('translators.json', () => {
  it('reads complete entries and names what is wrong with the others', () => {
    const ok = entry('edges');
    expect(parseTranslatorIndex({ translators: [ok] })).toEqual([ok]);
    expect(() => parseTranslatorIndex([])).toThrow(/expected an object with a "translators" list/);
    expect(() => parseTranslatorIndex({ translators: [{ ...ok, title: '' }] })).toThrow(
      /translators\[0\]\.title must be a non-empty string, got ""/,
    );
    expect(() => parseTranslatorIndex({ translators: [{ ...ok, task: 'colour' }] })).toThrow(
      /task 'colour' must be one of edges, inpaint, downscale/,
    );
    expect(() => parseTranslatorIndex({ translators: [{ ...ok, dataset: 'cifar10' }] })).toThrow(
      /dataset 'cifar10' must be one the demo serves: mnist, fashion-mnist/,
    );
    expect(() => parseTranslatorIndex({ translators: [{ ...ok, file: '../x.safetensors' }] })).toThrow(
      /must be a \.safetensors file name/,
    );
    expect(() => parseTranslatorIndex({ translators: [ok, { ...ok, file: 'b.safetensors' }] })).toThrow(
      /translators\[1\]\.id 'toy-edges' appears twice/,
    );
  });
});
