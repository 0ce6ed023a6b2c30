import { checkGradients, maxRelativeError, seededUniform, tensorsLeakedPerRun } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerTrainingKernels, trainingKernelNames, useBackend } from '../node.js';
import { fastConv2DBackpropInput } from './conv2d-backprop-input.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: number | [number, number];
  pad: Pad;
}

// Shapes from the list: strides 1/2/3, same/valid/explicit padding, batch 1 and odd sizes,
// non-square images and kernels, and the layers of the seed-002 discriminator.
const convCases: ConvCase[] = [
  { name: 'stride 1 same, batch 1', x: [1, 5, 5, 1], k: [3, 3], co: 2, stride: 1, pad: 'same' },
  { name: 'stride 2 same, odd batch', x: [3, 7, 7, 2], k: [3, 3], co: 4, stride: 2, pad: 'same' },
  { name: 'stride 3 valid', x: [2, 10, 10, 3], k: [3, 3], co: 5, stride: 3, pad: 'valid' },
  { name: 'stride 2 valid, even kernel', x: [2, 9, 9, 2], k: [4, 4], co: 3, stride: 2, pad: 'valid' },
  { name: 'non-square image and kernel', x: [2, 6, 11, 3], k: [2, 5], co: 4, stride: 1, pad: 'same' },
  { name: 'mixed strides [1, 2]', x: [1, 8, 9, 2], k: [3, 2], co: 3, stride: [1, 2], pad: 'same' },
  { name: 'mixed strides [3, 2], valid', x: [3, 13, 8, 1], k: [2, 3], co: 2, stride: [3, 2], pad: 'valid' },
  {
    name: 'explicit padding',
    x: [2, 7, 6, 2],
    k: [3, 3],
    co: 3,
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: 'explicit asymmetric padding, stride 1',
    x: [1, 5, 8, 3],
    k: [4, 2],
    co: 2,
    stride: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  { name: 'kernel as large as the image', x: [2, 4, 4, 2], k: [4, 4], co: 3, stride: 1, pad: 'valid' },
  { name: '1x1 kernel stride 2', x: [5, 6, 6, 4], k: [1, 1], co: 3, stride: 2, pad: 'valid' },
  {
    name: 'seed-002 D layer 1 (28x28, 64 filters)',
    x: [4, 28, 28, 1],
    k: [3, 3],
    co: 64,
    stride: 2,
    pad: 'same',
  },
  { name: 'seed-002 D layer 2 (14x14x64)', x: [2, 14, 14, 64], k: [3, 3], co: 64, stride: 2, pad: 'same' },
  {
    name: 'seed-002 G output conv (7x7 kernel)',
    x: [2, 28, 28, 8],
    k: [7, 7],
    co: 1,
    stride: 1,
    pad: 'same',
  },
];

/**
 * dW or dx of Σ(conv2d(x, W) ⊙ r) for fixed random x, r: runs Conv2DBackpropFilter or Conv2DBackpropInput
 * through the public gradient.
 */
function convGrad(c: ConvCase, seed: number, wrt: 'filter' | 'input'): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(
      seededUniform(
        c.x.reduce((a, b) => a * b),
        seed,
      ),
      c.x,
    );
    const wShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.co];
    const w = tf.tensor4d(
      seededUniform(
        wShape.reduce((a, b) => a * b),
        seed + 1,
      ),
      wShape,
    );
    const out = tf.conv2d(x, w, c.stride, c.pad);
    const r = tf.tensor(seededUniform(out.size, seed + 2), out.shape);
    const loss = (xx: tf.Tensor4D, ww: tf.Tensor4D) => tf.sum(tf.mul(tf.conv2d(xx, ww, c.stride, c.pad), r));
    const g =
      wrt === 'filter'
        ? tf.grad((ww) => loss(x, ww as tf.Tensor4D))(w)
        : tf.grad((xx) => loss(xx as tf.Tensor4D, w))(x);
    return g.dataSync() as Float32Array;
  });
}

