import { getKernel, type KernelConfig, registerKernel } from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { makeUnsortedSegmentSum } from './unsorted-segment-sum.js';

/** Kernels that training needs and that tfjs 4.22's wasm backend lacks, each built on wasm's own kernels. */
const wasmTrainingKernels: KernelConfig[] = [
  makeConv2DBackpropFilter('wasm'),
  makeUnsortedSegmentSum('wasm'),
];

/**
 * Registers the kernels training needs on a backend where tfjs does not ship them. A kernel the backend already
 * has (a later tfjs may add one) is left alone. Returns the names added by this call.
 */
export function registerTrainingKernels(backendName: string): string[] {
  const configs = backendName === 'wasm' ? wasmTrainingKernels : [];
  const added: string[] = [];
  for (const config of configs) {
    if (getKernel(config.kernelName, backendName) != null) continue;
    registerKernel(config);
    added.push(config.kernelName);
  }
  return added;
}

/** Names of the kernels gankit provides for `backendName` (added now or earlier). */
export function trainingKernelNames(backendName: string): string[] {
  return backendName === 'wasm' ? wasmTrainingKernels.map((k) => k.kernelName) : [];
}
