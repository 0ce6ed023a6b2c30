import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { composed, wrapKernel } from './compose.js';

/**
 * A corrected `ResizeNearestNeighborGrad` for tfjs-backend-cpu 4.22, the gradient of `upsample` layers
 * (`tf.image.resizeNearestNeighbor`). The shipped kernel offsets its reads of `dy` by the batch stride of the
 * *images* (`b·h·w·c`) where `dy`'s (`b·H·W·c`) belongs, so every example after the first gets the gradient of
 * the wrong rows of dy (or of none): wrong first-order gradients whenever the batch is larger than 1. WebGPU,
 * WebGL and wasm index dy correctly.
 *
 * For a batch of one the shipped kernel runs as is. A larger batch is folded into the channels — `[B, H, W, C]` →
 * `[1, H, W, B·C]` with the cpu backend's Transpose and Reshape — where the shipped kernel is right (channels are
 * independent), and unfolded after.
 */
export function fixResizeNearestNeighborGradBatch(original: KernelConfig): KernelConfig {
  const backendName = original.backendName;
  return wrapKernel(original, ({ inputs, attrs, backend }, shipped) => {
    const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
    const [batch, h, w, c] = images.shape as [number, number, number, number];
    if (batch <= 1) return shipped();
    return composed(backend, backendName, (k) => {
      const fold = (x: TensorInfo) => {
        const [, rows, cols] = x.shape as [number, number, number];
        const channelsLast = k.run('Transpose', { x }, { perm: [1, 2, 0, 3] }); // [rows, cols, B, C]
        return k.run('Reshape', { x: channelsLast }, { shape: [1, rows, cols, batch * c] });
      };
      const folded = original.kernelFunc({
        inputs: { images: fold(images), dy: fold(dy) },
        attrs,
        backend,
      });
      if (Array.isArray(folded))
        throw new Error('gankit: ResizeNearestNeighborGrad returned several outputs');
      const grid = k.run('Reshape', { x: k.adopt(folded) }, { shape: [h, w, batch, c] });
      return k.run('Transpose', { x: grid }, { perm: [2, 0, 1, 3] });
    });
  });
}