async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await useBackend(name);
  return fn();
}

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(convCases)('matches the cpu backend: $name', async (c) => {
    const expected = await onBackend('cpu', () => convGrad(c, 11, 'filter'));
    const actual = await onBackend('wasm', () => convGrad(c, 11, 'filter'));
    expect(actual.length).toBe(c.k[0] * c.k[1] * c.x[3] * c.co);
    expect(maxRelativeError(actual, expected)).toBeLessThanOrEqual(1e-4);
  });

  it('agrees with central finite differences of the wasm forward convolution', async () => {
    await useBackend('wasm');
    for (const c of [convCases[1]!, convCases[2]!, convCases[7]!]) {
      const x = tf.tensor4d(
        seededUniform(
          c.x.reduce((a, b) => a * b),
          5,
        ),
        c.x,
      );
      const wShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.co];
      const w = tf.tensor4d(
        seededUniform(
          wShape.reduce((a, b) => a * b),
          6,
        ),
        wShape,
      );
      const r = tf.tidy(() => {
        const out = tf.conv2d(x, w, c.stride, c.pad);
        return tf.tensor(seededUniform(out.size, 7), out.shape);
      });
      const result = await checkGradients(
        (w) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, c.stride, c.pad), r)),
        [w],
        {
          samples: 30,
        },
      );
      expect(result.failures, `${c.name}: worst ${JSON.stringify(result.worst)}`).toEqual([]);
      tf.dispose([x, w, r]);
    }
  });

  it('frees every intermediate buffer', async () => {
    await useBackend('wasm');
    const c = convCases[3]!;
    const backend = tf.backend();
    const before = backend.numDataIds();
    expect(await tensorsLeakedPerRun(() => convGrad(c, 3, 'filter'))).toBe(0);
    expect(backend.numDataIds()).toBe(before);
  });
});

// Input-gradient cases beyond the shared table: explicit padding wider than the kernel, strides that leave the
// input's last rows and columns unread (their gradient must be zero), a kernel wider than the input.
const inputGradCases: ConvCase[] = [
  ...convCases,
  {
    name: 'stride 3 leaves the last row and some columns unread',
    x: [1, 10, 11, 2],
    k: [3, 2],
    co: 3,
    stride: 3,
    pad: 'valid',
  },
  {
    name: 'stride 2, even kernel, last rows unread',
    x: [3, 8, 7, 2],
    k: [3, 3],
    co: 2,
    stride: 2,
    pad: 'valid',
  },
  {
    name: 'explicit padding wider than the kernel',
    x: [2, 5, 6, 2],
    k: [2, 3],
    co: 3,
    stride: [2, 1],
    pad: [
      [0, 0],
      [3, 1],
      [0, 4],
      [0, 0],
    ],
  },
  {
    name: "kernel larger than the image ('same')",
    x: [1, 3, 4, 2],
    k: [5, 6],
    co: 2,
    stride: 1,
    pad: 'same',
  },
  { name: 'kernel smaller than the stride', x: [2, 9, 9, 2], k: [2, 2], co: 3, stride: 3, pad: 'same' },
];

interface TransposeCase {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  filters: number;
  stride: number | [number, number];
  pad: Pad | number;
  out: [number, number];
}

