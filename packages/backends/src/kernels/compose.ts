import {
  type DataType,
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * Runs a backend's own kernels inside a new kernel and frees every intermediate result, so that a kernel tfjs
 * lacks can be built from the fast ones the backend has (on wasm: XNNPACK convolution, transposes, scatters)
 * without a round trip through the engine or JavaScript loops over the data.
 */
export class KernelComposer {
  private readonly intermediates: TensorInfo[] = [];

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Runs kernel `name` of this backend. The result is freed by `finish` unless it is the one returned. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: object = {}): TensorInfo {
    const kernel = getKernel(name, this.backendName);
    if (kernel == null) {
      throw new Error(
        `gankit: the ${this.backendName} backend has no '${name}' kernel, which a composed kernel needs. ` +
          'This tfjs version is not supported by @gankit/backends; use @tensorflow/tfjs-core 4.22.',
      );
    }
    const out = kernel.kernelFunc({ inputs, attrs: attrs as NamedAttrMap, backend: this.backend });
    if (Array.isArray(out))
      throw new Error(`gankit: kernel '${name}' returned several outputs where one was expected`);
    this.intermediates.push(out);
    return out;
  }

  /** Takes ownership of a result made outside `run` (so that `finish` frees it unless it is returned). */
  adopt(info: TensorInfo): TensorInfo {
    this.intermediates.push(info);
    return info;
  }

  /** A constant tensor of `shape` filled with `value`, made by the backend's own Fill kernel. */
  fill(shape: number[], value: number, dtype: DataType): TensorInfo {
    return this.run('Fill', {}, { shape, value, dtype });
  }

  /** Frees every intermediate except `result`, and returns `result`. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.intermediates) {
      if (t !== result) this.backend.disposeData(t.dataId);
    }
    this.intermediates.length = 0;
    return result;
  }

  /** Frees every intermediate (used when a composed kernel throws). */
  abandon(): void {
    for (const t of this.intermediates) this.backend.disposeData(t.dataId);
    this.intermediates.length = 0;
  }
}

/** Builds a kernel function body with a composer that cleans up on success and on failure. */
export function composed(
  backend: KernelBackend,
  backendName: string,
  body: (k: KernelComposer) => TensorInfo,
): TensorInfo {
  const k = new KernelComposer(backend, backendName);
  try {
    return k.finish(body(k));
  } catch (err) {
    k.abandon();
    throw err;
  }
}

/**
 * Wraps a shipped kernel: `body` gets the kernel's inputs and attributes, the backend, and `shipped()` to run the
 * shipped kernel for the cases it does not handle itself.
 */
export function wrapKernel(
  original: KernelConfig,
  body: (
    args: { inputs: NamedTensorInfoMap; attrs: NamedAttrMap; backend: KernelBackend },
    shipped: () => TensorInfo,
  ) => TensorInfo,
): KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as KernelBackend;
      return body({ inputs, attrs: attrs ?? {}, backend }, () => original.kernelFunc(args) as TensorInfo);
    },
  };
}
