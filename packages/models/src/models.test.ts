import { useBackend } from '@gankit/backends';
import { countParams, replaceState } from '@gankit/layers';
import { seededUniform, tidyResult } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acgan, cgan, dcgan, wgan } from './dcgan.js';
import { infogan, splitInfoganQ } from './infogan.js';
import { ganLabMlp, mlpGan, pacganMlp } from './mlp.js';
import { type GanDef, instantiate, type Network } from './network.js';
import { seedKerasMnist } from './seed-keras.js';
import { sngan } from './sngan.js';

const trainable = (n: Network) => n.rows.reduce((s, r) => s + r.trainable, 0);
const nonTrainable = (n: Network) => n.rows.reduce((s, r) => s + r.nonTrainable, 0);

let built: Network[] = [];
const make = (def: GanDef, seed = 1) => {
  const g = instantiate(def.generator, seed);
  const d = instantiate(def.discriminator, seed + 1);
  built.push(g, d);
  return { g, d };
};

beforeAll(async () => {
  await useBackend('cpu');
});
beforeEach(() => {
  built = [];
});
afterEach(() => {
  for (const n of built) n.dispose();
});

describe('seed-002 Keras MNIST GAN', () => {
  it('has exactly the seed summary: G 1,164,289 and D 40,705 parameters, layer by layer', () => {
    const { g, d } = make(seedKerasMnist());
    expect(g.rows.map((r) => [r.name, r.kind, r.outputShape, r.trainable])).toEqual([
      ['dense', 'Dense', [6272], 633472],
      ['leaky_re_lu', 'LeakyReLU', [6272], 0],
      ['reshape', 'Reshape', [7, 7, 128], 0],
      ['conv2d_transpose', 'Conv2DTranspose', [14, 14, 128], 262272],
      ['leaky_re_lu_1', 'LeakyReLU', [14, 14, 128], 0],
      ['conv2d_transpose_1', 'Conv2DTranspose', [28, 28, 128], 262272],
      ['leaky_re_lu_2', 'LeakyReLU', [28, 28, 128], 0],
      ['conv2d', 'Conv2D', [28, 28, 1], 6273],
    ]);
    expect(d.rows.map((r) => [r.name, r.kind, r.outputShape, r.trainable])).toEqual([
      ['conv2d', 'Conv2D', [14, 14, 64], 640],
      ['leaky_re_lu', 'LeakyReLU', [14, 14, 64], 0],
      ['dropout', 'Dropout', [14, 14, 64], 0],
      ['conv2d_1', 'Conv2D', [7, 7, 64], 36928],
      ['leaky_re_lu_1', 'LeakyReLU', [7, 7, 64], 0],
      ['dropout_1', 'Dropout', [7, 7, 64], 0],
      ['flatten', 'Flatten', [3136], 0],
      ['dense', 'Dense', [1], 3137],
    ]);
    expect(g.summary()).toContain('Total params: 1,164,289');
    expect(g.summary()).toContain('Non-trainable params: 0');
    expect(d.summary()).toContain('Total params: 40,705');
    expect(countParams(g.params)).toBe(1_164_289);
    expect(countParams(d.params)).toBe(40_705);
    expect(g.summary()).toMatch(/dense \(Dense\)\s+\(None, 6272\)\s+633472/);
    expect(g.summary()).toMatch(/conv2d_transpose_1 \(Conv2DTranspose\)\s*\(None, 28, 28, 128\)\s+262272/);
  });

  it('generates [0, 1] images that D scores, with dropout only in training', () => {
    const { g, d } = make(seedKerasMnist());
    tf.tidy(() => {
      const z = tf.randomNormal([3, 100], 0, 1, 'float32', 1);
      const images = g.apply(g.params, g.state, z, { training: false }).out.images!;
      expect(images.shape).toEqual([3, 28, 28, 1]);
      const v = images.dataSync();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      const a = d.apply(d.params, d.state, images, { training: false }).out.logits!;
      const b = d.apply(d.params, d.state, images, { training: false }).out.logits!;
      expect(a.shape).toEqual([3, 1]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      const t1 = d.apply(d.params, d.state, images, { training: true, rng: 1 }).out.logits!;
      expect(Array.from(t1.dataSync())).not.toEqual(Array.from(a.dataSync()));
      expect(() => d.apply(d.params, d.state, images, { training: true })).toThrow(/ctx.rng/);
    });
  });
});

describe('DCGAN follows the seed rules and the reference parameter counts', () => {
  it('64×64×3 matches the PyTorch DCGAN reference: G 3,576,704 and D 2,765,568 parameters', () => {
    const { g, d } = make(dcgan({ imageSize: 64, channels: 3 }));
    expect(trainable(g)).toBe(3_576_704);
    expect(trainable(d)).toBe(2_765_568);
    expect(nonTrainable(g)).toBe(2 * (512 + 256 + 128 + 64));
    expect(nonTrainable(d)).toBe(2 * (128 + 256 + 512));
  });

  it.each([
    [28, 1],
    [32, 1],
    [32, 3],
    [64, 1],
  ] as const)(
    '%i px, %i channel(s): strided convs, BN except G output and D input, ReLU/tanh in G, LeakyReLU in D, no dense',
    (size, channels) => {
      const { g, d } = make(dcgan({ imageSize: size, channels, width: 8, latentDim: 16 }));
      expect(g.outputShapes.images).toEqual([size, size, channels]);
      expect(d.outputShapes.logits).toEqual([1]);
      const gk = g.rows.map((r) => r.kind);
      const dk = d.rows.map((r) => r.kind);
      expect(gk).not.toContain('Dense');
      expect(dk).not.toContain('Dense');
      expect(gk.at(-1)).toBe('Tanh');
      expect(gk.at(-2)).toBe('Conv2DTranspose'); // no BN on G's output layer
      gk.forEach((k, i) => {
        if (k === 'Conv2DTranspose' && i < gk.length - 2)
          expect(gk.slice(i + 1, i + 3)).toEqual(['BatchNormalization', 'ReLU']);
      });
      expect(dk.slice(0, 2)).toEqual(['Conv2D', 'LeakyReLU']); // no BN on D's input layer
      expect(dk.filter((k) => k === 'BatchNormalization').length).toBe(
        dk.filter((k) => k === 'Conv2D').length - 2,
      );
      expect(dk).not.toContain('ReLU');
      tf.tidy(() => {
        const z = tf.randomNormal([2, 16], 0, 1, 'float32', 2);
        const img = g.apply(g.params, g.state, z, { training: false }).out.images!;
        expect(img.shape).toEqual([2, size, size, channels]);
        const v = img.dataSync();
        expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(1);
        expect(d.apply(d.params, d.state, img, { training: false }).out.logits!.shape).toEqual([2, 1]);
      });
    },
  );

  it('rejects sizes it has no layout for', () => {
    expect(() => dcgan({ imageSize: 48 as 32 })).toThrow(/imageSize must be one of 28, 32, 64/);
    expect(() => dcgan({ width: 0 })).toThrow(/width must be a positive integer/);
  });
});

describe('conditional and auxiliary models', () => {
  const labels = () => tf.tensor1d([3, 7], 'int32');

  it('cGAN feeds the label to G and D; both refuse to run without it', () => {
    const def = cgan({ imageSize: 28, width: 8, latentDim: 16, classes: 10 });
    expect(def.classes).toBe(10);
    const { g, d } = make(def);
    tf.tidy(() => {
      const z = tf.randomNormal([2, 16], 0, 1, 'float32', 3);
      const a = g.apply(g.params, g.state, z, { training: false, labels: labels() }).out.images!;
      const b = g.apply(g.params, g.state, z, { training: false, labels: tf.tensor1d([4, 1], 'int32') }).out
        .images!;
      expect(a.shape).toEqual([2, 28, 28, 1]);
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync())); // the label changes the image
      expect(d.apply(d.params, d.state, a, { training: false, labels: labels() }).out.logits!.shape).toEqual([
        2, 1,
      ]);
      expect(() => g.apply(g.params, g.state, z, { training: false })).toThrow(
        /is conditional: pass ctx.labels/,
      );
      expect(() => d.apply(d.params, d.state, a, { training: false })).toThrow(
        /is conditional: pass ctx.labels/,
      );
    });
    // D's first conv reads 1 + 10 channels
    expect(d.rows[1]).toMatchObject({ kind: 'Conv2D', trainable: 4 * 4 * 11 * 8 });
  });

  it('AC-GAN: G conditioned by an embedding, D with real/fake and class heads', () => {
    const { g, d } = make(acgan({ imageSize: 32, channels: 3, width: 8, latentDim: 16, classes: 5 }));
    expect(d.outputShapes).toEqual({ logits: [1], classLogits: [5] });
    tf.tidy(() => {
      const z = tf.randomNormal([2, 16], 0, 1, 'float32', 4);
      const img = g.apply(g.params, g.state, z, { training: false, labels: tf.tensor1d([0, 4], 'int32') }).out
        .images!;
      const out = d.apply(d.params, d.state, img, { training: false }).out;
      expect(out.logits!.shape).toEqual([2, 1]);
      expect(out.classLogits!.shape).toEqual([2, 5]);
    });
  });

  it('InfoGAN: 74-dim input, Q head with categorical logits, means and log-σ', () => {
    const def = infogan();
    expect(def.latentDim).toBe(74);
    const { g, d } = make(def);
    expect(d.outputShapes).toEqual({ logits: [1], q: [14] });
    tf.tidy(() => {
      const z = tf.randomUniform([4, 74], -1, 1, 'float32', 5);
      const img = g.apply(g.params, g.state, z, { training: true }).out.images!;
      expect(img.shape).toEqual([4, 28, 28, 1]);
      const { out } = d.apply(d.params, d.state, img, { training: false });
      const q = splitInfoganQ(out.q as tf.Tensor2D, def.codes!);
      expect(q.categorical.map((c) => c.shape)).toEqual([[4, 10]]);
      expect(q.mean.shape).toEqual([4, 2]);
      expect(q.logStd.shape).toEqual([4, 2]);
    });
  });

  it('WGAN critic: linear output, no batch norm (layer norm or none)', () => {
    for (const criticNorm of ['layer', 'none'] as const) {
      const { d } = make(wgan({ imageSize: 32, width: 8, latentDim: 16, criticNorm }));
      const kinds = d.rows.map((r) => r.kind);
      expect(kinds).not.toContain('BatchNormalization');
      expect(kinds).not.toContain('Sigmoid');
      expect(kinds.includes('LayerNormalization')).toBe(criticNorm === 'layer');
    }
  });

  it('SNGAN: every D layer spectrally normalised, power-iteration vectors in state and updated in training', () => {
    const { g, d } = make(sngan({ imageSize: 32, channels: 3, width: 64, latentDim: 32 }));
    const weighted = d.rows.filter((r) => r.trainable > 0);
    expect(weighted.length).toBe(8);
    for (const r of weighted) expect(r.kind).toMatch(/^SpectralNorm</);
    expect(d.rows.map((r) => r.kind)).not.toContain('BatchNormalization');
    const img = tf.tidy(
      () =>
        g.apply(g.params, g.state, tf.randomNormal([2, 32], 0, 1, 'float32', 6), { training: false }).out
          .images!,
    );
    expect(img.shape).toEqual([2, 32, 32, 3]);
    const r = tidyResult(() => d.apply(d.params, d.state, img, { training: true }));
    const before = Array.from((d.state.spectral_norm as { u: tf.Tensor }).u.dataSync());
    const after = Array.from((r.state.spectral_norm as { u: tf.Tensor }).u.dataSync());
    expect(after).not.toEqual(before);
    d.state = replaceState(d.state, r.state);
    tf.dispose([img, ...Object.values(r.out)]);
  });
});

