import {
  type KernelBackend,
  type KernelConfig,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  type UnsortedSegmentSumInputs,
  util,
} from '@tensorflow/tfjs-core';
import { composed } from './compose.js';

/**
 * `UnsortedSegmentSum` for backends that lack it — tfjs-backend-wasm 4.22, where its absence breaks the
 * gradient of `gather` and so every embedding layer.
 *
 * `out[s, ...] = Σ_{i : ids[i] = s} x[i, ...]` for `x: [...idsShape, ...rest]` and integer `ids`; ids outside
 * `[0, numSegments)` contribute nothing (as in TensorFlow and the cpu backend). It runs on the backend's own
 * `ScatterNd`, which sums updates that share an index: out-of-range ids are routed to one spare row that is
 * sliced off, so no data-dependent shapes and no reads back to JavaScript are needed.
 */
export function makeUnsortedSegmentSum(backendName: string): KernelConfig {
  return {
    kernelName: UnsortedSegmentSum,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as UnsortedSegmentSumInputs as {
        x: TensorInfo;
        segmentIds: TensorInfo;
      };
      const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
      const idsRank = segmentIds.shape.length;
      const leading = x.shape.slice(0, idsRank);
      if (!util.arraysEqual(leading, segmentIds.shape)) {
        throw new Error(
          `gankit: UnsortedSegmentSum needs segmentIds of shape [${segmentIds.shape}] to match the leading ` +
            `dimensions of x [${x.shape}].`,
        );
      }
      const rest = x.shape.slice(idsRank);
      const n = util.sizeFromShape(segmentIds.shape);
      return composed(backend as KernelBackend, backendName, (k) => {
        if (n === 0 || numSegments === 0) return k.fill([numSegments, ...rest], 0, x.dtype);
        const ids = k.run('Reshape', { x: segmentIds }, { shape: [n] });
        const valid = k.run('LogicalAnd', {
          a: k.run('GreaterEqual', { a: ids, b: k.fill([n], 0, 'int32') }),
          b: k.run('Less', { a: ids, b: k.fill([n], numSegments, 'int32') }),
        });
        const routed = k.run('Select', { condition: valid, t: ids, e: k.fill([n], numSegments, 'int32') });
        const indices = k.run('Reshape', { x: routed }, { shape: [n, 1] });
        const updates = k.run('Reshape', { x }, { shape: [n, ...rest] });
        const sums = k.run('ScatterNd', { indices, updates }, { shape: [numSegments + 1, ...rest] });
        const begin = [0, ...rest.map(() => 0)];
        return k.run('Slice', { x: sums }, { begin, size: [numSegments, ...rest] });
      });
    },
  };
}
