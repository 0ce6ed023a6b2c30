/**
 * @gankit/backends for browsers: choose, prepare and explain the TensorFlow.js backend that trains.
 *
 * Order for `auto`: webgpu (hardware adapters) → webgl → wasm → cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cpuAttempt, describeAdapter, isSoftwareAdapter, wasmAttempt } from './common.js';
import { ensureGradients } from './gradients-browser.js';
import { registerTrainingKernels, trainingKernelNames } from './kernels/register.js';
import { type Candidate, firstLine, type Mode, selectBackend } from './select.js';
import type { ActiveBackend, Attempt, BrowserBackendName } from './types.js';

export { ensureGradients } from './gradients-browser.js';
export { registerTrainingKernels, trainingKernelNames } from './kernels/register.js';
export { MATMUL_TILES_FLAG, tuneForSoftwareAdapter } from './software-adapter.js';
export type {
  ActiveBackend,
  BackendName,
  BrowserBackendName,
  NodeBackendName,
  SkippedBackend,
} from './types.js';
export { BackendUnavailableError, describeBackend } from './types.js';

/** The order `auto` tries in a browser. */
export const BROWSER_BACKEND_ORDER: readonly BrowserBackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BrowserBackendOptions {
  webgpu?: {
    /** Let `auto` take a software adapter (SwiftShader). `useBackend('webgpu')` takes it anyway, with a warning. */
    allowSoftwareAdapter?: boolean;
  };
  wasm?: {
    /**
     * Where the `.wasm` binaries of @tensorflow/tfjs-backend-wasm are served: a directory URL ending in '/', or
     * one URL per file. With Vite: `{ 'tfjs-backend-wasm-simd.wasm': simdUrl, ... }` from `?url` imports.
     */
    paths?: string | Record<string, string>;
  };
}

/**
 * Prepares and activates a TensorFlow.js backend in a browser so that plain tfjs code trains on it: gradients
 * are registered and the kernels tfjs lacks for training are added.
 *
 * @example
 * const active = await useBackend('auto', { wasm: { paths: '/wasm/' } });
 * badge.textContent = active.name; // 'webgpu', or the fallback with active.skipped saying why
 */
export async function useBackend(
  name: BrowserBackendName | 'auto' = 'auto',
  options: BrowserBackendOptions = {},
): Promise<ActiveBackend> {
  await ensureGradients();
  const candidates: Record<BrowserBackendName, Candidate> = {
    webgpu: (mode) => tryWebgpu(mode, options.webgpu ?? {}),
    webgl: () => tryWebgl(),
    wasm: () => tryWasm(options.wasm ?? {}),
    cpu: cpuAttempt,
  };
  return selectBackend(name, BROWSER_BACKEND_ORDER, candidates, () => tf.getBackend());
}

async function tryWebgpu(mode: Mode, opts: NonNullable<BrowserBackendOptions['webgpu']>): Promise<Attempt> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu == null) {
    return {
      ok: false,
      reason:
        'this browser exposes no WebGPU (navigator.gpu is undefined): use a recent Chrome or Edge, or enable ' +
        'WebGPU in Firefox or Safari; pages must be served over https or from localhost',
    };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter == null) {
    return {
      ok: false,
      reason: 'WebGPU is present but no adapter was granted (GPU blocklisted or disabled)',
    };
  }
  const info = adapter.info;
  const software = isSoftwareAdapter(info);
  const detail = describeAdapter(info);
  if (software && mode === 'auto' && !opts.allowSoftwareAdapter) {
    return {
      ok: false,
      reason: `only a software adapter is available (${detail}); it is slow, so auto skips it — ask for 'webgpu' explicitly`,
    };
  }
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (err) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-webgpu failed to load (${firstLine(err)})` };
  }
  if (!(await tf.setBackend('webgpu')))
    return { ok: false, reason: `the WebGPU backend failed to start on ${detail}` };
  const warnings = software ? [`${detail} is a software adapter: expect it to be slow`] : [];
  return {
    ok: true,
    detail: `WebGPU on ${detail}`,
    warnings,
    added: [],
    ...(software ? { softwareAdapter: true as const } : {}),
  };
}

async function tryWebgl(): Promise<Attempt> {
  try {
    await import('@tensorflow/tfjs-backend-webgl');
  } catch (err) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-webgl failed to load (${firstLine(err)})` };
  }
  if (!(await tf.setBackend('webgl'))) {
    return {
      ok: false,
      reason: 'WebGL is not available in this browser (no WebGL2 context could be created)',
    };
  }
  return { ok: true, detail: `WebGL ${tf.env().getNumber('WEBGL_VERSION')}`, warnings: [], added: [] };
}

async function tryWasm(opts: NonNullable<BrowserBackendOptions['wasm']>): Promise<Attempt> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm failed to load (${firstLine(err)})` };
  }
  if (opts.paths != null) wasm.setWasmPaths(opts.paths);
  registerTrainingKernels('wasm');
  if (!(await tf.setBackend('wasm'))) {
    return {
      ok: false,
      reason:
        'the wasm backend failed to initialise: its .wasm files were not found — pass { wasm: { paths } }',
    };
  }
  return await wasmAttempt(trainingKernelNames('wasm'), Math.max(1, wasm.getThreadsCount()));
}
