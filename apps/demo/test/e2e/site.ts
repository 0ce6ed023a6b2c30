/**
 * The demo as a visitor gets it, once for all the browser tests: one production build (checked to carry its data
 * and generators), served by `vite preview` on http://localhost, and one headless Debian Chromium (WebGPU on
 * SwiftShader, its CPU adapter) with one browser context, so that pages share the HTTP cache.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS } from '@gankit/test-utils';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { expect } from 'vitest';

export const root = resolve(import.meta.dirname, '../..');
export const screenshots = join(root, 'test-results', 'screenshots');
/** CI: Chromium must be there, and the page must run on WebGPU. */
export const required = process.env.GANKIT_REQUIRE_WEBGPU === '1';
export const available = existsSync(CHROMIUM);
/** Whether the browser tests run here (else they are skipped, with a warning). */
export const runs = available || required;
if (!runs)
  console.warn(`skipping the demo's browser tests: ${CHROMIUM} is not installed (apt-get install chromium)`);

export interface Site {
  /** `http://localhost:<port>/` */
  base: string;
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Builds the site, serves it and starts Chromium; `close` undoes it all. */
export async function startSite(): Promise<Site> {
  if (!available) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const outDir = mkdtempSync(join(tmpdir(), 'gankit-demo-'));
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await build(outDir);
    server = await preview({
      root,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: 'localhost', port: 0 },
    });
    const base = server.resolvedUrls!.local[0]!;
    expect(base).toMatch(/^http:\/\/localhost:\d+\/$/);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    mkdirSync(screenshots, { recursive: true });
    return { base, browser, context, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A production build in its own process (vitest sets NODE_ENV=test), as `pnpm build` makes it; asynchronous, so
 * that vitest's worker RPC is not starved while it runs. The site carries its data (training sets, test examples)
 * and the generators.
 */
async function build(outDir: string): Promise<void> {
  const started = performance.now();
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 64 * 1024 * 1024 },
  );
  console.log(`vite build: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  expect(readdirSync(join(outDir, 'data')).sort()).toEqual([
    'fashion-mnist-test-images.idx.gz',
    'fashion-mnist-test-labels.idx.gz',
    'fashion-mnist-train-images.idx.gz',
    'fashion-mnist-train-labels.idx.gz',
    'mnist-test-images.idx.gz',
    'mnist-test-labels.idx.gz',
    'mnist-train-images.idx.gz',
    'mnist-train-labels.idx.gz',
  ]);
  expect(readdirSync(join(outDir, 'generators'))).toEqual(
    expect.arrayContaining([
      'index.json',
      'mnist-cgan.safetensors',
      'translators.json',
      'mnist-pix2pix.safetensors',
    ]),
  );
}
