import {
  type BatchMatMulAttrs,
  broadcast_util,
  type KernelConfig,
  type TensorInfo,
  type TileAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { composed, wrapKernel } from './compose.js';

/**
 * A faster `BatchMatMul` for tfjs-backend-wasm 4.22: with `transposeA` or `transposeB` its kernel leaves XNNPACK
 * for a plain loop, about 12× slower at 128 × 128 (1.6 ms instead of 0.135 ms here). Every dense layer's gradient
 * is such a product (`dW = xᵀ·dy`, `dx = dy·Wᵀ`), so this transposes the operand with wasm's Transpose kernel
 * (~40 µs at 128 × 128) and runs the shipped kernel untransposed. Untransposed products and non-float32 inputs go
 * straight to the shipped kernel, except an empty inner dimension, whose product (zeros) the shipped kernel leaves
 * as uninitialised memory.
 */
export function fastBatchMatMul(original: KernelConfig): KernelConfig {
  const backendName = original.backendName;
  return wrapKernel(original, ({ inputs, attrs, backend }, shipped) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return shipped();
    const inner = transposeA ? a.shape.at(-2)! : a.shape.at(-1)!;
    if (inner === 0) {
      // An empty sum: the shipped kernel returns uninitialised memory here.
      const outShape = [
        ...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
        transposeA ? a.shape.at(-1)! : a.shape.at(-2)!,
        transposeB ? b.shape.at(-2)! : b.shape.at(-1)!,
      ];
      return composed(backend, backendName, (k) => k.fill(outShape, 0, 'float32'));
    }
    if (!transposeA && !transposeB) return shipped();
    return composed(backend, backendName, (k) => {
      const swapLast = (x: TensorInfo) => {
        const perm = x.shape.map((_, i) => i);
        const r = perm.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
        return k.run('Transpose', { x }, { perm });
      };
      const out = original.kernelFunc({
        inputs: { a: transposeA ? swapLast(a) : a, b: transposeB ? swapLast(b) : b },
        attrs: { ...attrs, transposeA: false, transposeB: false },
        backend,
      }) as TensorInfo;
      return k.adopt(out);
    });
  });
}

/**
 * A faster `Tile` for tfjs-backend-wasm 4.22 where it is a broadcast of one value: `tf.where` with a scalar
 * condition (an optimizer skipping a non-finite update) tiles that condition to every weight's shape, and wasm's
 * Tile takes ~100 µs even for 128 values. One value is filled with wasm's Fill kernel instead. Its value is read
 * from wasm memory: a copy of one element out of the heap, not a wait for a device. (Broadcasting it with wasm's
 * binary kernels instead, with nothing read, measured 2× slower than the shipped Tile: their broadcast is a
 * general loop.) Every other tile runs the shipped kernel.
 */
export function fastTile(original: KernelConfig): KernelConfig {
  const backendName = original.backendName;
  return wrapKernel(original, ({ inputs, attrs, backend }, shipped) => {
    const { x } = inputs as { x: TensorInfo };
    const { reps } = attrs as unknown as TileAttrs;
    if (util.sizeFromShape(x.shape) !== 1 || x.dtype === 'string' || reps.length !== x.shape.length) {
      return shipped();
    }
    const value = Number((backend.readSync(x.dataId) as ArrayLike<number>)[0]);
    const shape = x.shape.map((d, i) => d * reps[i]!);
    return composed(backend, backendName, (k) => k.fill(shape, value, x.dtype));
  });
}
