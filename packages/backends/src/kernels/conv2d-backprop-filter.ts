import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelBackend,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composed } from './compose.js';

/**
 * `Conv2DBackpropFilter` (the gradient of conv2d with respect to its filter) for backends that have a fast
 * forward convolution but lack this kernel — tfjs-backend-wasm 4.22.
 *
 * The filter gradient is itself a convolution. For NHWC input `x: [B, H, W, Ci]`, output gradient
 * `dy: [B, Ho, Wo, Co]` and stride `s`,
 *
 *     dW[kh, kw, ci, co] = Σ_{b, i, j} x[b, i·s + kh − padTop, j·s + kw − padLeft, ci] · dy[b, i, j, co]
 *
 * which is a stride-1 convolution of `x` seen as `[Ci, H, W, B]` (the batch becomes the channel that is summed)
 * with `dy` seen as a `[Ho, Wo, B, Co]` filter dilated by `s`. That runs on the backend's own Conv2D (XNNPACK on
 * wasm), and a transpose brings the `[Ci, Kh, Kw, Co]` result to `[Kh, Kw, Ci, Co]`. Bottom/right padding is
 * trimmed so the convolution computes exactly Kh × Kw positions; rows a strided convolution never reads are left
 * out rather than computed and sliced off.
 */
export function makeConv2DBackpropFilter(backendName: string): KernelConfig {
  return {
    kernelName: Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, dy } = inputs as Conv2DBackpropFilterInputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
        attrs as unknown as Conv2DBackpropFilterAttrs;
      if (dataFormat !== 'NHWC') {
        throw new Error(
          `gankit: Conv2DBackpropFilter on ${backendName} supports dataFormat 'NHWC' only (got '${dataFormat}'); ` +
            'transpose NCHW data to NHWC first.',
        );
      }
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      return filterGradient(backend as KernelBackend, backendName, x, dy, info);
    },
  };
}

function filterGradient(
  backend: KernelBackend,
  backendName: string,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  return composed(backend, backendName, (k) => {
    if (batchSize * outHeight * outWidth === 0 || inChannels * outChannels === 0) {
      return k.fill([kh, kw, inChannels, outChannels], 0, x.dtype);
    }
    // Padding so that the convolution yields exactly kh rows (kw columns), or more when the input is shorter
    // than the strided window needs (then the extra rows are sliced off).
    const bottom = Math.max(0, kh + (outHeight - 1) * sh - inHeight - padInfo.top);
    const right = Math.max(0, kw + (outWidth - 1) * sw - inWidth - padInfo.left);
    const xT = k.run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [Ci, H, W, B]
    const dyT = k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [Ho, Wo, B, Co]
    const conv = k.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padInfo.top, bottom],
          [padInfo.left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [sh, sw],
        dimRoundingMode: undefined,
      },
    ); // [Ci, >= kh, >= kw, Co]
    const trimmed =
      conv.shape[1] === kh && conv.shape[2] === kw
        ? conv
        : k.run('Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [inChannels, kh, kw, outChannels] });
    return k.run('Transpose', { x: trimmed }, { perm: [1, 2, 0, 3] }); // [Kh, Kw, Ci, Co]
  });
}