// tf.conv2dTranspose is Conv2DBackpropInput run forwards: the seed-002 generator's two upsampling layers (batch
// reduced for the cpu reference), the PyTorch-style padding 1 of SNGAN/DCGAN, and output sizes larger than the
// smallest (Keras's output_padding), whose extra rows no input reaches.
const transposeCases: TransposeCase[] = [
  {
    name: 'seed-002 G layer 1 (7x7x128 → 14x14x128)',
    x: [3, 7, 7, 128],
    k: [4, 4],
    filters: 128,
    stride: 2,
    pad: 'same',
    out: [14, 14],
  },
  {
    name: 'seed-002 G layer 2 (14x14x128 → 28x28x128)',
    x: [1, 14, 14, 128],
    k: [4, 4],
    filters: 128,
    stride: 2,
    pad: 'same',
    out: [28, 28],
  },
  {
    name: 'DCGAN-style 4x4 stride 2 padding 1',
    x: [2, 4, 4, 8],
    k: [4, 4],
    filters: 3,
    stride: 2,
    pad: 1,
    out: [8, 8],
  },
  {
    name: '3x3 stride 2 same',
    x: [2, 5, 6, 4],
    k: [3, 3],
    filters: 3,
    stride: 2,
    pad: 'same',
    out: [10, 12],
  },
  {
    name: 'valid with output padding',
    x: [1, 3, 3, 2],
    k: [3, 3],
    filters: 3,
    stride: 2,
    pad: 'valid',
    out: [8, 8],
  },
  {
    name: 'mixed strides, non-square',
    x: [1, 4, 3, 3],
    k: [3, 5],
    filters: 2,
    stride: [3, 2],
    pad: 'same',
    out: [12, 6],
  },
  { name: 'stride 1 valid', x: [2, 6, 5, 3], k: [3, 2], filters: 4, stride: 1, pad: 'valid', out: [8, 6] },
];

function transposeConv(c: TransposeCase, seed: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(
      seededUniform(
        c.x.reduce((a, b) => a * b),
        seed,
      ),
      c.x,
    );
    const wShape: [number, number, number, number] = [c.k[0], c.k[1], c.filters, c.x[3]];
    const w = tf.tensor4d(
      seededUniform(
        wShape.reduce((a, b) => a * b),
        seed + 1,
      ),
      wShape,
    );
    const outShape: [number, number, number, number] = [c.x[0], c.out[0], c.out[1], c.filters];
    const y = tf.conv2dTranspose(x, w, outShape, c.stride, c.pad);
    expect(y.shape).toEqual(outShape);
    return y.dataSync() as Float32Array;
  });
}

/** Conv2DBackpropInput run directly (for shapes and attributes the public ops do not produce). */
function backpropInput(
  dyShape: number[],
  filterShape: number[],
  attrs: Record<string, unknown>,
): { shape: number[]; values: number[] } {
  return tf.tidy(() => {
    const dy = tf.tensor(
      seededUniform(
        dyShape.reduce((a, b) => a * b, 1),
        41,
      ),
      dyShape,
    );
    const filter = tf.tensor(
      seededUniform(
        filterShape.reduce((a, b) => a * b, 1),
        42,
      ),
      filterShape,
    );
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as never) as tf.Tensor;
    return { shape: dx.shape, values: Array.from(dx.dataSync()) };
  });
}

