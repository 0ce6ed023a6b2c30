import { useBackend } from '@gankit/backends';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from './build.js';
import { concat, residual, sequential, snakeCase } from './combinators.js';
import { decodeFloat16, encodeFloat16 } from './float16.js';
import { fans, glorotUniform, heNormal, orthogonal, randomNormal } from './initializers.js';
import { loadTrees, readSafetensors, saveTrees } from './io.js';
import { conv2d, conv2dTranspose } from './layers/conv.js';
import { dense, dropout, flatten, leakyRelu, reshape, sigmoid } from './layers/core.js';
import { batchNorm, layerNorm } from './layers/norm.js';
import { spectralNorm } from './layers/spectral-norm.js';
import { rngFromSeed, splitRng } from './rng.js';
import { countParams, disposeTree, flattenTree, mapTree, replaceState, variablesOf } from './tree.js';

const stats = (a: Float32Array) => {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
  return { mean, std, max: Math.max(...a.map(Math.abs)) };
};

beforeAll(async () => {
  await useBackend('cpu');
});

describe('initialisers', () => {
  it('Glorot uniform stays within √(6 / (fanIn + fanOut)) with the matching spread', () => {
    const shape = [3, 3, 16, 32];
    const { fanIn, fanOut } = fans(shape);
    expect([fanIn, fanOut]).toEqual([144, 288]);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const s = stats(glorotUniform()(shape, 1));
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 2);
  });

  it('He normal has σ ≈ √(2 / fanIn); N(0, 0.02) has σ ≈ 0.02', () => {
    expect(stats(heNormal()([256, 128], 2)).std).toBeCloseTo(Math.sqrt(2 / 256), 2);
    const n = stats(randomNormal(0.02)([200, 200], 3));
    expect(n.std).toBeCloseTo(0.02, 3);
    expect(Math.abs(n.mean)).toBeLessThan(1e-3);
  });

  it('orthogonal gives orthonormal columns (tall) and rows (wide)', () => {
    for (const [rows, cols] of [
      [12, 5],
      [4, 9],
    ] as const) {
      const w = orthogonal()([rows, cols], 4);
      const [m, n] = rows >= cols ? [cols, rows] : [rows, cols];
      for (let a = 0; a < m; a++)
        for (let b = 0; b < m; b++) {
          let dot = 0;
          for (let k = 0; k < n; k++) {
            dot += rows >= cols ? w[k * cols + a]! * w[k * cols + b]! : w[a * cols + k]! * w[b * cols + k]!;
          }
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
        }
    }
  });

  it('the same seed gives the same weights; split seeds differ', () => {
    expect(glorotUniform()([10], 5)).toEqual(glorotUniform()([10], 5));
    const [a, b] = splitRng(rngFromSeed(1), 2);
    expect(a).not.toBe(b);
    expect(glorotUniform()([10], a!)).not.toEqual(glorotUniform()([10], b!));
  });
});

