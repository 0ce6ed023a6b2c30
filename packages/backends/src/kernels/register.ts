import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { fastConv2DBackpropInput } from './conv2d-backprop-input.js';
import { fastBatchMatMul, fastTile } from './matmul-tile.js';
import { fixOneHotDtype } from './one-hot.js';
import { fixResizeNearestNeighborGradBatch } from './resize-nearest-grad.js';
import { makeUnsortedSegmentSum } from './unsorted-segment-sum.js';

/** Kernels that training needs and that tfjs 4.22's wasm backend lacks, each built on wasm's own kernels. */
const missing: Record<string, KernelConfig[]> = {
  wasm: [makeConv2DBackpropFilter('wasm'), makeUnsortedSegmentSum('wasm')],
};

/** Kernels tfjs 4.22 ships with wrong results, and their corrections (which wrap the shipped kernel). */
const corrections: Record<string, { kernelName: string; fix: (original: KernelConfig) => KernelConfig }[]> = {
  wasm: [{ kernelName: 'OneHot', fix: fixOneHotDtype }],
  cpu: [{ kernelName: 'ResizeNearestNeighborGrad', fix: fixResizeNearestNeighborGradBatch }],
};

/**
 * Kernels tfjs 4.22 ships correct but slow, and faster compositions of the backend's own kernels (which wrap the
 * shipped kernel and run it for the cases they do not handle).
 */
const faster: Record<string, { kernelName: string; speedUp: (original: KernelConfig) => KernelConfig }[]> = {
  wasm: [
    { kernelName: 'Conv2DBackpropInput', speedUp: fastConv2DBackpropInput },
    { kernelName: 'BatchMatMul', speedUp: fastBatchMatMul },
    { kernelName: 'Tile', speedUp: fastTile },
  ],
};

const CORRECTED = Symbol.for('gankit.corrected');
const FASTER = Symbol.for('gankit.faster');

/** Replaces kernel `kernelName` by `wrap(shipped)`, once: a kernel already marked `mark` is left alone. */
function wrapShipped(
  kernelName: string,
  backendName: string,
  wrap: (original: KernelConfig) => KernelConfig,
  mark: symbol,
): boolean {
  const original = getKernel(kernelName, backendName);
  if (original == null || (original as unknown as Record<symbol, boolean>)[mark]) return false;
  unregisterKernel(kernelName, backendName);
  registerKernel(Object.assign(wrap(original), { [mark]: true }));
  return true;
}

/**
 * Registers the kernels training needs on a backend where tfjs does not ship them, replaces shipped kernels
 * known to compute wrong results, and speeds up shipped kernels that are needlessly slow. A missing kernel the
 * backend already has (a later tfjs may add one) is left alone; calling this again changes nothing. Returns the
 * names changed by this call.
 */
export function registerTrainingKernels(backendName: string): string[] {
  const changed: string[] = [];
  for (const config of missing[backendName] ?? []) {
    if (getKernel(config.kernelName, backendName) != null) continue;
    registerKernel(config);
    changed.push(config.kernelName);
  }
  for (const { kernelName, fix } of corrections[backendName] ?? []) {
    if (wrapShipped(kernelName, backendName, fix, CORRECTED)) changed.push(kernelName);
  }
  for (const { kernelName, speedUp } of faster[backendName] ?? []) {
    if (wrapShipped(kernelName, backendName, speedUp, FASTER)) changed.push(kernelName);
  }
  return changed;
}

/** Names of the kernels gankit provides, corrects or speeds up for `backendName`. */
export function trainingKernelNames(backendName: string): string[] {
  return [
    ...(missing[backendName] ?? []).map((k) => k.kernelName),
    ...(corrections[backendName] ?? []).map((c) => c.kernelName),
    ...(faster[backendName] ?? []).map((f) => f.kernelName),
  ];
}