describe('Conv2DBackpropInput on wasm (faster)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('replaces the shipped kernel once, however often the kernels are registered', async () => {
    await useBackend('wasm');
    const kernel = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
    expect((kernel as unknown as Record<symbol, unknown>)[Symbol.for('gankit.faster')]).toBe(true);
    expect(registerTrainingKernels('wasm')).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(kernel);
    expect(trainingKernelNames('wasm')).toContain('Conv2DBackpropInput');
  });

  it.each(inputGradCases)('the gradient of conv2d matches the cpu backend: $name', async (c) => {
    const expected = await onBackend('cpu', () => convGrad(c, 13, 'input'));
    const actual = await onBackend('wasm', () => convGrad(c, 13, 'input'));
    expect(actual.length).toBe(c.x.reduce((a, b) => a * b));
    expect(maxRelativeError(actual, expected)).toBeLessThanOrEqual(1e-4);
  });

  it.each(transposeCases)('conv2dTranspose matches the cpu backend: $name', async (c) => {
    const expected = await onBackend('cpu', () => transposeConv(c, 17));
    const actual = await onBackend('wasm', () => transposeConv(c, 17));
    expect(maxRelativeError(actual, expected)).toBeLessThanOrEqual(1e-4);
  });

  it('leaves the rows and columns that no output reads at zero', async () => {
    await useBackend('wasm');
    const c = inputGradCases.find((c) => c.name.startsWith('stride 3 leaves'))!;
    const dx = convGrad(c, 19, 'input');
    const [, h, w, ch] = c.x;
    const [sh, sw] = typeof c.stride === 'number' ? [c.stride, c.stride] : c.stride;
    // 'valid': output o reads rows o·s … o·s + k − 1, for o < ⌈(n − k + 1) / s⌉
    const read = (i: number, n: number, k: number, s: number) => {
      const outputs = Math.ceil((n - k + 1) / s);
      return Array.from({ length: outputs }, (_, o) => i - o * s).some((t) => t >= 0 && t < k);
    };
    let unread = 0;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const cell = Array.from(dx.subarray((i * w + j) * ch, (i * w + j + 1) * ch));
        if (read(i, h, c.k[0], sh) && read(j, w, c.k[1], sw)) {
          expect(cell.some((v) => v !== 0)).toBe(true);
        } else {
          expect(cell, `row ${i}, column ${j}`).toEqual(cell.map(() => 0));
          unread++;
        }
      }
    }
    expect(unread).toBeGreaterThan(h + w);
  });

  it('handles empty tensors as the cpu backend does', async () => {
    const cases: [number[], number[], Record<string, unknown>][] = [
      // batch 0
      [[0, 3, 3, 2], [3, 3, 4, 2], { inputShape: [0, 5, 5, 4], strides: 2, pad: 'same', dataFormat: 'NHWC' }],
      // a kernel taller than the padded input leaves no output rows
      [
        [2, 0, 3, 2],
        [4, 2, 3, 2],
        { inputShape: [2, 3, 4, 3], strides: 1, pad: 'valid', dataFormat: 'NHWC' },
      ],
      // no input channels
      [[1, 3, 3, 2], [3, 3, 0, 2], { inputShape: [1, 3, 3, 0], strides: 1, pad: 'same', dataFormat: 'NHWC' }],
      // no output channels: dx is zero
      [[2, 3, 3, 0], [3, 3, 2, 0], { inputShape: [2, 5, 6, 2], strides: 2, pad: 'same', dataFormat: 'NHWC' }],
    ];
    for (const [dyShape, filterShape, attrs] of cases) {
      const expected = await onBackend('cpu', () => backpropInput(dyShape, filterShape, attrs));
      const actual = await onBackend('wasm', () => backpropInput(dyShape, filterShape, attrs));
      expect(actual).toEqual(expected);
    }
  });

  it('runs the shipped kernel for NCHW data and dilations, agreeing with the cpu backend', async () => {
    const nchw = { inputShape: [2, 3, 7, 6], strides: 2, pad: 'same', dataFormat: 'NCHW' };
    const dilated = {
      inputShape: [2, 7, 6, 3],
      strides: 1,
      pad: 'valid',
      dataFormat: 'NHWC',
      dilations: [2, 2],
    };
    for (const [dyShape, attrs] of [
      [[2, 4, 4, 3], nchw],
      [[2, 5, 4, 4], dilated],
    ] as const) {
      const expected = await onBackend('cpu', () => backpropInput([...dyShape], [3, 3, 3, 4], attrs));
      const actual = await onBackend('wasm', () => backpropInput([...dyShape], [3, 3, 3, 4], attrs));
      expect(actual.shape).toEqual(expected.shape);
      expect(maxRelativeError(actual.values, expected.values)).toBeLessThanOrEqual(1e-4);
    }
    // and the shipped kernel is the one that ran
    const shipped = vi.fn(() => ({ dataId: {}, shape: [1], dtype: 'float32' }) as tf.TensorInfo);
    const fast = fastConv2DBackpropInput({
      kernelName: 'Conv2DBackpropInput',
      backendName: 'wasm',
      kernelFunc: shipped,
    });
    const args = (attrs: object) =>
      ({
        inputs: {
          dy: { shape: [1, 5, 4, 4], dtype: 'float32' },
          filter: { shape: [3, 3, 3, 4], dtype: 'float32' },
        },
        attrs,
        backend: tf.backend(),
      }) as never;
    fast.kernelFunc(args(dilated));
    fast.kernelFunc(args({ ...dilated, dilations: 2 }));
    fast.kernelFunc(args({ ...nchw }));
    expect(shipped).toHaveBeenCalledTimes(3);
  });

  it('agrees with central finite differences of the wasm forward convolution', async () => {
    await useBackend('wasm');
    for (const c of [convCases[1]!, convCases[6]!, convCases[7]!, inputGradCases.at(-3)!]) {
      const x = tf.tensor4d(
        seededUniform(
          c.x.reduce((a, b) => a * b),
          8,
        ),
        c.x,
      );
      const wShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.co];
      const w = tf.tensor4d(
        seededUniform(
          wShape.reduce((a, b) => a * b),
          9,
        ),
        wShape,
      );
      const r = tf.tidy(() => {
        const out = tf.conv2d(x, w, c.stride, c.pad);
        return tf.tensor(seededUniform(out.size, 10), out.shape);
      });
      const result = await checkGradients(
        (x) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w, c.stride, c.pad), r)),
        [x],
        { samples: 30 },
      );
      expect(result.failures, `${c.name}: worst ${JSON.stringify(result.worst)}`).toEqual([]);
      tf.dispose([x, w, r]);
    }
  });

  it('frees every intermediate buffer', async () => {
    await useBackend('wasm');
    const backend = tf.backend();
    const before = { ids: backend.numDataIds(), bytes: tf.memory().numBytes };
    for (const run of [
      () => convGrad(inputGradCases.at(-3)!, 3, 'input'), // slices dy, pads, interleaves with a transpose
      () => convGrad(convCases[1]!, 3, 'input'), // interleaving transpose and a final slice
      () => convGrad(convCases[0]!, 3, 'input'), // stride 1
      () => transposeConv(transposeCases[4]!, 3),
      () =>
        backpropInput([2, 3, 3, 0], [3, 3, 2, 0], {
          inputShape: [2, 5, 6, 2],
          strides: 2,
          pad: 'same',
          dataFormat: 'NHWC',
        }),
    ]) {
      expect(await tensorsLeakedPerRun(run)).toBe(0);
    }
    expect(backend.numDataIds()).toBe(before.ids);
    expect(tf.memory().numBytes).toBe(before.bytes);
  });
});

