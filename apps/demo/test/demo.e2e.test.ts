/**
 * The demo as a visitor meets it: built with Vite, served by `vite preview` on http://localhost, driven in
 * headless Debian Chromium (WebGPU on SwiftShader, its CPU adapter). Screenshots of each view go to
 * test-results/screenshots/. The pretrained view's samples are classified here, in Node, by the project's MNIST
 * classifier (@gankit/metrics' shipped extractor).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { useBackend } from '@gankit/backends';
import { type FeatureExtractor, loadShippedExtractor } from '@gankit/metrics';
import * as tf from '@tensorflow/tfjs-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../src/pretrained/samples.js';

const root = resolve(import.meta.dirname, '..');
const screenshots = join(root, 'test-results', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const required = process.env.GANKIT_REQUIRE_WEBGPU === '1';
const available = existsSync(CHROMIUM);
if (!available && !required)
  console.warn(`skipping the demo's browser tests: ${CHROMIUM} is not installed (apt-get install chromium)`);

let outDir = '';
let server: PreviewServer | undefined;
let browser: Browser | undefined;
let base = '';

beforeAll(async () => {
  if (!available) {
    if (required) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
    return;
  }
  outDir = mkdtempSync(join(tmpdir(), 'gankit-demo-'));
  const started = performance.now();
  // a production build in its own process (vitest sets NODE_ENV=test), as `pnpm build` makes it; asynchronous, so
  // that vitest's worker RPC is not starved while it runs
  await promisify(execFile)(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 64 * 1024 * 1024 },
  );
  console.log(`vite build: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // the site carries its training data and the pretrained generators
  expect(readdirSync(join(outDir, 'data')).sort()).toEqual([
    'fashion-mnist-train-images.idx.gz',
    'fashion-mnist-train-labels.idx.gz',
    'mnist-train-images.idx.gz',
    'mnist-train-labels.idx.gz',
  ]);
  expect(readdirSync(join(outDir, 'generators'))).toEqual(
    expect.arrayContaining(['index.json', 'mnist-cgan.safetensors']),
  );
  server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: 'localhost', port: 0 },
  });
  base = server.resolvedUrls!.local[0]!;
  expect(base).toMatch(/^http:\/\/localhost:\d+\/$/);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(screenshots, { recursive: true });
}, 600_000); // the Vite build took 11 s alone and 91 s beside other test processes on two cores

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  errors: string[];
}

const pages: Page[] = [];

/** The 2D playground has its first visuals: the modes readout is a number once a snapshot was read. */
const playgroundReady = (page: Page) => waitFor(page, 'modes-covered', (t) => /^\d+$/.test(t));

/** Opens the demo and waits until the view is ready (by default: the 2D playground's first visuals). */
async function open(
  query = '',
  setup?: (page: Page) => Promise<unknown>,
  ready: (page: Page) => Promise<unknown> = playgroundReady,
): Promise<Opened> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 860 } });
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await setup?.(page);
  await page.goto(base + query);
  await page.waitForSelector('body[data-ready=true]', { timeout: WAIT });
  await ready(page);
  return { page, errors };
}

const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent())?.trim() ?? '';
const num = async (page: Page, id: string) => Number(await text(page, id));

async function counters(page: Page) {
  return {
    step: await num(page, 'step'),
    d: await num(page, 'd-updates'),
    g: await num(page, 'g-updates'),
  };
}

/**
 * Page waits are for events, never deadlines: each limit is far above its measured time (the longest wait, the
 * first WebGPU image iteration on SwiftShader, took 15 s alone and ~35 s beside other test processes) and only
 * catches a hang.
 */
const WAIT = 300_000;

