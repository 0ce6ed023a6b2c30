/**
 * The demo as a visitor meets it, in headless Debian Chromium: one production build served by `vite preview`, one
 * browser, and one page per view and backend, each running several checks in order (test/e2e/). Screenshots go to
 * test-results/screenshots/. The pretrained view's samples are classified here, in Node, by the project's MNIST
 * classifier (@gankit/metrics' shipped extractor).
 *
 * Work is sized, not timed: each check waits for a number of iterations or an event, so a busy machine takes longer
 * and never fails for it.
 *
 * Two chains of pages run side by side, each in order: the WebGPU page, whose time is SwiftShader compiling shaders
 * in Chromium's GPU process, and the wasm pages (and the fallback page), which train in their own renderers. Neither
 * chain waits on the other: on two cores the WebGPU chain's compiling overlaps the wasm chain's training. The
 * fallback page (WebGL) goes with the WebGPU chain.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { describeImages } from './e2e/images.js';
import { describeFallback, describePlayground } from './e2e/playground.js';
import { describePretrained } from './e2e/pretrained.js';
import { runs, type Site, startSite } from './e2e/site.js';
import { describeTranslate } from './e2e/translate.js';
import { describeWebGpu } from './e2e/webgpu.js';

let site: Site | undefined;
const current = () => site!;

// the limits only catch a hang: the whole file took 73–114 s on two cores beside other processes (load ~5; the Vite
// build 13–22 s of it, the WebGPU chain 39–65 s, the wasm chain 50–75 s), 142 s before the chains ran side by side
describe.skipIf(!runs)('the demo in headless Chromium', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    site = await startSite();
  }, 600_000);
  afterAll(async () => {
    await site?.close();
  });

  describe.concurrent('WebGPU chain', () => {
    describeWebGpu(current);
    // here rather than beside the wasm pages: the WebGPU chain is the shorter one (65 s of 110 s)
    describeFallback(current);
    // the image-to-image page trains nothing: it balances the chains
    describeTranslate(current);
  });
  describe.concurrent('wasm chain', () => {
    describePlayground(current);
    describeImages(current);
    describePretrained(current);
  });
});