interface SegmentCase {
  name: string;
  x: number[];
  ids: number[];
  idsShape?: number[];
  numSegments: number;
}

const segmentCases: SegmentCase[] = [
  { name: 'vector, duplicates', x: [6], ids: [0, 1, 0, 3, 3, 3], numSegments: 4 },
  { name: 'matrix rows', x: [5, 3], ids: [2, 0, 2, 1, 0], numSegments: 3 },
  { name: 'negative and out-of-range ids are dropped', x: [6, 2], ids: [-1, 0, 4, 1, 7, 1], numSegments: 4 },
  { name: 'empty segments stay zero', x: [3, 2, 2], ids: [5, 5, 0], numSegments: 8 },
  { name: '3-D data', x: [6, 2, 3], ids: [0, 1, 2, 2, 1, 0], numSegments: 3 },
  { name: 'one segment', x: [4, 5], ids: [0, 0, 0, 0], numSegments: 1 },
];

function segmentSum(c: SegmentCase): Float32Array {
  return tf.tidy(() => {
    const size = c.x.reduce((a, b) => a * b, 1);
    const x = tf.tensor(seededUniform(size, 21), c.x);
    const ids = tf.tensor(c.ids, c.idsShape ?? [c.ids.length], 'int32');
    return tf.unsortedSegmentSum(x, ids as tf.Tensor1D, c.numSegments).dataSync() as Float32Array;
  });
}

