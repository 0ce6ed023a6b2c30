/**
 * @gankit/backends for Node: choose, prepare and explain the TensorFlow.js backend that trains.
 *
 * Order for `auto`: tensorflow (tfjs-node-gpu, then tfjs-node) → webgpu (Dawn, hardware adapters) → wasm → cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cpuAttempt, describeAdapter, isSoftwareAdapter, wasmAttempt } from './common.js';
import { ensureGradients } from './gradients-node.js';
import { registerTrainingKernels, trainingKernelNames } from './kernels/register.js';
import { type Candidate, firstLine, isMissingPackage, type Mode, selectBackend } from './select.js';
import type { ActiveBackend, Attempt, NodeBackendName } from './types.js';
import { registerThreadedWasm, wantedWasmThreads, wasmThreadsInUse } from './wasm-threads.js';

export { ensureGradients } from './gradients-node.js';
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
export { MAX_WASM_THREADS, wasmThreadsInUse } from './wasm-threads.js';

/** The order `auto` tries in Node. */
export const NODE_BACKEND_ORDER: readonly NodeBackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

/** Where Debian's chromium package puts SwiftShader's Vulkan driver (a CPU-only WebGPU adapter for Dawn). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface NodeBackendOptions {
  webgpu?: {
    /**
     * Let `auto` take a software adapter (SwiftShader, lavapipe). It is correct but slow, so `auto` skips it
     * unless this is set; `useBackend('webgpu')` takes it anyway, with a warning.
     */
    allowSoftwareAdapter?: boolean;
    /** Extra Dawn toggles passed to `create()` of the `webgpu` package, e.g. `['backend=vulkan']`. */
    dawnFlags?: string[];
  };
  wasm?: {
    /**
     * XNNPACK threads for the wasm backend (1–8). Default: `GANKIT_WASM_THREADS`, else every core. More than one
     * runs tfjs's threaded SIMD build, which tfjs itself never starts in Node.
     */
    threads?: number;
  };
}

/**
 * Prepares and activates a TensorFlow.js backend in Node so that plain tfjs code trains on it: gradients are
 * registered and the kernels tfjs lacks for training are added.
 *
 * `auto` takes the first of tensorflow → webgpu → wasm → cpu that works and reports why each better one was
 * skipped; an explicit name that cannot be had throws {@link BackendUnavailableError} with the reason and fix.
 *
 * @example
 * const active = await useBackend('auto');
 * console.log(describeBackend(active)); // backend: wasm (...) / skipped tensorflow: ... not installed
 */
export async function useBackend(
  name: NodeBackendName | 'auto' = 'auto',
  options: NodeBackendOptions = {},
): Promise<ActiveBackend> {
  const wasmThreads = wantedWasmThreads(options.wasm?.threads);
  await ensureGradients();
  const candidates: Record<NodeBackendName, Candidate> = {
    tensorflow: () => tryTensorflow(),
    webgpu: (mode) => tryWebgpu(mode, options.webgpu ?? {}),
    wasm: () => tryWasm(wasmThreads),
    cpu: cpuAttempt,
  };
  return selectBackend(name, NODE_BACKEND_ORDER, candidates, () => tf.getBackend());
}

const TFJS_NODE_HELP =
  'tfjs-node-gpu needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 (tfjs-node needs neither); ' +
  "see @gankit/backends' README, 'Native TensorFlow'";

async function tryTensorflow(): Promise<Attempt> {
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(/* @vite-ignore */ pkg);
    } catch (err) {
      reasons.push(
        isMissingPackage(err, pkg)
          ? `${pkg} is not installed`
          : `${pkg} is installed but its native library failed to load (${firstLine(err)}) — ${TFJS_NODE_HELP}`,
      );
      continue;
    }
    if (tf.findBackend('tensorflow') == null && tf.engine().registryFactory.tensorflow == null) {
      reasons.push(`${pkg} loaded but registered no 'tensorflow' backend (a second copy of tfjs-core?)`);
      continue;
    }
    if (await tf.setBackend('tensorflow')) {
      return { ok: true, detail: `TensorFlow C library through ${pkg}`, warnings: [], added: [] };
    }
    reasons.push(`${pkg} loaded but its backend failed to start — ${TFJS_NODE_HELP}`);
  }
  return { ok: false, reason: reasons.join('; ') };
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