/** Waits until the readout `id` satisfies `ok` (polling the page). */
async function waitFor(page: Page, id: string, ok: (text: string) => boolean, timeout = WAIT) {
  const end = Date.now() + timeout;
  let last = '';
  while (Date.now() < end) {
    last = await text(page, id);
    if (ok(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out after ${timeout} ms waiting on ${id} (last: '${last}')`);
}

/** The tensors readout once training has stopped and the readout has refreshed (it updates every 500 ms). */
async function settledTensors(page: Page): Promise<number> {
  await page.waitForTimeout(700);
  return num(page, 'tensors');
}

async function shoot(page: Page, name: string) {
  await page.waitForTimeout(300); // a frame or two for the canvases
  await page.screenshot({ path: join(screenshots, name), fullPage: true });
}

// Each test took 5–27 s alone (the WebGPU ones the longest) and up to ~4× that beside other test processes on two
// cores; the limit only catches a hang.
const E2E = { timeout: 600_000 };

describe.skipIf(!available && !required)('the demo in headless Chromium', E2E, () => {
  afterAll(async () => {
    for (const p of pages) await p.close();
  });

  it('loads on WebGPU (SwiftShader, a software adapter) and trains the 2D playground there', async () => {
    const { page, errors } = await open();
    const backend = await text(page, 'backend');
    const details = await page.getByTestId('backend-details').textContent();
    if (required) expect(backend).toBe('webgpu');
    else if (backend !== 'webgpu')
      console.warn(`WebGPU did not start here; the page fell back to ${backend}:\n${details}`);
    if (backend === 'webgpu') {
      expect(details).toMatch(/WebGPU on .*swiftshader/i);
      // a software adapter is used, and the visitor is told it is slow and offered wasm
      await expect(page.getByTestId('slow-hint').textContent()).resolves.toMatch(/slow/);
    }
    expect(await text(page, 'step')).toBe('0');
    expect(await num(page, 'modes-total')).toBe(8);
    const started = performance.now();
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 1); // SwiftShader: ~2 s an iteration, most of it compiling
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const seconds = (performance.now() - started) / 1000;
    const { step } = await counters(page);
    console.log(
      `${backend}: ${step} iterations in ${seconds.toFixed(1)} s of play (${(step / seconds).toFixed(2)} it/s, reads of the visuals included)`,
    );
    for (const id of ['d-loss', 'g-loss', 'js']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
    await shoot(page, `playground-${backend}.png`);
    // the single updates run on this backend too, and leave no tensors behind
    const tensors = await settledTensors(page);
    const before = await counters(page);
    await page.getByTestId('step-d').click();
    await waitFor(page, 'd-updates', (t) => Number(t) === before.d + 1);
    await page.getByTestId('step-g').click();
    await waitFor(page, 'g-updates', (t) => Number(t) === before.g + 1);
    await waitFor(page, 'state', (t) => t === 'paused');
    expect(await counters(page)).toEqual({ step: before.step, d: before.d + 1, g: before.g + 1 });
    expect(Number.isFinite(await num(page, 'g-loss'))).toBe(true);
    expect(await settledTensors(page)).toBe(tensors);
    expect(errors).toEqual([]);
  });

  it('ring of 8 on wasm: modes covered rise with training while the tensor count stays flat', async () => {
    const { page, errors } = await open('?backend=wasm');
    expect(await text(page, 'backend')).toBe('wasm');
    const start = { modes: await num(page, 'modes-covered'), js: await num(page, 'js') };
    expect(start.modes).toBeLessThanOrEqual(3);
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 30);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const warm = { ...(await counters(page)), tensors: await settledTensors(page) };
    const started = performance.now();
    await page.getByTestId('play').click();
    // a few hundred iterations: all or nearly all 8 modes
    await waitFor(page, 'step', (t) => Number(t) >= warm.step + 400);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const seconds = (performance.now() - started) / 1000;
    const end = {
      ...(await counters(page)),
      modes: await num(page, 'modes-covered'),
      js: await num(page, 'js'),
      tensors: await settledTensors(page),
    };
    console.log(
      `wasm: ${end.step - warm.step} iterations in ${seconds.toFixed(1)} s; modes ${start.modes} → ${end.modes}, JS ${start.js} → ${end.js}; tensors ${warm.tensors} → ${end.tensors}`,
    );
    expect(end.modes).toBeGreaterThanOrEqual(6);
    expect(end.modes).toBeGreaterThan(start.modes);
    expect(end.js).toBeLessThan(start.js);
    expect(Math.abs(end.tensors - warm.tensors)).toBeLessThanOrEqual(2);
    for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
    await shoot(page, 'playground-wasm-ring8.png');
    expect(errors).toEqual([]);
  });

  it('pause stops the counters; step D and step G add exactly one update of that network', async () => {
    const { page, errors } = await open('?backend=wasm');
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 10);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const paused = await counters(page);
    expect(paused.d).toBe(paused.step); // k = 1: one D update per iteration
    await page.waitForTimeout(1000);
    expect(await counters(page)).toEqual(paused);

    await page.getByTestId('step-d').click();
    await waitFor(page, 'd-updates', (t) => Number(t) === paused.d + 1);
    await page.waitForTimeout(300);
    expect(await counters(page)).toEqual({ ...paused, d: paused.d + 1 });

    await page.getByTestId('step-g').click();
    await waitFor(page, 'g-updates', (t) => Number(t) === paused.g + 1);
    await page.waitForTimeout(300);
    expect(await counters(page)).toEqual({ step: paused.step, d: paused.d + 1, g: paused.g + 1 });

    for (let i = 0; i < 3; i++) await page.getByTestId('step-d').click();
    await waitFor(page, 'd-updates', (t) => Number(t) === paused.d + 4);
    await page.waitForTimeout(300);
    expect(await counters(page)).toEqual({ step: paused.step, d: paused.d + 4, g: paused.g + 1 });
    expect(Number.isFinite(await num(page, 'd-loss'))).toBe(true);

    // k = 3: an iteration is three D updates and one G update
    await page.getByTestId('d-steps').selectOption('3');
    await waitFor(page, 'step', (t) => t === '0');
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 5);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const k3 = await counters(page);
    expect(k3.d).toBe(3 * k3.step);
    expect(k3.g).toBe(k3.step);
    expect(errors).toEqual([]);
  });

  it('draw your own: clicks and a drag place points, and the GAN trains on them', async () => {
    const { page, errors } = await open('?backend=wasm');
    await page.getByTestId('distribution').selectOption('draw');
    await waitFor(page, 'status', (t) => /place at least one point/.test(t));
    expect(await text(page, 'points')).toBe('0');
    await expect(page.getByTestId('play').isDisabled()).resolves.toBe(true);
    const box = (await page.getByTestId('plane').boundingBox())!;
    const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
    for (const [fx, fy] of [
      [0.25, 0.25],
      [0.75, 0.25],
      [0.5, 0.8],
    ] as const)
      await page.mouse.click(...at(fx, fy));
    expect(await num(page, 'points')).toBe(3);
    // a drag leaves a trail of points
    await page.mouse.move(...at(0.2, 0.6));
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(...at(0.2 + 0.05 * i, 0.6), { steps: 2 });
    await page.mouse.up();
    const drawn = await num(page, 'points');
    expect(drawn).toBeGreaterThan(5);
    // the playground restarts on the drawing: its points are the modes
    await waitFor(page, 'modes-total', (t) => Number(t) === drawn);
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 150);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    expect(await num(page, 'modes-covered')).toBeGreaterThan(0);
    await shoot(page, 'playground-draw.png');
    await page.getByTestId('clear-points').click();
    await waitFor(page, 'points', (t) => t === '0');
    await waitFor(page, 'state', (t) => t === 'waiting');
    expect(errors).toEqual([]);
  });

  it('other settings: grid of 25 with WGAN-GP and 3 × 32 starts again and trains (critic heatmap)', async () => {
    const { page, errors } = await open('?backend=wasm');
    await page.getByTestId('distribution').selectOption('grid25');
    await waitFor(page, 'modes-total', (t) => t === '25');
    await page.getByTestId('loss').selectOption('wgan-gp');
    await page.getByTestId('layers').selectOption('3');
    await page.getByTestId('units').selectOption('32');
    await page.getByTestId('lr-d').selectOption('0.0003');
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 40);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    for (const id of ['d-loss', 'g-loss', 'js']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
    expect(await text(page, 'modes-total')).toBe('25');
    await shoot(page, 'playground-grid25-wgan-gp.png');
    expect(errors).toEqual([]);
  });

  it('without WebGPU the page falls back and says why (on hover and in the backend details)', async () => {
    const { page, errors } = await open('?backend=bogus', (p) =>
      p.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
      }),
    );
    const backend = await text(page, 'backend');
    expect(['webgl', 'wasm', 'cpu']).toContain(backend);
    const title = await page.getByTestId('backend').getAttribute('title');
    expect(title).toMatch(/skipped webgpu: this browser exposes no WebGPU \(navigator.gpu is undefined\)/);
    expect(title).toMatch(/\?backend=bogus is not a backend/);
    await page.getByTestId('backend-details').locator('summary').click();
    await expect(page.getByTestId('backend-details').locator('li').first().isVisible()).resolves.toBe(true);
    await shoot(page, 'backend-fallback.png');
    expect(errors).toEqual([]);
  });
});

/** The image playground is ready once its data is decoded and the first grid was read (play is enabled). */
const imagesReady = async (page: Page) => {
  await page.waitForFunction(
    () => (document.querySelector('[data-testid=sample-grid]') as HTMLElement | null)?.dataset.step != null,
    null,
    { timeout: WAIT },
  );
  await expect(page.getByTestId('play').isDisabled()).resolves.toBe(false);
};

/** The pretrained view has drawn the grid for `key` (`id|class|truncation|seed`). */
const gridDrawn = (page: Page, key: string | RegExp, timeout = WAIT) =>
  page.waitForFunction(
    ([source, flags]) =>
      new RegExp(source, flags).test(
        (document.querySelector('[data-testid=generator-grid]') as HTMLElement | null)?.dataset.key ?? '',
      ),
    (typeof key === 'string' ? [`^${key.replace(/[|.]/g, '\\$&')}$`, ''] : [key.source, key.flags]) as [
      string,
      string,
    ],
    { timeout },
  );

/** The first `n` samples of the latest grid, as the test process gets them from the page. */
async function lastSamples(page: Page, n: number) {
  return page.evaluate((count) => {
    const s = window.__gankitLastSamples as SampleRecord;
    const per = s.shape.slice(1).reduce((a, b) => a * b, 1);
    const k = Math.min(count, s.shape[0]!);
    return {
      ...s,
      shape: [k, ...s.shape.slice(1)],
      classes: s.classes?.slice(0, k) ?? null,
      values: Array.from(s.values.subarray(0, k * per)),
    };
  }, n);
}

let classifier: FeatureExtractor | undefined;

/** The MNIST classifier's verdict on samples in the generator's range: the predicted class of each. */
async function classify(samples: { values: number[]; shape: number[]; range: [number, number] }) {
  if (classifier == null) {
    await useBackend('wasm');
    classifier = await loadShippedExtractor('mnist');
  }
  const [lo, hi] = samples.range;
  const predicted = tf.tidy(() => {
    const x = tf.tensor4d(samples.values, samples.shape as [number, number, number, number]);
    const unit = tf.clipByValue(tf.div(tf.sub(x, lo), hi - lo), 0, 1) as tf.Tensor4D;
    return tf.argMax(classifier!.logits!(unit), 1);
  });
  try {
    return Array.from(await predicted.data());
  } finally {
    predicted.dispose();
  }
}

describe.skipIf(!available && !required)('images in headless Chromium', E2E, () => {
  const mine: Page[] = [];
  const openPage = async (...args: Parameters<typeof open>) => {
    const opened = await open(...args);
    mine.push(opened.page);
    return opened;
  };
  afterAll(async () => {
    for (const p of mine) if (!p.isClosed()) await p.close();
    classifier?.dispose();
  });

  it('image playground on wasm: MNIST from the demo’s IDX files, the cGAN trains, the tensor count stays flat', async () => {
    const started = performance.now();
    const { page, errors } = await openPage('?view=images&backend=wasm', undefined, imagesReady);
    const loaded = (performance.now() - started) / 1000;
    expect(await text(page, 'backend')).toBe('wasm');
    expect(await text(page, 'data-status')).toBe('60,000 training images of 28×28×1');
    expect(await text(page, 'step')).toBe('0');
    await expect(page.getByTestId('images-speed-note').textContent()).resolves.toMatch(/WebAssembly/);
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 10);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const warm = { step: await num(page, 'step'), tensors: await settledTensors(page) };
    const playFrom = performance.now();
    await page.getByTestId('play').click();
    // the work is sized, not the time: a busy machine takes longer to get there, never fails for it
    await waitFor(page, 'step', (t) => Number(t) >= warm.step + 30);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const seconds = (performance.now() - playFrom) / 1000;
    const end = { step: await num(page, 'step'), tensors: await settledTensors(page) };
    console.log(
      `image playground (wasm): data loaded and first grid in ${loaded.toFixed(1)} s; ${end.step - warm.step} iterations in ${seconds.toFixed(1)} s (${((end.step - warm.step) / seconds).toFixed(1)} it/s); tensors ${warm.tensors} → ${end.tensors}`,
    );
    expect(end.step).toBeGreaterThan(warm.step + 5);
    for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
    expect(Math.abs(end.tensors - warm.tensors)).toBeLessThanOrEqual(2);
    // the grid shows the samples of the step training paused at
    await page.waitForFunction(
      (step) =>
        (document.querySelector('[data-testid=sample-grid]') as HTMLElement).dataset.step === String(step),
      end.step,
    );
    // the step counter stays still while paused
    await page.waitForTimeout(500);
    expect(await num(page, 'step')).toBe(end.step);
    await shoot(page, 'images-wasm-mnist.png');
    // Fashion-MNIST and an unconditional DCGAN: a fresh model on the other dataset
    await page.getByTestId('dataset').selectOption('fashion-mnist');
    await page.getByTestId('model').selectOption('dcgan');
    await waitFor(page, 'data-status', (t) => t === '60,000 training images of 28×28×1');
    await imagesReady(page);
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 20);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
    await shoot(page, 'images-wasm-fashion-dcgan.png');
    expect(errors).toEqual([]);
  });

  it('image playground on WebGPU (SwiftShader): trains, and says it is slow and how to go faster', async () => {
    const { page, errors } = await openPage('?view=images', undefined, imagesReady);
    const backend = await text(page, 'backend');
    if (required) expect(backend).toBe('webgpu');
    const note = await page.getByTestId('images-speed-note').textContent();
    if (backend === 'webgpu') {
      expect(note).toMatch(/slow on webgpu/);
      await expect(page.getByTestId('images-speed-note').locator('a').getAttribute('href')).resolves.toBe(
        '?view=images&backend=wasm',
      );
    }
    const started = performance.now();
    await page.getByTestId('play').click();
    await waitFor(page, 'step', (t) => Number(t) >= 1);
    await page.getByTestId('pause').click();
    await waitFor(page, 'state', (t) => t === 'paused');
    const step = await num(page, 'step');
    console.log(
      `image playground (${backend}): ${step} iterations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
    await shoot(page, `images-${backend}.png`);
    expect(errors).toEqual([]);
  });

  it('pretrained mnist-cgan: the manifest, a row per class, one class, truncation and the latent walk', async () => {
    const { page, errors } = await openPage('?view=pretrained&backend=wasm', undefined, (p) =>
      gridDrawn(p, /^mnist-cgan\|all\|off\|1$/),
    );
    const info = (await page.getByTestId('generator-info').textContent()) ?? '';
    expect(info).toMatch(/architecture\s*cgan-28/);
    expect(info).toMatch(/training steps\s*[\d,]+/);
    expect(info).toMatch(/dataset\s*mnist/);
    await expect(page.getByTestId('generator-error').isVisible()).resolves.toBe(false);
    expect(await page.getByTestId('class-select').locator('option').count()).toBe(11);
    const all = await lastSamples(page, 100);
    expect(all.shape).toEqual([80, 28, 28, 1]);
    expect(all.classes?.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    await shoot(page, 'pretrained-mnist-cgan-all.png');

    await page.getByTestId('class-select').selectOption('7');
    await gridDrawn(page, 'mnist-cgan|7|off|1');
    const sevens = await lastSamples(page, 100);
    expect(sevens.shape).toEqual([32, 28, 28, 1]);
    expect(sevens.classes).toEqual(new Array(32).fill(7));
    // truncation: the slider's value reaches the latents (other samples, same class)
    await page.getByTestId('truncation').fill('0.5');
    await waitFor(page, 'truncation-value', (t) => t === '0.5 σ');
    await gridDrawn(page, 'mnist-cgan|7|0.5|1');
    const truncated = await lastSamples(page, 100);
    expect(truncated.truncation).toBe(0.5);
    expect(truncated.values).not.toEqual(sevens.values);
    await page
      .getByTestId('truncation')
      .fill((await page.getByTestId('truncation').getAttribute('max')) ?? '');
    await waitFor(page, 'truncation-value', (t) => t === 'off');
    await gridDrawn(page, 'mnist-cgan|7|off|1');
    // the walk: a row of frames, and the frame at t
    await page.getByTestId('walk-seed-b').fill('5');
    await page.getByTestId('walk-seed-b').dispatchEvent('change');
    await page.getByTestId('walk-position').fill('0.8');
    await waitFor(page, 'walk-t', (t) => t === '0.80');
    await shoot(page, 'pretrained-mnist-cgan-7.png');
    expect(await settledTensors(page)).toBeLessThan(40); // the generator's weights, nothing piling up
    expect(errors).toEqual([]);
  });

  it('pretrained mnist-cgan: the MNIST classifier reads 20 samples asked for 7 (and for 3) as that digit, ≥ 80 %', async () => {
    const { page, errors } = await openPage(
      '?view=pretrained&backend=wasm&generator=mnist-cgan',
      undefined,
      (p) => gridDrawn(p, /^mnist-cgan\|all\|off\|1$/),
    );
    const steps = (await page.getByTestId('generator-info').textContent())?.match(
      /training steps\s*([\d,]+)/,
    )?.[1];
    const verdicts: { digit: number; predicted: number[]; share: number }[] = [];
    for (const digit of [7, 3]) {
      await page.getByTestId('class-select').selectOption(String(digit));
      await gridDrawn(page, `mnist-cgan|${digit}|off|1`);
      const samples = await lastSamples(page, 20);
      expect(samples.shape).toEqual([20, 28, 28, 1]);
      expect(samples.classes).toEqual(new Array(20).fill(digit));
      const predicted = await classify(samples);
      verdicts.push({
        digit,
        predicted,
        share: predicted.filter((p) => p === digit).length / predicted.length,
      });
    }
    await shoot(page, 'pretrained-mnist-cgan-3.png');
    expect(errors).toEqual([]);
    const report = verdicts
      .map(
        (v) =>
          `asked for ${v.digit}: ${Math.round(v.share * 100)} % classified as ${v.digit}; predicted [${v.predicted.join(', ')}]`,
      )
      .join('\n');
    console.log(
      `mnist-cgan.safetensors (${steps} training steps), MNIST classifier on 20 samples per class:\n${report}`,
    );
    for (const v of verdicts)
      expect(
        v.share,
        `public/generators/mnist-cgan.safetensors (${steps} training steps) does not draw the digit it is asked for:\n${report}\n`,
      ).toBeGreaterThanOrEqual(0.8);
  });

  it('pretrained: other generators, your own file, and a malformed file says what is wrong', async () => {
    const { page, errors } = await openPage(
      '?view=pretrained&backend=wasm&generator=fashion-dcgan',
      undefined,
      (p) => gridDrawn(p, /^fashion-dcgan\|none\|off\|1$/),
    );
    await expect(page.getByTestId('class-select').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('generator-info').textContent()).resolves.toMatch(/classes\s*none/);
    await shoot(page, 'pretrained-fashion-dcgan.png');
    await page.getByTestId('generator-fashion-cgan').click();
    await gridDrawn(page, /^fashion-cgan\|all\|off\|1$/);
    await expect(page.getByTestId('class-select').locator('option').nth(10).textContent()).resolves.toBe(
      '9: Ankle boot',
    );
    await page.getByTestId('reseed').click();
    await gridDrawn(page, /^fashion-cgan\|all\|off\|2$/);
    await shoot(page, 'pretrained-fashion-cgan.png');

    // a file of random bytes: the error is in the page, the last generator stays
    const dir = mkdtempSync(join(tmpdir(), 'gankit-bad-'));
    const bad = join(dir, 'my-generator.safetensors');
    writeFileSync(
      bad,
      Uint8Array.from({ length: 3000 }, () => Math.floor(Math.random() * 256)),
    );
    await page.getByTestId('generator-file').setInputFiles(bad);
    await page.getByTestId('generator-error').waitFor({ state: 'visible' });
    const message = await text(page, 'generator-error');
    expect(message).toMatch(/^my-generator.safetensors is not a gankit generator: /);
    await expect(page.getByTestId('generator-status').textContent()).resolves.toMatch(
      /still showing fashion-cgan/,
    );
    expect(await page.getByTestId('generator-grid').getAttribute('data-key')).toMatch(/^fashion-cgan\|/);
    await shoot(page, 'pretrained-malformed-file.png');

    // a real generator file from disk: the error goes, its samples come
    await page
      .getByTestId('generator-file')
      .setInputFiles(join(root, 'public', 'generators', 'mnist-dcgan.safetensors'));
    await gridDrawn(page, /^mnist-dcgan\.safetensors\|none\|off\|2$/);
    await expect(page.getByTestId('generator-error').isVisible()).resolves.toBe(false);
    await expect(page.getByTestId('generator-info').textContent()).resolves.toMatch(
      /file\s*mnist-dcgan\.safetensors/,
    );
    rmSync(dir, { recursive: true, force: true });
    // away and back: the views unmount (freeing their tensors) and mount again
    await page.getByTestId('view-images').click();
    await imagesReady(page);
    await page.getByTestId('view-pretrained').click();
    await gridDrawn(page, /^fashion-cgan\|all\|off\|1$/); // the last generator picked from the list
    expect(await settledTensors(page)).toBeLessThan(40);
    expect(errors).toEqual([]);
  });
});