describe('UnsortedSegmentSum on wasm', () => {
  it.each(segmentCases)('matches the cpu backend: $name', async (c) => {
    const expected = await onBackend('cpu', () => segmentSum(c));
    const actual = await onBackend('wasm', () => segmentSum(c));
    expect(Array.from(actual).length).toBe(expected.length);
    expect(maxRelativeError(actual, expected)).toBeLessThanOrEqual(1e-6);
  });

  it('accepts segment ids of rank 2 (the leading dimensions of x), which the cpu backend does not', async () => {
    await useBackend('wasm');
    const x = tf.tensor3d([1, 10, 2, 20, 3, 30, 4, 40], [2, 2, 2]);
    const ids = tf.tensor2d(
      [
        [0, 1],
        [1, 1],
      ],
      [2, 2],
      'int32',
    );
    const out = tf
      .engine()
      .runKernel('UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments: 2 }) as tf.Tensor;
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.dataSync())).toEqual([1, 10, 9, 90]);
    tf.dispose([x, ids, out]);
  });

  it('sums int32 data exactly', async () => {
    await useBackend('wasm');
    const out = tf.unsortedSegmentSum(
      tf.tensor1d([1, 2, 3, 4], 'int32'),
      tf.tensor1d([1, 1, 0, 1], 'int32'),
      2,
    );
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.dataSync())).toEqual([3, 7]);
    out.dispose();
  });

  it('trains an embedding: the gradient of gather matches cpu and finite differences', async () => {
    const run = () =>
      tf.tidy(() => {
        const table = tf.tensor2d(seededUniform(7 * 3, 31), [7, 3]);
        const ids = tf.tensor1d([3, 0, 3, 6, 1, 3], 'int32');
        const r = tf.tensor2d(seededUniform(6 * 3, 32), [6, 3]);
        return tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), r)))(table)
          .dataSync() as Float32Array;
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(maxRelativeError(actual, expected)).toBeLessThanOrEqual(1e-6);
    const table = tf.tensor2d(seededUniform(7 * 3, 31), [7, 3]);
    const ids = tf.tensor1d([3, 0, 3, 6, 1, 3], 'int32');
    const r = tf.tensor2d(seededUniform(6 * 3, 32), [6, 3]);
    const check = await checkGradients((t) => tf.sum(tf.mul(tf.gather(t, ids), r)), [table], { samples: 21 });
    expect(check.failures).toEqual([]);
    tf.dispose([table, ids, r]);
  });

  it('frees every intermediate buffer', async () => {
    await useBackend('wasm');
    const backend = tf.backend();
    const before = backend.numDataIds();
    expect(await tensorsLeakedPerRun(() => segmentSum(segmentCases[2]!))).toBe(0);
    expect(backend.numDataIds()).toBe(before);
  });
});

