import { useBackend } from '@gankit/backends';
import { maxRelativeError, seededUniform, tidyResult } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../build.js';
import { sequential } from '../combinators.js';
import { disposeTree, flattenTree, replaceState } from '../tree.js';
import type { ApplyCtx, Layer, Shape, StateTree } from '../types.js';
import { conv2d, conv2dTranspose, convTransposeOutputLength } from './conv.js';
import {
  dense,
  dropout,
  elu,
  embedding,
  flatten,
  leakyRelu,
  relu,
  reshape,
  sigmoid,
  tanh,
  upsample,
} from './core.js';
import { concatLabels, minibatchDiscrimination, minibatchStdDev, noiseInjection } from './gan.js';
import { batchNorm, conditionalBatchNorm, instanceNorm, layerNorm, pixelNorm } from './norm.js';
import { estimatedSpectralNorm, spectralNorm } from './spectral-norm.js';
import { adain } from './style.js';

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const data = (t: tf.Tensor) => Array.from(t.dataSync());

/** Naive NHWC convolution in float64: the reference for conv2d. */
function refConv(
  x: number[],
  xs: number[],
  k: number[],
  ks: number[],
  stride: number,
  pad: [number, number],
): { y: number[]; shape: number[] } {
  const [b, h, w, c] = xs as [number, number, number, number];
  const [kh, kw, , f] = ks as [number, number, number, number];
  const oh = Math.floor((h + 2 * pad[0] - kh) / stride) + 1;
  const ow = Math.floor((w + 2 * pad[1] - kw) / stride) + 1;
  const y = new Array(b * oh * ow * f).fill(0);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < f; o++) {
          let s = 0;
          for (let di = 0; di < kh; di++)
            for (let dj = 0; dj < kw; dj++) {
              const yi = i * stride + di - pad[0];
              const xj = j * stride + dj - pad[1];
              if (yi < 0 || yi >= h || xj < 0 || xj >= w) continue;
              for (let ci = 0; ci < c; ci++)
                s += x[((n * h + yi) * w + xj) * c + ci]! * k[((di * kw + dj) * c + ci) * f + o]!;
            }
          y[((n * oh + i) * ow + j) * f + o] = s;
        }
  return { y, shape: [b, oh, ow, f] };
}

/**
 * Naive transposed convolution (PyTorch's definition): every input pixel scatters `kernel · x` into the output at
 * `i·stride − pad + di`; kernel `[kh, kw, out, in]`.
 */
function refConvTranspose(
  x: number[],
  xs: number[],
  k: number[],
  ks: number[],
  stride: number,
  pad: number,
  outH: number,
  outW: number,
): number[] {
  const [b, h, w, c] = xs as [number, number, number, number];
  const [kh, kw, f] = ks as [number, number, number, number];
  const y = new Array(b * outH * outW * f).fill(0);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let di = 0; di < kh; di++)
          for (let dj = 0; dj < kw; dj++) {
            const oi = i * stride - pad + di;
            const oj = j * stride - pad + dj;
            if (oi < 0 || oi >= outH || oj < 0 || oj >= outW) continue;
            for (let o = 0; o < f; o++)
              for (let ci = 0; ci < c; ci++)
                y[((n * outH + oi) * outW + oj) * f + o] +=
                  x[((n * h + i) * w + j) * c + ci]! * k[((di * kw + dj) * f + o) * c + ci]!;
          }
  return y;
}

function init(layer: Layer, inputShape: Shape, seed = 1) {
  return build(layer, { name: 'test', inputShape, seed });
}

function input(shape: number[], seed: number, lo = -1, hi = 1) {
  return tf.tensor(seededUniform(prod(shape), seed, lo, hi), shape);
}

const infer: ApplyCtx = { training: false };

