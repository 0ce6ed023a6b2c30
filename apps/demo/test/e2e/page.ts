/**
 * Driving one page of the demo: open it (collecting its errors), read its readouts by test id, wait for events —
 * never for deadlines — and take screenshots.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type Site, screenshots } from './site.js';

/**
 * Each wait's limit is far above its measured time and only catches a hang: the longest, the image playground's
 * first iteration on WebGPU (SwiftShader), took 12–20 s beside the wasm pages and other processes on two cores (load
 * ~5); the first WebGPU snapshot of the 2D playground 9–13 s (22–31 s alone before the demo kept a software adapter to
 * the small-tile matmul programs).
 */
export const WAIT = 300_000;

/** The limit of a test or of a hook that opens a page: like WAIT, it only catches a hang. */
export const HANG = 600_000;

export interface Opened {
  page: Page;
  /** The page's uncaught errors and console errors so far. */
  errors: string[];
}

/** Opens the demo at `query` and waits until the page is ready and then until `ready` (the view's first visuals). */
export async function openPage(
  site: Site,
  query: string,
  ready: (page: Page) => Promise<unknown>,
  setup?: (page: Page) => Promise<unknown>,
): Promise<Opened> {
  const page = await site.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await setup?.(page);
  await page.goto(site.base + query);
  await page.waitForSelector('body[data-ready=true]', { timeout: WAIT });
  await ready(page);
  return { page, errors };
}

export const text = async (page: Page, id: string) =>
  (await page.getByTestId(id).textContent())?.trim() ?? '';
export const num = async (page: Page, id: string) => Number(await text(page, id));

/** The playgrounds' counters: iterations, and the 2D playground's D and G updates. */
export async function counters(page: Page) {
  return { step: await num(page, 'step'), d: await num(page, 'd-updates'), g: await num(page, 'g-updates') };
}

/** Waits until the readout `id` satisfies `ok` (polling the page). */
export async function waitFor(page: Page, id: string, ok: (text: string) => boolean, timeout = WAIT) {
  const end = Date.now() + timeout;
  let last = '';
  while (Date.now() < end) {
    last = await text(page, id);
    if (ok(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out after ${timeout} ms waiting on ${id} (last: '${last}')`);
}

/** Plays until the iteration counter reaches `step`, then pauses and waits until training has stopped. */
export async function trainTo(page: Page, step: number): Promise<void> {
  await page.getByTestId('play').click();
  await waitFor(page, 'step', (t) => Number(t) >= step);
  await page.getByTestId('pause').click();
  await waitFor(page, 'state', (t) => t === 'paused');
}

/**
 * The tensors readout as read after this call (it reads every 500 ms and counts its readings in `data-reads`): call
 * it once training has stopped. The page's timers and animation frames have run in between, so it is also the wait
 * of a check that something stays still (a paused counter).
 */
export async function settledTensors(page: Page): Promise<number> {
  const reads = Number((await page.getByTestId('tensors').getAttribute('data-reads')) ?? 0);
  await page.waitForFunction(
    (after) =>
      Number(document.querySelector<HTMLElement>('[data-testid=tensors]')?.dataset.reads ?? 0) > after,
    reads,
    { timeout: WAIT },
  );
  return num(page, 'tensors');
}

/** Two animation frames of the page: whatever the views paint from the state just waited for is on the canvases. */
export const painted = (page: Page) =>
  page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );

/** A screenshot of the whole page, once the canvases are painted. */
export async function shoot(page: Page, name: string): Promise<void> {
  await painted(page);
  await page.screenshot({ path: join(screenshots, name), fullPage: true });
}

/** The 2D playground has its first visuals: the modes readout is a number once a snapshot was read. */
export const playgroundReady = (page: Page) => waitFor(page, 'modes-covered', (t) => /^\d+$/.test(t));

/** The image playground is ready once its data is decoded and the first grid was read (play is enabled). */
export async function imagesReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (document.querySelector('[data-testid=sample-grid]') as HTMLElement | null)?.dataset.step != null,
    null,
    { timeout: WAIT },
  );
  await page.waitForFunction(
    () => !(document.querySelector('[data-testid=play]') as HTMLButtonElement | null)?.disabled,
    null,
    { timeout: WAIT },
  );
}

/**
 * The pretrained view has drawn the grid for `key` (`id|class|truncation|seed`, a string or a pattern); `testid`
 * another of its canvases that carry a key (the style-mixing grid: `mixing-grid`).
 */
export const gridDrawn = (page: Page, key: string | RegExp, testid = 'generator-grid') =>
  page.waitForFunction(
    ([source, flags, id]) =>
      new RegExp(source, flags).test(
        (document.querySelector(`[data-testid=${id}]`) as HTMLElement | null)?.dataset.key ?? '',
      ),
    (typeof key === 'string'
      ? [`^${key.replace(/[|.]/g, '\\$&')}$`, '', testid]
      : [key.source, key.flags, testid]) as [string, string, string],
    { timeout: WAIT },
  );
