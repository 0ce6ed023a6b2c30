/**
 * Multi-threaded XNNPACK for tfjs-backend-wasm in Node.
 *
 * tfjs 4.22 never starts its threaded build in Node: the `WASM_HAS_MULTITHREAD_SUPPORT` flag is hard-wired to
 * false there, its pthread workers are created from blob URLs (Node's `Worker` takes files), and the C++ side caps
 * the pool at half of `navigator.hardwareConcurrency` (1 thread on a 2-core machine). This module starts the
 * package's own threaded SIMD binary with what Node needs: the package's pthread worker script as a file, the
 * main script as a path, the core count the pool may use, and unref'd workers so that a finished process exits.
 * The result is the stock `BackendWasm` over the threaded module: every tfjs and gankit wasm kernel runs on it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** The most threads the module can run: its build pre-creates 8 workers, and a blocking pool cannot wait for more. */
export const MAX_WASM_THREADS = 8;

/** Threads wanted: the option, else `GANKIT_WASM_THREADS`, else every core (at most {@link MAX_WASM_THREADS}). */
export function wantedWasmThreads(option?: number): number {
  const env = process.env.GANKIT_WASM_THREADS;
  if (option != null) return checkThreads(option, 'wasm.threads');
  if (env != null && env !== '') return checkThreads(Number(env), 'GANKIT_WASM_THREADS');
  return Math.min(availableParallelism(), MAX_WASM_THREADS);
}

function checkThreads(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`${name} must be an integer from 1 to ${MAX_WASM_THREADS}, got ${n}`);
  }
  return n;
}

interface EmscriptenWorker {
  unref(): void;
}
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: Record<string, unknown>;
}
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;
interface WasmPackage {
  BackendWasm: new (module: unknown) => tf.KernelBackend;
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

let started: number | undefined;

/**
 * Registers the `wasm` backend as tfjs's threaded SIMD build running `threads` threads (call before the backend is
 * first used). Resolves to the thread count XNNPACK reports, or to a reason when the threaded build cannot start
 * here (the single-threaded backend is then left registered as it was).
 */
export async function registerThreadedWasm(
  threads: number,
): Promise<{ threads: number } | { reason: string }> {
  if (started != null) return { threads: started };
  if (tf.engine().registry.wasm != null) {
    return { reason: 'the wasm backend was already started single-threaded in this process' };
  }
  if (typeof SharedArrayBuffer === 'undefined') {
    return { reason: 'this runtime has no SharedArrayBuffer (needed for WebAssembly threads)' };
  }
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) {
    return { reason: 'this runtime has no WebAssembly SIMD (tfjs ships threads only in its SIMD build)' };
  }
  const require = createRequire(import.meta.url);
  let wasmPkg: WasmPackage;
  let module: ThreadedModule;
  try {
    wasmPkg = require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
    const out = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
    const mainScript = join(out, 'tfjs-backend-wasm-threaded-simd.js');
    const binary = join(out, 'tfjs-backend-wasm-threaded-simd.wasm');
    const factory = require(mainScript) as Factory;
    const { wasmWorkerContents } = require(join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
      wasmWorkerContents: string;
    };
    const workerFile = writeWorkerScript(wasmWorkerContents);
    let fail: (err: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const loading = factory({
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.worker.js') ? workerFile : path.endsWith('.wasm') ? binary : prefix + path,
      mainScriptUrlOrBlob: mainScript,
      // The pool is capped at half the logical cores the module is told of: tell it 2 × threads.
      instantiateWasm(
        imports: { env: Record<string, unknown> },
        receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
      ) {
        imports.env.emscripten_num_logical_cores = () => 2 * threads;
        WebAssembly.instantiate(readFileSync(binary), imports as WebAssembly.Imports).then(
          (r) => receive(r.instance, r.module),
          (err) => fail(err),
        );
        return {};
      },
    });
    module = await Promise.race([loading, failed]);
  } catch (err) {
    return { reason: `the threaded wasm build failed to load (${err instanceof Error ? err.message : err})` };
  }
  const fn = (name: string, ret: string | null, args: string[]) => module.cwrap(name, ret, args);
  module.tfjs = {
    init: fn('init', null, []),
    initWithThreadsCount: fn('init_with_threads_count', null, ['number']),
    getThreadsCount: fn('get_threads_count', 'number', []),
    registerTensor: fn('register_tensor', null, ['number', 'number', 'number']),
    disposeData: fn('dispose_data', null, ['number']),
    dispose: fn('dispose', null, []),
  };
  wasmPkg.setThreadsCount(threads);
  if (tf.engine().registryFactory.wasm != null) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    () => {
      const backend = new wasmPkg.BackendWasm(module);
      // Pool workers wait for work between kernels; they must not keep a finished process alive.
      for (const w of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) w.unref();
      return backend;
    },
    2,
  );
  started = threads;
  return { threads };
}

/** The thread count of the active wasm backend's XNNPACK pool (1 for the stock Node build). */
export function wasmThreadsInUse(): number {
  const require = createRequire(import.meta.url);
  const { getThreadsCount } = require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
  const n = getThreadsCount();
  return n > 0 ? n : 1;
}

/** Writes tfjs's pthread worker script to a temporary file named by its content (Node's Worker needs a file). */
function writeWorkerScript(contents: string): string {
  // tfjs escapes newlines the same way before making its blob: the script holds "\n" inside string literals.
  const script = contents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const file = join(tmpdir(), `gankit-tfjs-wasm-pthread-${hash}.cjs`);
  if (!existsSync(file)) {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, script);
    renameSync(temp, file);
  }
  return file;
}
