import type { KernelBackend, KernelConfig, OneHotAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { composed } from './compose.js';

/**
 * A corrected `OneHot` for tfjs-backend-wasm 4.22, whose kernel writes int32 values whatever dtype is asked for:
 * `tf.oneHot(labels, n, 1, 0, 'float32')` comes back as 1.4e-45 (the int 1's bit pattern read as a float), and
 * fractional on/off values (label smoothing) are truncated. The wasm kernel is run for int32 0/1, then cast and
 * scaled with wasm's own Cast, Multiply and Add.
 */
export function fixOneHotDtype(original: KernelConfig): KernelConfig {
  const backendName = original.backendName;
  return {
    ...original,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { dtype, depth, onValue, offValue } = attrs as unknown as OneHotAttrs;
      const exact = dtype === 'int32' && Number.isInteger(onValue) && Number.isInteger(offValue);
      if (exact) return original.kernelFunc({ inputs, attrs, backend });
      return composed(backend as KernelBackend, backendName, (k) => {
        const base = original.kernelFunc({
          inputs,
          attrs: { dtype: 'int32', depth, onValue: 1, offValue: 0 },
          backend,
        }) as TensorInfo;
        const bits = k.adopt(base);
        let y = k.run('Cast', { x: bits }, { dtype: 'float32' });
        if (onValue !== 1 || offValue !== 0) {
          y = k.run('Multiply', { a: y, b: k.fill([], onValue - offValue, 'float32') });
          y = k.run('Add', { a: y, b: k.fill([], offValue, 'float32') });
        }
        return dtype === 'float32' ? y : k.run('Cast', { x: y }, { dtype });
      });
    },
  };
}
