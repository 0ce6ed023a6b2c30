import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingKernels, trainingKernelNames } from './kernels/register.js';
import type { Attempt } from './types.js';

/** True for adapters that run WebGPU on the CPU (SwiftShader, llvmpipe/lavapipe): correct, but slow. */
export function isSoftwareAdapter(info: GPUAdapterInfo): boolean {
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return fallback || /swiftshader|llvmpipe|lavapipe|software/i.test(text);
}

/** One line naming an adapter, e.g. "nvidia ampere (NVIDIA GeForce RTX 3090)". */
export function describeAdapter(info: GPUAdapterInfo): string {
  const name = `${info.vendor || 'unknown vendor'} ${info.architecture || info.device || ''}`;
  const description = info.description ? ` (${info.description})` : '';
  return `${name}${description}`.replace(/\s+/g, ' ').trim();
}

/** The success record for an initialised wasm backend, naming SIMD and threads. */
export async function wasmAttempt(added: string[], threads: number): Promise<Attempt> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return {
    ok: true,
    detail: `WebAssembly${simd ? ' SIMD' : ''} with XNNPACK, ${threads === 1 ? '1 thread' : `${threads} threads`}`,
    warnings: simd ? [] : ['this runtime has no WebAssembly SIMD: wasm runs several times slower'],
    added,
  };
}

/** Activates the pure-JavaScript cpu backend. */
export async function cpuAttempt(): Promise<Attempt> {
  await import('@tensorflow/tfjs-backend-cpu');
  registerTrainingKernels('cpu');
  if (!(await tf.setBackend('cpu'))) return { ok: false, reason: 'the cpu backend failed to initialise' };
  // tfjs-backend-cpu greets its first tensor in Node with "Hi, looks like you are running TensorFlow.js in
  // Node.js…": useBackend has already said which backend runs and why the faster ones were skipped
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  return {
    ok: true,
    detail: 'plain JavaScript',
    warnings: ['the cpu backend is about 80× slower than wasm for convolutional training; use it for tests'],
    added: trainingKernelNames('cpu'),
  };
}