describe('sequential models', () => {
  const generator = () =>
    sequential([
      dense({ units: 16 * 2 * 2 }),
      leakyRelu(0.2),
      reshape([2, 2, 16]),
      conv2dTranspose({ filters: 8, kernelSize: 4, strides: 2, padding: 'same' }),
      batchNorm(),
      leakyRelu(0.2),
      conv2d({ filters: 1, kernelSize: 3, padding: 'same' }),
      sigmoid(),
    ]);

  it('names layers as Keras does and prints a Keras-style summary', () => {
    expect(
      ['Conv2DTranspose', 'LeakyReLU', 'BatchNormalization', 'UpSampling2D', 'Dense'].map(snakeCase),
    ).toEqual(['conv2d_transpose', 'leaky_re_lu', 'batch_normalization', 'up_sampling2d', 'dense']);
    const m = build(generator(), { name: 'generator', inputShape: [10], seed: 1 });
    expect(m.rows.map((r) => r.name)).toEqual([
      'dense',
      'leaky_re_lu',
      'reshape',
      'conv2d_transpose',
      'batch_normalization',
      'leaky_re_lu_1',
      'conv2d',
      'sigmoid',
    ]);
    const text = m.summary();
    expect(text).toContain('Model: "generator"');
    expect(text).toMatch(/conv2d_transpose \(Conv2DTranspose\)\s+\(None, 4, 4, 8\)\s+2056/);
    expect(text).toMatch(/batch_normalization \(BatchNormalization\)\s*\(None, 4, 4, 8\)\s+32/);
    const trainable = 10 * 64 + 64 + 4 * 4 * 8 * 16 + 8 + 16 + 9 * 8 + 1;
    expect(text).toContain(`Total params: ${(trainable + 16).toLocaleString('en-US')}`);
    expect(text).toContain(`Trainable params: ${trainable.toLocaleString('en-US')}`);
    expect(text).toContain('Non-trainable params: 16');
    expect(countParams(m.params)).toBe(trainable);
    disposeTree(m.params);
    disposeTree(m.state);
  });

  it('gives each instance unique variable names, so two models train side by side', () => {
    const a = build(generator(), { name: 'G', inputShape: [10], seed: 1 });
    const b = build(generator(), { name: 'G', inputShape: [10], seed: 1 });
    expect(a.path).toBe('G');
    expect(b.path).toBe('G_1');
    expect(variablesOf(a.params).map((v) => v.name)).toContain('G/conv2d_transpose/kernel');
    expect(variablesOf(b.params)[0]!.name).toBe('G_1/dense/kernel');
    expect(Array.from(variablesOf(a.params)[0]!.dataSync())).toEqual(
      Array.from(variablesOf(b.params)[0]!.dataSync()),
    );
    for (const m of [a, b]) {
      disposeTree(m.params);
      disposeTree(m.state);
    }
  });

  it('rejects duplicate names and shapes that do not fit, naming the layer', () => {
    expect(() => sequential([dense({ units: 2, name: 'x' }), dense({ units: 2, name: 'x' })])).toThrow(
      /two layers are named 'x'/,
    );
    expect(() =>
      build(sequential([conv2d({ filters: 2, kernelSize: 3 })]), { name: 'D', inputShape: [10], seed: 1 }),
    ).toThrow(/conv2d: expects images \[height, width, channels\]/);
    expect(() =>
      build(conv2d({ filters: 2, kernelSize: 5 }), { name: 'D', inputShape: [3, 3, 1], seed: 1 }),
    ).toThrow(/does not fit/);
  });

  it('trains in training mode with state handed back, without leaking tensors over many steps', () => {
    const layer = sequential([generator(), flatten(), dropout(0.3), dense({ units: 1 })]);
    const m = build(layer, { name: 'leak', inputShape: [10], seed: 2 });
    const opt = tf.train.adam(1e-3);
    const z = tf.tensor2d(seededUniform(8 * 10, 1), [8, 10]);
    let state = m.state;
    let after = 0;
    for (let step = 0; step < 20; step++) {
      let next = state;
      const loss = opt.minimize(
        () => {
          const r = layer.apply(m.params, state, z, { training: true, rng: step });
          next = r.state;
          return tf.mean(tf.square(r.y)) as tf.Scalar;
        },
        true,
        variablesOf(m.params),
      )!;
      loss.dispose();
      state = replaceState(state, next);
      if (step === 1) after = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(after);
    const moving = flattenTree(state).find(([p]) => p.endsWith('movingMean'))![1];
    expect(Math.max(...Array.from(moving.dataSync()).map(Math.abs))).toBeGreaterThan(0); // running stats moved
    disposeTree(m.params);
    disposeTree(state);
    opt.dispose();
    z.dispose();
  });

  it('concat joins branches; residual adds a shortcut', () => {
    const c = build(concat([dense({ units: 3 }), dense({ units: 2 })]), {
      name: 'c',
      inputShape: [4],
      seed: 1,
    });
    expect(c.outputShape).toEqual([5]);
    expect(() => build(residual(dense({ units: 3 })), { name: 'r', inputShape: [4], seed: 1 })).toThrow(
      /add a shortcut/,
    );
    const r = build(residual(dense({ units: 3 }), dense({ units: 3, useBias: false })), {
      name: 'r',
      inputShape: [4],
      seed: 1,
    });
    tf.tidy(() => {
      const x = tf.tensor2d(seededUniform(8, 3), [2, 4]);
      const { y } = residual(dense({ units: 3 }), dense({ units: 3, useBias: false })).apply(
        r.params,
        r.state,
        x,
        { training: false },
      );
      const p = r.params as unknown as {
        body: { kernel: tf.Tensor2D; bias: tf.Tensor };
        shortcut: { kernel: tf.Tensor2D };
      };
      const expected = tf.add(
        tf.add(tf.matMul(x, p.body.kernel), p.body.bias),
        tf.matMul(x, p.shortcut.kernel),
      );
      expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
    });
    for (const m of [c, r]) disposeTree(m.params);
  });
});

describe('saving and loading (safetensors)', () => {
  const model = () =>
    sequential([
      spectralNorm(conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })),
      batchNorm(),
      leakyRelu(0.2),
      flatten(),
      layerNorm(),
      dense({ units: 1 }),
    ]);

  it('round-trips parameters and state exactly', async () => {
    const a = build(model(), { name: 'D', inputShape: [6, 6, 1], seed: 1 });
    const b = build(model(), { name: 'D', inputShape: [6, 6, 1], seed: 2 });
    const bytes = await saveTrees({ params: a.params, state: a.state }, { model: 'test' });
    const file = readSafetensors(bytes);
    expect(file.metadata).toEqual({ model: 'test' });
    expect([...file.tensors.keys()]).toContain('params/spectral_norm/kernel');
    expect([...file.tensors.keys()]).toContain('state/spectral_norm/u');
    const loaded = loadTrees(bytes, { params: b.params, state: b.state });
    const values = (tree: object) =>
      flattenTree(tree as never).map(([p, t]) => [p, Array.from((t as tf.Tensor).dataSync())]);
    expect(values(b.params)).toEqual(values(a.params));
    expect(values(loaded.state)).toEqual(values(a.state));
    disposeTree(b.state);
    disposeTree(loaded.state);
    for (const m of [a, b]) {
      disposeTree(m.params);
      disposeTree(m.state);
    }
  });

  it('stores floats in half precision on request: half the bytes, each value the nearest half, ints exact', async () => {
    const a = build(model(), { name: 'D', inputShape: [6, 6, 1], seed: 1 });
    const b = build(model(), { name: 'D', inputShape: [6, 6, 1], seed: 2 });
    const full = await saveTrees({ params: a.params, state: a.state });
    const half = await saveTrees({ params: a.params, state: a.state }, {}, { float16: true });
    const parts = (bytes: Uint8Array) => {
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
      return {
        dtypes: Object.values(header).map((e) => (e as { dtype: string }).dtype),
        data: bytes.length - 8 - n,
      };
    };
    expect(new Set(parts(half).dtypes)).toEqual(new Set(['F16']));
    expect(parts(half).data).toBe(parts(full).data / 2);
    const loaded = loadTrees(half, { params: b.params, state: b.state });
    const rounded = (t: tf.Tensor) => Array.from(decodeFloat16(encodeFloat16(t.dataSync() as Float32Array)));
    const pairs = (x: object, y: object) =>
      flattenTree(x as never).map(([p, t], i) => [p, t, flattenTree(y as never)[i]![1]] as const);
    for (const [, mine, theirs] of pairs(b.params, a.params))
      expect(Array.from((mine as tf.Tensor).dataSync())).toEqual(rounded(theirs as tf.Tensor));
    for (const [, mine, theirs] of pairs(loaded.state, a.state))
      expect(Array.from((mine as tf.Tensor).dataSync())).toEqual(rounded(theirs as tf.Tensor));
    // an int32 tensor stays int32 and exact beside float16 ones
    const mixed = await saveTrees(
      { params: { w: tf.tensor1d([0.1, 2]) }, state: { count: tf.tensor1d([70001, -3], 'int32') } } as never,
      {},
      { float16: true },
    );
    const read = readSafetensors(mixed);
    expect(read.tensors.get('state/count')).toMatchObject({
      dtype: 'int32',
      data: Int32Array.from([70001, -3]),
    });
    expect(Array.from(read.tensors.get('params/w')!.data)).toEqual([Math.fround(0.0999755859375), 2]);
    const huge = { params: { w: tf.tensor1d([1, 7e4]) } } as never;
    await expect(saveTrees(huge, {}, { float16: true })).rejects.toThrow(
      /params\/w holds 70000, beyond float16's largest value 65504: save it in float32/,
    );
    disposeTree(loaded.state);
    for (const m of [a, b]) {
      disposeTree(m.params);
      disposeTree(m.state);
    }
  });

  it('refuses a file for another architecture, naming each mismatched parameter, and changes nothing', async () => {
    const a = build(model(), { name: 'D', inputShape: [6, 6, 1], seed: 1 });
    const wider = build(
      sequential([
        spectralNorm(conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' })),
        batchNorm(),
        leakyRelu(0.2),
        flatten(),
        layerNorm(),
        dense({ units: 1 }),
      ]),
      { name: 'D', inputShape: [6, 6, 1], seed: 1 },
    );
    const bytes = await saveTrees({ params: a.params, state: a.state });
    const before = Array.from(variablesOf(wider.params)[0]!.dataSync());
    expect(() => loadTrees(bytes, { params: wider.params, state: wider.state })).toThrow(
      /params\/spectral_norm\/kernel: the file has float32 \[3,3,1,4\], the model has float32 \[3,3,1,8\]/,
    );
    expect(Array.from(variablesOf(wider.params)[0]!.dataSync())).toEqual(before);
    expect(() => loadTrees(bytes, { params: { extra: variablesOf(a.params)[0]! } as never })).toThrow(
      /params\/extra is missing.*|is in the file but not in the model/s,
    );
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 3))).toThrow(
      /does not fit its shape .* \(truncated\?\)/,
    );
    expect(() => readSafetensors(new Uint8Array([1, 2, 3]))).toThrow(/not a safetensors file/);
    for (const m of [a, wider]) {
      disposeTree(m.params);
      disposeTree(m.state);
    }
  });
});

describe('tree utilities', () => {
  it('map, flatten and count keep the structure and paths', () => {
    const m = build(sequential([dense({ units: 3 }), dense({ units: 2 })]), {
      name: 't',
      inputShape: [4],
      seed: 1,
    });
    expect(flattenTree(m.params).map(([p]) => p)).toEqual([
      'dense/kernel',
      'dense/bias',
      'dense_1/kernel',
      'dense_1/bias',
    ]);
    const doubled = mapTree(m.params, (v) => tf.mul(v, 2));
    expect(countParams(doubled)).toBe(4 * 3 + 3 + 3 * 2 + 2);
    expect(flattenTree(doubled).map(([p]) => p)).toEqual(flattenTree(m.params).map(([p]) => p));
    disposeTree(doubled);
    disposeTree(m.params);
  });
});
