/**
 * The demo as a visitor meets it: built with Vite, served by `vite preview` on http://localhost, driven in
 * headless Debian Chromium (WebGPU on SwiftShader, its CPU adapter). Screenshots of each view go to
 * test-results/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
  // a production build in its own process (vitest sets NODE_ENV=test), as `pnpm build` makes it
  execFileSync(
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
    { cwd: root, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } },
  );
  console.log(`vite build: ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
});

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

/** Opens the demo and waits for the first visuals (the modes readout is a number once a snapshot was read). */
async function open(query = '', setup?: (page: Page) => Promise<unknown>): Promise<Opened> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 860 } });
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await setup?.(page);
  await page.goto(base + query);
  await page.waitForSelector('body[data-ready=true]', { timeout: 90_000 });
  await waitFor(page, 'modes-covered', (t) => /^\d+$/.test(t), 90_000);
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

/** Waits until the readout `id` satisfies `ok` (polling the page). */
async function waitFor(page: Page, id: string, ok: (text: string) => boolean, timeout = 60_000) {
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

describe.skipIf(!available && !required)('the demo in headless Chromium', () => {
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
    await waitFor(page, 'step', (t) => Number(t) >= 3, 90_000);
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
    await waitFor(page, 'step', (t) => Number(t) >= warm.step + 400, 60_000);
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