describe('MLP GANs for toy data', () => {
  it("GAN Lab's default: one hidden layer of 8 ReLU units", () => {
    const { g, d } = make(ganLabMlp());
    expect(trainable(g)).toBe(2 * 8 + 8 + 8 * 2 + 2);
    expect(trainable(d)).toBe(2 * 8 + 8 + 8 + 1);
  });

  it('PacGAN: 4 × 400 BN+ReLU generator, D reading packed samples', () => {
    const { g, d } = make(pacganMlp({ pack: 4 }));
    expect(trainable(g)).toBe(2 * 400 + 400 + 3 * (400 * 400 + 400) + 4 * 800 + 400 * 2 + 2);
    expect(d.def.inputShape).toEqual([8]);
    expect(g.rows.filter((r) => r.kind === 'BatchNormalization').length).toBe(4);
    tf.tidy(() => {
      const pts = g.apply(g.params, g.state, tf.randomNormal([8, 2], 0, 1, 'float32', 7), { training: true })
        .out.images!;
      expect(pts.shape).toEqual([8, 2]);
      expect(
        d.apply(d.params, d.state, tf.reshape(pts, [2, 8]), { training: false }).out.logits!.shape,
      ).toEqual([2, 1]);
    });
  });

  it('the seed 1-D example: a point generator', () => {
    const { g } = make(mlpGan({ dataDim: 1, latentDim: 1, hidden: [16, 16] }));
    expect(g.outputShapes.images).toEqual([1]);
    expect(() => mlpGan({ pack: 0 })).toThrow(/pack must be a positive integer/);
  });
});