describe('OneHot on wasm (corrected)', () => {
  const cases = [
    { dtype: 'float32' as const, on: 1, off: 0 },
    { dtype: 'float32' as const, on: 0.9, off: 0.05 }, // label smoothing
    { dtype: 'int32' as const, on: 1, off: 0 },
    { dtype: 'int32' as const, on: 5, off: -1 },
  ];
  it.each(cases)('matches cpu for $dtype on $on / off $off', async ({ dtype, on, off }) => {
    const run = () =>
      tf.tidy(() => {
        const y = tf.oneHot(tf.tensor1d([2, 0, 3, -1, 1], 'int32'), 4, on, off, dtype);
        return { dtype: y.dtype, values: Array.from(y.dataSync()) };
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(actual.dtype).toBe(dtype);
    expect(actual.values.map((v) => Number(v.toFixed(6)))).toEqual(
      expected.values.map((v) => Number(v.toFixed(6))),
    );
  });

  it('frees every intermediate buffer', async () => {
    await useBackend('wasm');
    const backend = tf.backend();
    const before = backend.numDataIds();
    const oneHot = () =>
      tf.tidy(() => tf.oneHot(tf.tensor1d([1, 0], 'int32'), 3, 0.9, 0.1, 'float32').dataSync());
    expect(await tensorsLeakedPerRun(oneHot)).toBe(0);
    expect(backend.numDataIds()).toBe(before);
  });
});

describe('BatchMatMul and Tile on wasm (faster)', () => {
  const products = [
    { name: '2-D, transposeA (a dense weight gradient)', a: [40, 17], b: [40, 23], tA: true, tB: false },
    { name: '2-D, transposeB (a dense input gradient)', a: [40, 23], b: [17, 23], tA: false, tB: true },
    { name: '2-D, both transposed', a: [23, 40], b: [17, 23], tA: true, tB: true },
    { name: 'batched 3-D, transposeA', a: [3, 9, 5], b: [3, 9, 4], tA: true, tB: false },
    { name: 'batch broadcast, transposeB', a: [2, 6, 7], b: [1, 5, 7], tA: false, tB: true },
    { name: 'rank 4, both', a: [2, 3, 6, 4], b: [2, 3, 5, 6], tA: true, tB: true },
    { name: 'untransposed (the shipped kernel)', a: [8, 6], b: [6, 3], tA: false, tB: false },
    { name: 'empty inner dimension, transposed', a: [0, 6], b: [0, 3], tA: true, tB: false },
    { name: 'empty inner dimension', a: [2, 4, 0], b: [1, 0, 3], tA: false, tB: false },
    { name: 'empty outer dimension', a: [0, 6], b: [6, 3], tA: false, tB: false },
  ];
  it.each(products)('matMul matches the cpu backend: $name', async ({ a, b, tA, tB }) => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(
          seededUniform(
            a.reduce((p, q) => p * q, 1),
            5,
          ),
          a,
        );
        const y = tf.tensor(
          seededUniform(
            b.reduce((p, q) => p * q, 1),
            6,
          ),
          b,
        );
        const out = tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, tA, tB);
        return { shape: out.shape, values: out.dataSync() as Float32Array };
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    expect(actual.shape).toEqual(expected.shape);
    expect(maxRelativeError(actual.values, expected.values)).toBeLessThanOrEqual(1e-5);
  });

  it('trains a dense layer: the gradients match cpu', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(seededUniform(32 * 12, 8), [32, 12]);
        const w = tf.tensor2d(seededUniform(12 * 7, 9), [12, 7]);
        const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
          tf.sum(tf.square(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D))),
        )([x, w]);
        return g.map((t) => t.dataSync() as Float32Array);
      });
    const expected = await onBackend('cpu', run);
    const actual = await onBackend('wasm', run);
    for (let i = 0; i < 2; i++) expect(maxRelativeError(actual[i]!, expected[i]!)).toBeLessThanOrEqual(1e-5);
  });

  const tiles = [
    {
      name: 'scalar condition of tf.where',
      make: () => tf.where(tf.scalar(true), tf.ones([3, 4]), tf.zeros([3, 4])),
    },
    { name: 'false condition', make: () => tf.where(tf.scalar(false), tf.ones([5]), tf.fill([5], 7)) },
    { name: 'one float broadcast', make: () => tf.tile(tf.tensor2d([[2.5]]), [3, 2]) },
    { name: 'one int32', make: () => tf.tile(tf.tensor1d([-4], 'int32'), [6]) },
    {
      name: 'several values (the shipped kernel)',
      make: () =>
        tf.tile(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          [2, 3],
        ),
    },
    { name: 'zero repetitions', make: () => tf.tile(tf.tensor2d([[1]]), [0, 3]) },
  ];
  it.each(tiles)('tile matches the cpu backend: $name', async ({ make }) => {
    const run = () =>
      tf.tidy(() => {
        const y = make();
        return { shape: y.shape, dtype: y.dtype, values: Array.from(y.dataSync()) };
      });
    expect(await onBackend('wasm', run)).toEqual(await onBackend('cpu', run));
  });

  it('free every intermediate buffer', async () => {
    await useBackend('wasm');
    const backend = tf.backend();
    const before = backend.numDataIds();
    const a = tf.ones([6, 4]);
    const run = () => {
      tf.matMul(a, a, true, false).dispose();
      tf.matMul(a, a, false, true).dispose();
      tf.tidy(() => {
        tf.where(tf.scalar(true), a, a);
      });
    };
    expect(await tensorsLeakedPerRun(run)).toBe(0);
    a.dispose();
    expect(backend.numDataIds()).toBe(before);
  });
});