let webgpuPrepared: { software: boolean; detail: string } | undefined;

async function tryWebgpu(mode: Mode, opts: NonNullable<NodeBackendOptions['webgpu']>): Promise<Attempt> {
  if (webgpuPrepared == null) {
    const prepared = await prepareWebgpu(opts);
    if ('reason' in prepared) return { ok: false, reason: prepared.reason };
    webgpuPrepared = prepared;
  }
  const { software, detail } = webgpuPrepared;
  if (software && mode === 'auto' && !opts.allowSoftwareAdapter) {
    return {
      ok: false,
      reason:
        `only a software adapter is available (${detail}); it is correct but slow, so auto skips it — ` +
        "ask for it with useBackend('webgpu') or { webgpu: { allowSoftwareAdapter: true } }",
    };
  }
  if (!(await tf.setBackend('webgpu')))
    return { ok: false, reason: `the WebGPU backend failed to start on ${detail}` };
  const warnings = software
    ? [`${detail} is a software adapter: expect it to be much slower than wasm; it is meant for testing`]
    : [];
  return { ok: true, detail, warnings, added: [], ...(software ? { softwareAdapter: true as const } : {}) };
}

async function prepareWebgpu(
  opts: NonNullable<NodeBackendOptions['webgpu']>,
): Promise<{ software: boolean; detail: string } | { reason: string }> {
  let dawn: DawnModule;
  try {
    dawn = (await import(/* @vite-ignore */ 'webgpu')) as unknown as DawnModule;
  } catch (err) {
    return {
      reason: isMissingPackage(err, 'webgpu')
        ? "the 'webgpu' package (Dawn for Node) is not installed — npm install webgpu"
        : `the 'webgpu' package failed to load (${firstLine(err)})`,
    };
  }
  // The Vulkan loader complains on stderr when this is unset; a temp directory silences it harmlessly.
  process.env.XDG_RUNTIME_DIR ??= (await import('node:os')).tmpdir();
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis))
      Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const gpu = dawn.create(opts.dawnFlags ?? []);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter == null) {
    return {
      reason:
        'Dawn found no GPU adapter: install your GPU vendor driver with Vulkan support and libvulkan1; on a machine ' +
        `without a GPU set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} (Debian's chromium package) for a slow software adapter`,
    };
  }
  const info = adapter.info;
  const software = isSoftwareAdapter(info);
  const detail = describeAdapter(info);
  // tfjs-backend-webgpu checks navigator.gpu; Node 20 has no navigator, Node 21+ has one without gpu.
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav == null) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  else if (!('gpu' in nav) || (nav as { gpu?: unknown }).gpu == null)
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const features: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: features,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  // Importing tfjs-backend-webgpu registers a factory that asks for its own adapter; ours uses the one chosen
  // and explained above.
  if (tf.engine().registryFactory.webgpu != null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, info), 3);
  return { software, detail };
}

async function tryWasm(threads: number): Promise<Attempt> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm failed to load (${firstLine(err)})` };
  }
  const warnings: string[] = [];
  if (threads > 1) {
    const threaded = await registerThreadedWasm(threads);
    if ('reason' in threaded) warnings.push(`wasm runs on 1 thread: ${threaded.reason}`);
  }
  registerTrainingKernels('wasm');
  if (!(await tf.setBackend('wasm'))) {
    return { ok: false, reason: 'the wasm backend failed to initialise (see the error printed above)' };
  }
  const attempt = await wasmAttempt(trainingKernelNames('wasm'), wasmThreadsInUse());
  return attempt.ok ? { ...attempt, warnings: [...attempt.warnings, ...warnings] } : attempt;
}