describe.each(['cpu', 'wasm'] as const)('layers on %s', (backend) => {
  let built: { params: object; state: StateTree }[] = [];
  let tensorsBefore = 0;
  beforeAll(async () => {
    await useBackend(backend);
  });
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
    built = [];
  });
  afterEach(() => {
    for (const b of built) {
      disposeTree(b.params as never);
      disposeTree(b.state);
    }
    // every test cleans up after itself: no tensor leaks
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
  const make = (layer: Layer, shape: Shape, seed = 1) => {
    const b = init(layer, shape, seed);
    built.push(b);
    return b;
  };

  it('dense: Keras parameter count and x·W + b', () => {
    const m = make(dense({ units: 5 }), [7]);
    expect(m.rows[0]!.trainable).toBe(7 * 5 + 5);
    expect(m.outputShape).toEqual([5]);
    tf.tidy(() => {
      const x = input([3, 7], 2);
      const [w, b] = flattenTree(m.params).map(([, t]) => t as tf.Variable);
      const got = dense({ units: 5 }).apply({ kernel: w!, bias: b! }, {}, x, infer).y;
      const expected = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b!);
      expect(maxRelativeError(data(got), data(expected))).toBeLessThan(1e-6);
    });
  });

  it.each([
    { stride: 1, padding: 'valid' as const, pad: [0, 0] as [number, number], h: 6, w: 5, k: 3 },
    { stride: 2, padding: 'valid' as const, pad: [0, 0] as [number, number], h: 9, w: 7, k: 3 },
    {
      stride: 2,
      padding: [
        [1, 1],
        [2, 2],
      ] as [[number, number], [number, number]],
      pad: [1, 2] as [number, number],
      h: 6,
      w: 6,
      k: 3,
    },
  ])(
    'conv2d: output shape and values against a float64 reference (stride $stride)',
    ({ stride, padding, pad, h, w, k }) => {
      const layer = conv2d({ filters: 4, kernelSize: k, strides: stride, padding });
      const m = make(layer, [h, w, 3]);
      expect(m.rows[0]!.trainable).toBe(k * k * 3 * 4 + 4);
      tf.tidy(() => {
        const x = input([2, h, w, 3], 3);
        const { y } = layer.apply(m.params, m.state, x, infer);
        const kernel = (m.params as unknown as { kernel: tf.Tensor }).kernel;
        const ref = refConv(data(x), [2, h, w, 3], data(kernel), [k, k, 3, 4], stride, pad);
        expect(y.shape).toEqual(ref.shape);
        expect(y.shape.slice(1)).toEqual([...m.outputShape]);
        expect(maxRelativeError(data(y), ref.y)).toBeLessThan(1e-5); // bias is zero at init
      });
    },
  );

  // Keras's deconv_output_length and PyTorch's formula for every stride/padding combination used in GANs.
  it.each([
    { inp: 7, k: 4, s: 2, p: 'same' as const, op: undefined, out: 14 },
    { inp: 7, k: 4, s: 2, p: 'valid' as const, op: undefined, out: 16 },
    { inp: 7, k: 3, s: 2, p: 'same' as const, op: undefined, out: 14 },
    { inp: 7, k: 3, s: 2, p: 'valid' as const, op: undefined, out: 15 },
    { inp: 7, k: 3, s: 2, p: 'same' as const, op: 1, out: 14 },
    { inp: 7, k: 5, s: 2, p: 'same' as const, op: 0, out: 13 },
    { inp: 4, k: 5, s: 3, p: 'valid' as const, op: 2, out: 16 },
    { inp: 1, k: 4, s: 1, p: 'valid' as const, op: undefined, out: 4 },
    { inp: 7, k: 4, s: 2, p: 1, op: undefined, out: 14 }, // PyTorch DCGAN: ConvTranspose2d(k4, s2, p1)
    { inp: 1, k: 4, s: 1, p: 0, op: undefined, out: 4 }, // PyTorch DCGAN first layer
    { inp: 7, k: 3, s: 2, p: 1, op: 1, out: 14 },
  ])(
    'conv2dTranspose: in $inp, k $k, stride $s, padding $p, outputPadding $op → $out',
    ({ inp, k, s, p, op, out }) => {
      expect(convTransposeOutputLength(inp, k, s, p, op)).toBe(out);
      const layer = conv2dTranspose({
        filters: 2,
        kernelSize: k,
        strides: s,
        padding: p,
        ...(op == null ? {} : { outputPadding: op }),
      });
      const m = make(layer, [inp, inp, 3]);
      expect(m.outputShape).toEqual([out, out, 2]);
      expect(m.rows[0]!.trainable).toBe(k * k * 2 * 3 + 2);
      tf.tidy(() => {
        const x = input([2, inp, inp, 3], 4);
        const { y } = layer.apply(m.params, m.state, x, infer);
        expect(y.shape).toEqual([2, out, out, 2]);
        if (typeof p === 'number') {
          // numeric padding is PyTorch's definition: compare the values with the scatter reference
          const kernel = (m.params as unknown as { kernel: tf.Tensor }).kernel;
          const ref = refConvTranspose(data(x), [2, inp, inp, 3], data(kernel), [k, k, 2, 3], s, p, out, out);
          expect(maxRelativeError(data(y), ref)).toBeLessThan(1e-5);
        }
      });
    },
  );

  it('conv2dTranspose same (Keras) equals the scatter with TensorFlow SAME padding', () => {
    // k4 s2 same on 7×7 → 14×14; TF pads the matching forward conv by total 2 → 1 at the top/left
    const layer = conv2dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' });
    const m = make(layer, [7, 7, 3]);
    tf.tidy(() => {
      const x = input([1, 7, 7, 3], 5);
      const { y } = layer.apply(m.params, m.state, x, infer);
      const ref = refConvTranspose(
        data(x),
        [1, 7, 7, 3],
        data((m.params as unknown as { kernel: tf.Tensor }).kernel),
        [4, 4, 2, 3],
        2,
        1,
        14,
        14,
      );
      expect(maxRelativeError(data(y), ref)).toBeLessThan(1e-5);
    });
  });

  it('batchNorm: batch statistics and running-stat update in training, running stats in inference', () => {
    const layer = batchNorm({ momentum: 0.9 });
    const m = make(layer, [2, 2, 3]);
    expect(m.rows[0]).toMatchObject({ trainable: 6, nonTrainable: 6 });
    const x = input([4, 2, 2, 3], 6, 0, 4);
    const xs = data(x);
    const train = tidyResult(() => layer.apply(m.params, m.state, x, { training: true }));
    // channel 0 over the batch and pixels
    const ch0 = xs.filter((_, i) => i % 3 === 0);
    const mean = ch0.reduce((a, b) => a + b, 0) / ch0.length;
    const variance = ch0.reduce((a, b) => a + (b - mean) ** 2, 0) / ch0.length;
    const y0 = data(train.y).filter((_, i) => i % 3 === 0);
    expect(
      maxRelativeError(
        y0,
        ch0.map((v) => (v - mean) / Math.sqrt(variance + 1e-3)),
      ),
    ).toBeLessThan(1e-4);
    const next = train.state as { movingMean: tf.Tensor; movingVariance: tf.Tensor };
    expect(data(next.movingMean)[0]).toBeCloseTo(0.1 * mean, 5);
    expect(data(next.movingVariance)[0]).toBeCloseTo(0.9 + 0.1 * variance, 5);
    // inference uses the running statistics: with the initial ones (0, 1) it is x / √(1 + ε)
    const inf = tidyResult(() => layer.apply(m.params, m.state, x, infer));
    expect(inf.state).toBe(m.state);
    expect(
      maxRelativeError(
        data(inf.y),
        xs.map((v) => v / Math.sqrt(1 + 1e-3)),
      ),
    ).toBeLessThan(1e-5);
    m.state = replaceState(m.state, train.state);
    tf.dispose([x, train.y, inf.y]);
  });

  it('layerNorm, instanceNorm and pixelNorm normalise over the right axes', () => {
    const x = input([2, 3, 3, 4], 7, -2, 3);
    for (const [layer, axes] of [
      [layerNorm({ over: 'all' }), [1, 2, 3]],
      [layerNorm(), [3]],
      [instanceNorm(), [1, 2]],
    ] as const) {
      const m = make(layer, [3, 3, 4]);
      expect(m.rows[0]!.trainable).toBe(8);
      tf.tidy(() => {
        const { y } = layer.apply(m.params, m.state, x, infer);
        const { mean, variance } = tf.moments(y, [...axes]);
        expect(Math.max(...data(tf.abs(mean)))).toBeLessThan(1e-4);
        for (const v of data(variance)) expect(v).toBeGreaterThan(0.9);
      });
    }
    const pn = make(pixelNorm(), [3, 3, 4]);
    tf.tidy(() => {
      const { y } = pixelNorm().apply(pn.params, pn.state, x, infer);
      for (const v of data(tf.mean(tf.square(y), -1))) expect(v).toBeCloseTo(1, 4);
    });
    x.dispose();
  });

  it('layerNorm and instanceNorm match a float64 reference; activations match their formulas', () => {
    const xs = Array.from(seededUniform(2 * 2 * 2 * 3, 13, -2, 2));
    const normalise = (values: number[], eps: number) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
      return values.map((v) => (v - mean) / Math.sqrt(variance + eps));
    };
    const expectedLast: number[] = [];
    for (let i = 0; i < xs.length; i += 3) expectedLast.push(...normalise(xs.slice(i, i + 3), 1e-3));
    const expectedInstance = new Array(xs.length).fill(0);
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++) {
        const idx = [0, 1, 2, 3].map((p) => b * 12 + p * 3 + c);
        normalise(
          idx.map((i) => xs[i]!),
          1e-5,
        ).forEach((v, k) => {
          expectedInstance[idx[k]!] = v;
        });
      }
    const ln = make(layerNorm(), [2, 2, 3]);
    const inorm = make(instanceNorm(), [2, 2, 3]);
    tf.tidy(() => {
      const x = tf.tensor4d(xs, [2, 2, 2, 3]);
      expect(maxRelativeError(data(layerNorm().apply(ln.params, {}, x, infer).y), expectedLast)).toBeLessThan(
        1e-5,
      );
      expect(
        maxRelativeError(data(instanceNorm().apply(inorm.params, {}, x, infer).y), expectedInstance),
      ).toBeLessThan(1e-5);
      const v = tf.tensor1d([-2, -0.5, 0, 1.5]);
      expect(data(leakyRelu(0.2).apply({}, {}, v, infer).y)).toEqual([
        -0.4000000059604645, -0.10000000149011612, 0, 1.5,
      ]);
      expect(
        maxRelativeError(data(elu().apply({}, {}, v, infer).y), [
          Math.exp(-2) - 1,
          Math.exp(-0.5) - 1,
          0,
          1.5,
        ]),
      ).toBeLessThan(1e-6);
      expect(
        maxRelativeError(
          data(sigmoid().apply({}, {}, v, infer).y),
          [-2, -0.5, 0, 1.5].map((t) => 1 / (1 + Math.exp(-t))),
        ),
      ).toBeLessThan(1e-6);
      expect(
        maxRelativeError(data(tanh().apply({}, {}, v, infer).y), [-2, -0.5, 0, 1.5].map(Math.tanh)),
      ).toBeLessThan(1e-6);
      expect(data(relu().apply({}, {}, v, infer).y)).toEqual([0, 0, 0, 1.5]);
    });
  });

  it('embedding: looks up rows; Keras parameter count', () => {
    const layer = embedding({ inputDim: 10, outputDim: 4 });
    const m = make(layer, [3]);
    expect(m.rows[0]!.trainable).toBe(40);
    expect(m.outputShape).toEqual([3, 4]);
    tf.tidy(() => {
      const ids = tf.tensor2d([[1, 9, 1]], [1, 3], 'int32');
      const { y } = layer.apply(m.params, m.state, ids, infer);
      const table = data((m.params as unknown as { embeddings: tf.Tensor }).embeddings);
      expect(data(y)).toEqual([...table.slice(4, 8), ...table.slice(36, 40), ...table.slice(4, 8)]);
      expect(() => layer.apply(m.params, m.state, tf.tensor2d([[1]]), infer)).toThrow(/int32/);
    });
  });

  it('reshape, flatten and upsample shapes and values', () => {
    const r = make(sequential([reshape([2, -1]), flatten()]), [2, 3, 2]);
    expect(r.outputShape).toEqual([12]);
    expect(() => make(reshape([5, 5]), [2, 3, 2])).toThrow(
      /cannot reshape \[2,3,2\] \(12 values\) to \[5,5\]/,
    );
    const u = make(upsample(2), [2, 2, 1]);
    expect(u.outputShape).toEqual([4, 4, 1]);
    tf.tidy(() => {
      const { y } = upsample(2).apply({}, {}, tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), infer);
      expect(data(y)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    });
  });

  it('dropout: seeded masks repeat, scale keeps the mean, inference is the identity', () => {
    const layer = dropout(0.4);
    tf.tidy(() => {
      const x = tf.ones([2000]);
      const a = data(layer.apply({}, {}, x, { training: true, rng: 7 }).y);
      const b = data(layer.apply({}, {}, x, { training: true, rng: 7 }).y);
      const c = data(layer.apply({}, {}, x, { training: true, rng: 8 }).y);
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
      const dropped = a.filter((v) => v === 0).length / a.length;
      expect(dropped).toBeGreaterThan(0.35);
      expect(dropped).toBeLessThan(0.45);
      for (const v of a) if (v !== 0) expect(v).toBeCloseTo(1 / 0.6, 5);
      expect(data(layer.apply({}, {}, x, infer).y)).toEqual(data(x));
      expect(() => layer.apply({}, {}, x, { training: true })).toThrow(/ctx.rng/);
    });
  });

  it('minibatchStdDev appends the group standard deviation as a channel', () => {
    const layer = minibatchStdDev({ groupSize: 2 });
    const m = make(layer, [1, 1, 2]);
    expect(m.outputShape).toEqual([1, 1, 3]);
    tf.tidy(() => {
      // batch 4, groups {0, 2} and {1, 3}
      const x = tf.tensor4d([0, 0, 1, 10, 2, 4, 3, 30], [4, 1, 1, 2]);
      const y = data(layer.apply({}, {}, x, infer).y);
      const sd = (a: number, b: number) => Math.sqrt(((a - b) / 2) ** 2 + 1e-8);
      const g0 = (sd(0, 2) + sd(0, 4)) / 2;
      const g1 = (sd(1, 3) + sd(10, 30)) / 2;
      expect(y[2]).toBeCloseTo(g0, 5);
      expect(y[5]).toBeCloseTo(g1, 5);
      expect(y[8]).toBeCloseTo(g0, 5);
      expect(y[11]).toBeCloseTo(g1, 5);
      expect(() => layer.apply({}, {}, tf.zeros([3, 1, 1, 2]), infer)).toThrow(/not divisible/);
      // on a 2×2 map the statistic fills a whole extra channel
      const big = layer.apply({}, {}, tf.tile(x, [1, 2, 2, 1]), infer).y;
      expect(big.shape).toEqual([4, 2, 2, 3]);
      const extra = Array.from(tf.slice(big, [0, 0, 0, 2], [1, 2, 2, 1]).dataSync());
      for (const v of extra) expect(v).toBeCloseTo(g0, 5);
    });
  });

  it('minibatchDiscrimination computes Σ_j exp(−‖M_i − M_j‖₁) per kernel', () => {
    const layer = minibatchDiscrimination({ kernels: 2, kernelDim: 3 });
    const m = make(layer, [4]);
    expect(m.rows[0]!.trainable).toBe(4 * 2 * 3);
    expect(m.outputShape).toEqual([6]);
    tf.tidy(() => {
      const x = input([3, 4], 8);
      const y = data(layer.apply(m.params, m.state, x, infer).y);
      const mm = data(tf.matMul(x as tf.Tensor2D, (m.params as unknown as { T: tf.Tensor2D }).T));
      for (let i = 0; i < 3; i++)
        for (let b = 0; b < 2; b++) {
          let o = 0;
          for (let j = 0; j < 3; j++) {
            let l1 = 0;
            for (let c = 0; c < 3; c++) l1 += Math.abs(mm[i * 6 + b * 3 + c]! - mm[j * 6 + b * 3 + c]!);
            o += Math.exp(-l1);
          }
          expect(y[i * 6 + 4 + b]).toBeCloseTo(o, 5);
        }
    });
  });

  it('concatLabels appends one-hot labels to vectors and as constant channels to images', () => {
    const vec = make(concatLabels({ classes: 3 }), [2]);
    expect(vec.outputShape).toEqual([5]);
    const img = make(concatLabels({ classes: 3, embedDim: 2 }), [2, 2, 1]);
    expect(img.outputShape).toEqual([2, 2, 3]);
    expect(img.rows[0]!.trainable).toBe(6);
    tf.tidy(() => {
      const labels = tf.tensor1d([2, 0], 'int32');
      const y = data(
        concatLabels({ classes: 3 }).apply(
          {},
          {},
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          { training: false, labels },
        ).y,
      );
      expect(y).toEqual([1, 2, 0, 0, 1, 3, 4, 1, 0, 0]);
      const table = data((img.params as unknown as { embeddings: tf.Tensor }).embeddings);
      const yi = data(
        concatLabels({ classes: 3, embedDim: 2 }).apply(img.params, {}, tf.zeros([2, 2, 2, 1]), {
          training: false,
          labels,
        }).y,
      );
      expect(yi.slice(1, 3)).toEqual(table.slice(4, 6)); // pixel 0 of example 0 carries class 2's embedding
      expect(yi.slice(13, 15)).toEqual(table.slice(0, 2));
      expect(() => concatLabels({ classes: 3 }).apply({}, {}, tf.zeros([2, 2]), infer)).toThrow(/ctx.labels/);
    });
  });

  it('conditionalBatchNorm picks γ and β by class; adain scales and shifts by style', () => {
    const cbn = conditionalBatchNorm({ classes: 3 });
    const m = make(cbn, [2, 2, 2]);
    expect(m.rows[0]).toMatchObject({ trainable: 12, nonTrainable: 4 });
    tf.tidy(() => {
      (m.params as unknown as { gamma: tf.Variable }).gamma.assign(tf.tensor2d([1, 1, 2, 2, 3, 3], [3, 2]));
      const x = input([2, 2, 2, 2], 9);
      const labels = tf.tensor1d([0, 2], 'int32');
      const { y } = cbn.apply(m.params, m.state, x, { training: false, labels });
      const scaled = data(tf.div(x, Math.sqrt(1 + 1e-3)));
      const expected = scaled.map((v, i) => v * (i < 8 ? 1 : 3));
      expect(maxRelativeError(data(y), expected)).toBeLessThan(1e-5);
    });
    const ada = adain({ styleDim: 3 });
    const a = make(ada, [2, 2, 2]);
    expect(a.rows[0]!.trainable).toBe(3 * 4 + 4);
    tf.tidy(() => {
      const x = input([1, 2, 2, 2], 10);
      // zero style → the initial affine is s = 1, b = 0: plain instance norm
      const { y } = ada.apply(a.params, a.state, x, { training: false, style: tf.zeros([1, 3]) });
      const { mean, variance } = tf.moments(x, [1, 2], true);
      const expected = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
      expect(maxRelativeError(data(y), data(expected))).toBeLessThan(1e-5);
      expect(() => ada.apply(a.params, a.state, x, infer)).toThrow(/ctx.style/);
    });
  });

  it('noiseInjection adds weighted seeded noise', () => {
    const layer = noiseInjection();
    const m = make(layer, [2, 2, 2]);
    tf.tidy(() => {
      const x = input([1, 2, 2, 2], 11);
      expect(data(layer.apply(m.params, m.state, x, { training: true, rng: 3 }).y)).toEqual(data(x)); // weight starts at 0
      (m.params as unknown as { weight: tf.Variable }).weight.assign(tf.tensor1d([1, -2]));
      const y = data(layer.apply(m.params, m.state, x, { training: false, rng: 3 }).y);
      const noise = data(tf.randomNormal([1, 2, 2, 1], 0, 1, 'float32', 3));
      const expected = data(x).map((v, i) => v + noise[Math.floor(i / 2)]! * (i % 2 === 0 ? 1 : -2));
      expect(maxRelativeError(y, expected)).toBeLessThan(1e-6);
    });
  });

  it('spectralNorm brings the largest singular value to ≈ 1 (checked by SVD)', () => {
    const layer = spectralNorm(conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same' }));
    const m = make(layer, [8, 8, 4], 3);
    expect(m.rows[0]).toMatchObject({
      kind: 'SpectralNorm<Conv2D>',
      trainable: 3 * 3 * 4 * 6 + 6,
      nonTrainable: 6,
    });
    const kernel = (m.params as unknown as { kernel: tf.Variable }).kernel;
    tf.tidy(() => kernel.assign(tf.mul(kernel, 7))); // a kernel far from norm 1
    const x = input([2, 8, 8, 4], 12);
    let state = m.state;
    for (let i = 0; i < 30; i++) {
      const r = tidyResult(() => layer.apply(m.params, state, x, { training: true }));
      r.y.dispose();
      state = replaceState(state, r.state);
    }
    m.state = state;
    const w = data(kernel);
    const matrix = new Matrix(36, 6);
    for (let i = 0; i < 36; i++) for (let j = 0; j < 6; j++) matrix.set(i, j, w[i * 6 + j]!);
    const sigma = new SingularValueDecomposition(matrix).diagonal[0]!;
    expect(sigma).toBeGreaterThan(2); // unnormalised, the kernel is far from 1
    const estimate = estimatedSpectralNorm(kernel, (state as { u: tf.Tensor }).u);
    expect(estimate / sigma).toBeCloseTo(1, 3);
    // the normalised kernel W / σ̂ has largest singular value ≈ 1
    const normalised = new SingularValueDecomposition(matrix.div(estimate)).diagonal[0]!;
    expect(normalised).toBeCloseTo(1, 3);
    x.dispose();
  });
});
