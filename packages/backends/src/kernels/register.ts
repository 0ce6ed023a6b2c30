import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { fixOneHotDtype } from './one-hot.js';
import { makeUnsortedSegmentSum } from './unsorted-segment-sum.js';

/** Kernels that training needs and that tfjs 4.22's wasm backend lacks, each built on wasm's own kernels. */
const missing: Record<string, KernelConfig[]> = {
  wasm: [makeConv2DBackpropFilter('wasm'), makeUnsortedSegmentSum('wasm')],
};

/** Kernels tfjs 4.22 ships with wrong results, and their corrections (which wrap the shipped kernel). */
const corrections: Record<string, { kernelName: string; fix: (original: KernelConfig) => KernelConfig }[]> = {
  wasm: [{ kernelName: 'OneHot', fix: fixOneHotDtype }],
};

const CORRECTED = Symbol.for('gankit.corrected');

/**
 * Registers the kernels training needs on a backend where tfjs does not ship them, and replaces shipped kernels
 * known to compute wrong results. A missing kernel the backend already has (a later tfjs may add one) is left
 * alone. Returns the names changed by this call.
 */
export function registerTrainingKernels(backendName: string): string[] {
  const changed: string[] = [];
  for (const config of missing[backendName] ?? []) {
    if (getKernel(config.kernelName, backendName) != null) continue;
    registerKernel(config);
    changed.push(config.kernelName);
  }
  for (const { kernelName, fix } of corrections[backendName] ?? []) {
    const original = getKernel(kernelName, backendName);
    if (original == null || (original as unknown as Record<symbol, boolean>)[CORRECTED]) continue;
    unregisterKernel(kernelName, backendName);
    registerKernel(Object.assign(fix(original), { [CORRECTED]: true }));
    changed.push(kernelName);
  }
  return changed;
}

/** Names of the kernels gankit provides or corrects for `backendName`. */
export function trainingKernelNames(backendName: string): string[] {
  return [
    ...(missing[backendName] ?? []).map((k) => k.kernelName),
    ...(corrections[backendName] ?? []).map((c) => c.kernelName),
  ];
}
