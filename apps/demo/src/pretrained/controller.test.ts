import { readFileSync } from 'node:fs';
import { useBackend } from '@gankit/backends';
import { exportGenerator, GENERATOR_FORMAT, ganFromSpec, instantiate, type ModelSpec } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GeneratorEntry } from './catalog.js';
import { PretrainedController, statusLine } from './controller.js';

const folder = new URL('../../public/generators/', import.meta.url);

/** The page's fetch, from the shipped public/generators/ (`base` is `/generators/`); unknown files are a 404. */
const fromDisk = async (url: string): Promise<Response> => {
  try {
    return new Response(readFileSync(new URL(url.replace(/^\/generators\//, ''), folder)));
  } catch {
    return new Response('missing', { status: 404, statusText: 'Not Found' });
  }
};

beforeAll(async () => {
  await useBackend('wasm');
});

/** A tiny StyleGAN 2 as `gankit export` writes it, its noise switched on (strength 0.3) and w̄ off zero. */
async function tinyStylegan(): Promise<Uint8Array> {
  const model: ModelSpec = {
    family: 'stylegan',
    options: { latentDim: 8, styleDim: 8, mappingLayers: 2, gFilters: [4, 4, 4, 4] },
  };
  const gan = ganFromSpec(model);
  const g = instantiate(gan.generator, 2);
  for (const v of g.variables().filter((v) => /noise/.test(v.name)))
    tf.tidy(() => v.assign(tf.fill(v.shape, 0.3)));
  (g.state.wAvg as tf.Tensor).dispose();
  g.state.wAvg = tf.randomNormal([8], 0, 1, 'float32', 9);
  const bytes = await exportGenerator(g, {
    format: GENERATOR_FORMAT,
    model,
    architecture: gan.architecture,
    latentDim: gan.latentDim,
    dataShape: gan.dataShape,
    dataRange: [-1, 1],
    ema: true,
    steps: 10,
    info: { preset: 'stylegan-fashion', dataset: 'fashion-mnist' },
  });
  g.dispose();
  return bytes;
}

describe('PretrainedController', () => {
  it('lists the shipped generators, draws a row per class, then one class, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const c = new PretrainedController('/generators/', fromDisk);
    const entries = await c.loadIndex();
    expect(entries.map((e) => e.id)).toEqual([
      'mnist-cgan',
      'mnist-dcgan',
      'fashion-cgan',
      'fashion-dcgan',
      'fashion-stylegan',
      'mnist-progan',
    ]);
    expect(await c.loadEntry(entries[0]!)).toBe(true);
    expect(c.current?.source).toBe('mnist-cgan');
    expect(c.asked.choice).toBe('all');
    const all = await c.grid();
    expect(all?.key).toBe('mnist-cgan|all|off|1');
    expect(all?.images.shape).toEqual([80, 28, 28, 1]);
    expect(all?.latents.classes?.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    c.asked.choice = 7;
    c.asked.truncation = 0.5;
    const sevens = await c.grid();
    expect(sevens?.key).toBe('mnist-cgan|7|0.5|1');
    expect(sevens?.latents.classes).toEqual(new Array(32).fill(7));
    // an unconditional generator has no class to ask for; a conditional one after it starts on all classes
    expect(await c.loadEntry(entries[1]!)).toBe(true);
    expect(c.asked.choice).toBeUndefined();
    expect((await c.grid())?.key).toBe('mnist-dcgan|none|0.5|1');
    expect(await c.loadEntry(entries[2]!)).toBe(true);
    expect(c.asked.choice).toBe('all');
    await c.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(await c.grid()).toBeUndefined();
  });

  it('skips a request superseded before it started; a frame needs a walk first', async () => {
    const c = new PretrainedController('/generators/', fromDisk);
    const [entry] = await c.loadIndex();
    await c.loadEntry(entry!);
    expect(await c.frame()).toBeUndefined();
    c.asked.seed = 3;
    const first = c.grid();
    c.asked.seed = 4;
    const second = c.grid();
    expect(await first).toBeUndefined();
    expect((await second)?.key).toBe('mnist-cgan|all|off|4');
    const walk = await c.walk();
    expect(walk?.label).toBe(0); // all classes: the walk is drawn as class 0
    expect(walk?.images.shape).toEqual([8, 28, 28, 1]);
    c.asked.walkT = 0;
    const start = await c.frame();
    expect(start?.images.shape).toEqual([1, 28, 28, 1]);
    // t = 0 is the walk's first frame
    const frame0 = Array.from(walk!.images.values.subarray(0, 784));
    expect(Array.from(start!.images.values)).toEqual(frame0.map((v) => expect.closeTo(v, 5)));
    await c.dispose();
  });

  it('says what is wrong with a missing file or list, and keeps the last generator', async () => {
    const c = new PretrainedController('/generators/', fromDisk);
    const [entry] = await c.loadIndex();
    await c.loadEntry(entry!);
    const missing: GeneratorEntry = { ...entry!, id: 'gone', file: 'gone.safetensors' };
    await expect(c.loadEntry(missing)).rejects.toThrow(
      /^gone.safetensors: HTTP 404 Not Found — this generator's file is not on the server/,
    );
    await expect(c.loadFile(new Uint8Array(3000).fill(7), 'mine.safetensors')).rejects.toThrow(
      /^mine.safetensors is not a gankit generator/,
    );
    expect(c.current?.source).toBe('mnist-cgan');
    await expect(new PretrainedController('/nowhere/', fromDisk).loadIndex()).rejects.toThrow(
      'generators/index.json: HTTP 404',
    );
    const notJson = new PretrainedController('/generators/', async () => new Response('{'));
    await expect(notJson.loadIndex()).rejects.toThrow('generators/index.json is not valid JSON');
    await c.dispose();
  });

  it('frees a generator that arrives after the view was unmounted', async () => {
    const before = tf.memory().numTensors;
    const c = new PretrainedController('/generators/', fromDisk);
    const [entry] = await c.loadIndex();
    const loading = c.loadEntry(entry!);
    await c.dispose();
    expect(await loading).toBe(false);
    expect(c.current).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('notes where index.json and the file disagree', async () => {
    const c = new PretrainedController('/generators/', fromDisk);
    const entries = await c.loadIndex();
    const dcgan = entries.find((e) => e.id === 'mnist-dcgan')!;
    await c.loadEntry({ ...dcgan, conditional: true });
    expect(statusLine(c.current!)).toMatch(
      /^mnist-dcgan: dcgan-28, [\d]+ steps — index.json calls mnist-dcgan.safetensors conditional, its manifest has no classes: the file wins$/,
    );
    await c.dispose();
  });

  it('a style generator: ψ in W, the mixing grid and its crossover, new noise for the same latents; back to a DCGAN', async () => {
    const before = tf.memory().numTensors;
    const c = new PretrainedController('/generators/', fromDisk);
    c.asked.crossover = 99; // left from another generator: fitted to this one's 8 styles
    c.asked.truncation = 0.5; // a z cut is not what a style generator's slider means
    expect(await c.loadFile(await tinyStylegan(), 'tiny.safetensors')).toBe(true);
    expect(c.current?.gen.styles?.count).toBe(8);
    expect(c.asked).toMatchObject({ choice: undefined, crossover: 4, psi: 1, noiseSeed: 1 });
    const plain = await c.grid();
    expect(plain?.key).toBe('tiny.safetensors|none|ψ1|1|noise 1');
    expect(plain?.truncation).toBeUndefined();
    expect(plain?.images.shape).toEqual([32, 28, 28, 1]);
    c.asked.psi = 0;
    const average = await c.grid(); // every latent at w̄: one image, noise aside
    expect(average?.key).toBe('tiny.safetensors|none|ψ0|1|noise 1');
    expect(average?.images.values).not.toEqual(plain?.images.values);
    c.asked.psi = 0.7;
    const mix = await c.mixing();
    expect(mix?.key).toBe('tiny.safetensors|4|ψ0.7|1|noise 1');
    expect(mix?.images.shape).toEqual([(3 + 1) * (6 + 1) - 1, 28, 28, 1]);
    expect(mix?.cells[8]).toEqual({ kind: 'mix', row: 1, col: 1, styles: [0, 0, 0, 0, 3, 3, 3, 3] });
    c.asked.crossover = 2;
    expect((await c.mixing())?.cells[8]?.styles).toEqual([0, 0, 3, 3, 3, 3, 3, 3]);
    // new noise: the same latents and ψ, other images
    const first = await c.grid();
    expect(c.resampleNoise()).toBe(2);
    const second = await c.grid();
    expect(second?.key).toBe('tiny.safetensors|none|ψ0.7|1|noise 2');
    expect(second?.images.values).not.toEqual(first?.images.values);
    // the walk and its frame share their noise: t = 0 is the walk's first frame
    const walk = await c.walk();
    c.asked.walkT = 0;
    const start = await c.frame();
    const frame0 = Array.from(walk!.images.values.subarray(0, 784));
    expect(Array.from(start!.images.values)).toEqual(frame0.map((v) => expect.closeTo(v, 5)));
    // a generator without W: its truncation in z again, no mixing grid, noise not part of its key
    const entries = await c.loadIndex();
    await c.loadEntry(entries.find((e) => e.id === 'mnist-dcgan')!);
    expect(await c.mixing()).toBeUndefined();
    expect((await c.grid())?.key).toBe('mnist-dcgan|none|0.5|1');
    await c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the shipped fashion-stylegan is a style generator whose noise shows', async () => {
    const before = tf.memory().numTensors;
    const c = new PretrainedController('/generators/', fromDisk);
    const entries = await c.loadIndex();
    expect(await c.loadEntry(entries.find((e) => e.id === 'fashion-stylegan')!)).toBe(true);
    expect(c.current?.gen.manifest.architecture).toBe('stylegan2-28');
    expect(c.current?.gen.styles).toMatchObject({ count: 8, coarse: 4 });
    const first = await c.grid();
    c.resampleNoise();
    const second = await c.grid();
    expect(second?.key).toBe('fashion-stylegan|none|ψ1|1|noise 2');
    expect(second?.images.values).not.toEqual(first?.images.values);
    await c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the shipped mnist-progan is a grown ProGAN generator with its growth strip, drawn at 28×28', async () => {
    const before = tf.memory().numTensors;
    const c = new PretrainedController('/generators/', fromDisk);
    const entries = await c.loadIndex();
    const entry = entries.find((e) => e.id === 'mnist-progan')!;
    expect(entry.growth!.map((g) => g.file)).toEqual([
      'mnist-progan-res-007.png',
      'mnist-progan-res-014.png',
      'mnist-progan-res-028.png',
    ]);
    expect(await c.loadEntry(entry)).toBe(true);
    expect(c.current?.gen.manifest.architecture).toBe('progan-28');
    expect(c.current?.gen.styles).toBeUndefined();
    const grid = await c.grid();
    expect(grid?.images.shape.slice(1)).toEqual([28, 28, 1]);
    expect(Math.max(...grid!.images.values) - Math.min(...grid!.images.values)).toBeGreaterThan(0.5);
    await c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