describe('models train on wasm', () => {
  it('a DCGAN step updates every G and D variable, same losses as cpu, no leaks', async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const def = cgan({ imageSize: 28, width: 8, latentDim: 16, classes: 10 });
      const { g, d } = make(def, 11);
      const real = tf.tensor4d(seededUniform(4 * 28 * 28, 1), [4, 28, 28, 1]);
      const z = tf.tensor2d(seededUniform(4 * 16, 2), [4, 16]);
      const labels = tf.tensor1d([1, 2, 3, 4], 'int32');
      const losses: number[] = [];
      let baseline = 0;
      for (let step = 0; step < 3; step++) {
        // training mode hands back new batch-norm statistics: chain them through D's two calls, then adopt them
        let gNext = g.state;
        let dMid = d.state;
        let dNext = d.state;
        const { value, grads } = tf.variableGrads(() => {
          const gr = g.apply(g.params, g.state, z, { training: true, labels });
          gNext = gr.state;
          const r1 = d.apply(d.params, d.state, real, { training: true, labels });
          const r2 = d.apply(d.params, r1.state, gr.out.images!, { training: true, labels });
          dMid = r1.state;
          dNext = r2.state;
          const rl = r1.out.logits!;
          const fl = r2.out.logits!;
          return tf.add(tf.mean(tf.softplus(tf.neg(rl))), tf.mean(tf.softplus(fl))) as tf.Scalar;
        }, [...g.variables(), ...d.variables()]);
        g.state = replaceState(g.state, gNext);
        d.state = replaceState(replaceState(d.state, dMid), dNext);
        for (const v of [...g.variables(), ...d.variables()]) {
          expect(Math.max(...Array.from(grads[v.name]!.dataSync()).map(Math.abs)), v.name).toBeGreaterThan(0);
        }
        tf.tidy(() => {
          for (const v of [...g.variables(), ...d.variables()])
            v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
        });
        losses.push(value.dataSync()[0]!);
        tf.dispose([value, ...Object.values(grads)]);
        if (step === 0) baseline = tf.memory().numTensors;
      }
      expect(tf.memory().numTensors).toBe(baseline);
      tf.dispose([real, z, labels]);
      return losses;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (const [i, l] of wasm.entries()) expect(Math.abs(l - cpu[i]!)).toBeLessThan(1e-3);
    await useBackend('cpu');
  });
});
