// The vitest config every gankit package shares. Plain JavaScript so that any vitest.config.ts can import it
// without a build step.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defaultServerConditions, mergeConfig } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

const SOURCE = '@gankit/source';

/**
 * Which of a package's tests run (`GANKIT_TEST_PART`, set by the workspace's test run): `gpu` — only the
 * `*.gpu.test.ts` files, the ones that drive a software GPU (WebGPU on SwiftShader, Chromium); `cpu` — every other
 * file; unset — all of them. The run schedules the two parts of a package as separate jobs, so that the GPU part
 * waits for the one software-GPU lane and the rest does not.
 */
const GPU_FILES = ['src/**/*.gpu.test.ts', 'test/**/*.gpu.test.ts'];
const ALL_FILES = ['src/**/*.test.ts', 'test/**/*.test.ts'];

function filesOfPart(part = process.env.GANKIT_TEST_PART) {
  if (part === 'gpu') return { include: GPU_FILES };
  if (part === 'cpu') return { include: ALL_FILES, exclude: [...configDefaults.exclude, ...GPU_FILES] };
  if (part == null || part === '') return { include: ALL_FILES };
  throw new Error(`GANKIT_TEST_PART must be 'cpu' or 'gpu' (or unset: every test), got '${part}'`);
}

/** Where the summary reporter saves this run's counts: one file per part, read back by total.mjs. */
export function summaryFileName(part = process.env.GANKIT_TEST_PART) {
  return part ? `summary-${part}.json` : 'summary.json';
}

/**
 * @param {import('vitest/config').UserConfig['test']} [test]
 * @param {import('vitest/config').UserConfig} [extra]
 */
export function defineGankitTestConfig(test = {}, extra = {}) {
  const require = createRequire(join(process.cwd(), 'package.json'));
  /** @type {import('vitest/config').UserConfig['resolve']['alias']} */
  const alias = [];
  try {
    // Node loads tfjs-core's CommonJS build (it has no "exports" map; "main" wins). Tests must load the very same
    // file rather than the "module" ESM build vite would pick, or two copies of the engine code would run.
    alias.push({ find: /^@tensorflow\/tfjs-core$/, replacement: require.resolve('@tensorflow/tfjs-core') });
  } catch {
    // a package without tfjs-core needs no alias
  }
  const conditions = [SOURCE, ...defaultServerConditions];
  return mergeConfig(
    defineConfig({
      resolve: { conditions, alias },
      ssr: { resolve: { conditions, externalConditions: [SOURCE] } },
      test: {
        pool: 'forks',
        // One module graph per worker, reused by its files: a fresh process per file re-imported tfjs, the backends
        // and the package's sources for every file (measured: half of many packages' test time, e.g. the demo's
        // cpu part 47 s → 24 s, @gankit/layers 24 s → 7 s). Tests must leave global state (backends, kernels,
        // gradients) as they found it; every suite passes this way, also with its files shuffled.
        isolate: false,
        // …and one worker per package: the workspace run already keeps both cores busy with two packages at a time,
        // and each more worker would import all of that again.
        poolOptions: { forks: { singleFork: true } },
        ...filesOfPart(),
        reporters: ['default', new URL('./summary-reporter.mjs', import.meta.url).pathname],
        server: {
          deps: {
            // tfjs-core's ESM gradient files load through @gankit/backends' resolve hook, as in plain Node.
            external: [/@tensorflow\/tfjs-core\/dist\//],
          },
        },
        // Tests run side by side on few cores: one XNNPACK thread each unless a test asks for more.
        env: { GANKIT_WASM_THREADS: process.env.GANKIT_WASM_THREADS ?? '1' },
        // A limit only catches a hang; it never decides a verdict. Tests that take more than ~10 s alone on the
        // 2-core CI machine set their own limit, with their measured time beside it.
        testTimeout: 120_000,
        hookTimeout: 120_000,
        ...test,
      },
    }),
    extra,
  );
}
