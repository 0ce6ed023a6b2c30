import { useBackend } from '@gankit/backends';
import { gaussian1d, ring8 } from '@gankit/datasets';
import { flattenTree } from '@gankit/layers';
import { type GanLoss, nonSaturating } from '@gankit/losses';
import { cgan, mlpGan, wgan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffAugment } from './augment.js';
import type { TrainConfig } from './config.js';
import { Ema } from './ema.js';
import { yieldToEventLoop } from './loop.js';
import { ReplayPool } from './replay.js';
import { toySource } from './sources.js';
import type { LossTerm } from './terms.js';
import { createTrainer } from './trainer.js';

const adam = (learningRate: number, beta1 = 0.5) => ({ kind: 'adam' as const, learningRate, beta1 });

const base = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  seed: 1,
  batchSize: 64,
  loss: 'non-saturating',
  schedule: { dSteps: 1, gSteps: 1 },
  optimizers: { generator: adam(1e-3), discriminator: adam(1e-3) },
  ...over,
});

const values = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the GAN step', () => {
  it('runs k D updates and g G updates per iteration, with D frozen in G steps and G frozen in D steps', async () => {
    const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [8] });
    const t = createTrainer(gan, base({ schedule: { dSteps: 3, gSteps: 2 } }));
    const data = toySource(ring8(), 64, 1);
    let drawn = 0;
    const counting = {
      ...data,
      next: () => {
        drawn++;
        return data.next();
      },
    };
    const logs = await t.step(counting);
    expect(t.counters).toEqual({ step: 1, dUpdates: 3, gUpdates: 2 });
    expect(drawn).toBe(3); // one real batch per D update (Algorithm 1)
    expect(t.dOpt.iterations).toBe(3);
    expect(t.gOpt.iterations).toBe(2);
    expect(logs.finite).toBe(true);
    expect(logs.dLoss).toBeGreaterThan(0);
    expect(logs.dReal).toBeGreaterThan(0);
    expect(logs.dReal).toBeLessThan(1);
    t.dispose();
  });

  it('G is frozen in D updates and D in G updates: each optimiser moves only its own network', async () => {
    const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [8] });
    for (const frozen of ['G', 'D'] as const) {
      const t = createTrainer(gan, base());
      // switch one optimiser off: whatever still changes that network would be a leak across the two updates
      const opt = frozen === 'G' ? t.gOpt : t.dOpt;
      opt.apply = () => {};
      const net = frozen === 'G' ? t.G : t.D;
      const other = frozen === 'G' ? t.D : t.G;
      const before = values(net.variables());
      const otherBefore = values(other.variables());
      for (let i = 0; i < 3; i++) await t.step(toySource(ring8(), 64, i));
      expect(values(net.variables())).toEqual(before);
      expect(values(other.variables())).not.toEqual(otherBefore);
      t.dispose();
    }
  });

  it('the seed 1-D example: G learns N(4, 0.5²) within 10 % (mean and σ), with PacGAN packing', async () => {
    // Without packing, D judges single points and G reliably under-disperses (σ ≈ 0.3–0.4 here); D seeing four
    // samples at once (PacGAN, the seeds' mode-collapse remedy) restores the spread.
    const gan = mlpGan({ dataDim: 1, latentDim: 4, hidden: [32, 32], activation: 'leakyRelu', pack: 4 });
    const t = createTrainer(gan, base({ batchSize: 256 }));
    const data = toySource(gaussian1d({ means: [4], std: 0.5 }), 256, 3);
    for (let i = 0; i < 1000; i++) {
      await t.step(data);
      if (i % 50 === 0) await yieldToEventLoop();
    }
    const samples = tf.tidy(() =>
      Array.from(t.sample(tf.randomNormal([4000, 4], 0, 1, 'float32', 9) as tf.Tensor2D).dataSync()),
    );
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const std = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length);
    expect(Math.abs(mean - 4) / 4).toBeLessThan(0.1);
    expect(Math.abs(std - 0.5) / 0.5).toBeLessThan(0.1);
    t.dispose();
  }, 300_000); // 4.7 s alone

  it('ring of 8: an MLP GAN with PacGAN packing covers at least 7 of 8 modes (PacGAN protocol, 2,500 samples)', async () => {
    const ring = ring8();
    const gan = mlpGan({
      dataDim: 2,
      latentDim: 2,
      hidden: [128, 128, 128],
      activation: 'relu',
      batchNorm: true,
      pack: 2,
    });
    const t = createTrainer(
      gan,
      base({ batchSize: 128, lrSchedule: { kind: 'linear', totalSteps: 1500, final: 1e-5 } }),
    );
    const data = toySource(ring, 128, 3);
    for (let i = 0; i < 1500; i++) {
      await t.step(data);
      if (i % 50 === 0) await yieldToEventLoop();
    }
    const samples = tf.tidy(() =>
      t.sample(tf.randomNormal([2500, 2], 0, 1, 'float32', 9) as tf.Tensor2D).dataSync(),
    );
    // high-quality: within 3σ of the nearest mode; a mode is covered by at least one high-quality sample
    const covered = new Set<number>();
    let hq = 0;
    for (let i = 0; i < 2500; i++) {
      const d = ring.modes!.map(([mx, my]) => Math.hypot(samples[2 * i]! - mx!, samples[2 * i + 1]! - my!));
      const nearest = d.indexOf(Math.min(...d));
      if (d[nearest]! <= 3 * ring.sigma!) {
        hq++;
        covered.add(nearest);
      }
    }
    expect(covered.size).toBeGreaterThanOrEqual(7);
    expect(hq / 2500).toBeGreaterThan(0.25);
    t.dispose();
  }, 600_000); // 23 s alone

  it('no tensor leaks over hundreds of steps, with every stabiliser on', async () => {
    const gan = wgan({ imageSize: 28, width: 4, latentDim: 8 });
    const t = createTrainer(gan, {
      ...base({ batchSize: 4, loss: 'wasserstein' }),
      penalties: { gradientPenalty: { weight: 10 } },
      ema: { decay: 0.99 },
      replay: { size: 8, probability: 0.5 },
      augment: ['color', 'translation', 'cutout'],
      instanceNoise: { initial: 0.1, decaySteps: 100 },
      clipGradNorm: { generator: 5, discriminator: 5 },
    });
    const images = {
      next: () => ({ x: tf.randomUniform([4, 28, 28, 1], -1, 1) }),
      state: () => null,
      restore: () => {},
    };
    await t.step(images);
    await t.step(images);
    const after = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) {
      await t.step(images);
      if (i % 50 === 0) await yieldToEventLoop();
    }
    expect(tf.memory().numTensors).toBe(after);
    t.dispose();
  }, 300_000); // 3.9 s alone

  it('rejects bad configs with messages that name the field', () => {
    const gan = mlpGan();
    expect(() => createTrainer(gan, base({ batchSize: 0 }))).toThrow(
      /batchSize must be a positive integer, got 0/,
    );
    expect(() => createTrainer(gan, base({ schedule: { dSteps: 1.5, gSteps: 1 } }))).toThrow(
      /schedule.dSteps/,
    );
    expect(() => createTrainer(gan, base({ loss: 'wgan' as never }))).toThrow(
      /config.loss must be one of minimax, non-saturating, .*, got 'wgan'/,
    );
    expect(() =>
      createTrainer(gan, base({ optimizers: { generator: adam(-1), discriminator: adam(1) } })),
    ).toThrow(/config.optimizers.generator.learningRate must be a positive number, got -1/);
  });
});

describe('stabilisers', () => {
  it('EMA: θ ← dθ + (1 − d)x with the warm-up decay min(d, (1 + t)/(10 + t))', () => {
    const p = { w: tf.variable(tf.tensor1d([0, 0])) };
    const ema = new Ema(p, 0.9);
    expect(ema.decayAt(0)).toBeCloseTo(0.1);
    expect(ema.decayAt(1000)).toBe(0.9);
    p.w.assign(tf.tensor1d([10, 20]));
    ema.update(p, 0); // d = 0.1
    expect(Array.from((ema.params.w as tf.Variable).dataSync())).toEqual([9, 18]);
    ema.update(p, 1000); // d = 0.9
    expect(Array.from((ema.params.w as tf.Variable).dataSync()).map((v) => Number(v.toFixed(4)))).toEqual([
      9.1, 18.2,
    ]);
    ema.dispose();
    p.w.dispose();
  });

  it('replay: fills to its size, then mixes old fakes in with the given probability', () => {
    const pool = new ReplayPool(4, 1);
    const first = pool.mix(tf.tensor2d([[1], [2]]), 1);
    expect(Array.from(first.dataSync())).toEqual([1, 2]); // empty pool: nothing to replay yet
    expect(pool.length).toBe(2);
    const second = pool.mix(tf.tensor2d([[3], [4]]), 2);
    for (const v of second.dataSync()) expect([1, 2]).toContain(v); // p = 1: all replayed
    pool.mix(tf.tensor2d([[5], [6]]), 3);
    expect(pool.length).toBe(4);
    const never = new ReplayPool(4, 0);
    never.mix(tf.tensor2d([[1]]), 1);
    expect(Array.from(never.mix(tf.tensor2d([[7]]), 2).dataSync())).toEqual([7]);
    expect(() => new ReplayPool(0, 0.5)).toThrow(/positive integer/);
    tf.dispose([first, second]);
    pool.dispose();
    never.dispose();
  });

  it('DiffAugment is seeded, keeps shapes, and lets gradients through to the images', () => {
    const x = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const a = diffAugment(x, ['color', 'translation', 'cutout'], 5);
    const b = diffAugment(x, ['color', 'translation', 'cutout'], 5);
    const c = diffAugment(x, ['color', 'translation', 'cutout'], 6);
    expect(a.shape).toEqual([2, 8, 8, 3]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    const g = tf.grad((img: tf.Tensor) =>
      tf.sum(diffAugment(img as tf.Tensor4D, ['translation', 'cutout', 'color'], 5)),
    )(x);
    expect(Math.max(...Array.from(g.dataSync()).map(Math.abs))).toBeGreaterThan(0);
    // translation alone moves pixels without changing them
    const shifted = diffAugment(x, ['translation'], 11);
    const orig = new Set(Array.from(x.dataSync()).map((v) => v.toFixed(5)));
    for (const v of shifted.dataSync()) if (v !== 0) expect(orig.has(v.toFixed(5))).toBe(true);
    tf.dispose([x, a, b, c, g, shifted]);
  });

  it('the divergence guard: a non-finite loss is reported and its update is not applied', async () => {
    const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [8] });
    const t = createTrainer(gan, base());
    await t.step(toySource(ring8(), 64, 1));
    const before = flattenTree(t.D.params).map(([, v]) => Array.from(v.dataSync()));
    const poisoned = {
      next: () => ({ x: tf.fill([64, 2], Number.NaN) }),
      state: () => null,
      restore: () => {},
    };
    const logs = await t.step(poisoned);
    expect(logs.finite).toBe(false);
    expect(logs.nonFinite).toContain('discriminator loss or gradients');
    expect(flattenTree(t.D.params).map(([, v]) => Array.from(v.dataSync()))).toEqual(before);
    t.dispose();
  });
});

describe('auxiliary objectives', () => {
  it('AC-GAN adds the class terms; InfoGAN adds the mutual-information terms and refuses replay', async () => {
    const { acgan, infogan } = await import('@gankit/models');
    const images = (n: number, classes?: number) => ({
      next: () => ({
        x: tf.randomUniform([n, 28, 28, 1], -1, 1),
        labels: classes
          ? (tf.tensor1d(
              Array.from({ length: n }, (_, i) => i % classes),
              'int32',
            ) as tf.Tensor1D)
          : undefined,
      }),
      state: () => null,
      restore: () => {},
    });
    const ac = createTrainer(
      acgan({ imageSize: 28, width: 4, latentDim: 8, classes: 10 }),
      base({ batchSize: 4 }),
    );
    const acLogs = await ac.step(images(4, 10));
    expect(Object.keys(acLogs.terms).sort()).toEqual([
      'adversarialD',
      'adversarialG',
      'auxiliaryD',
      'auxiliaryG',
    ]);
    expect(acLogs.terms.auxiliaryD).toBeGreaterThan(2 * Math.log(10) * 0.5); // ≈ two cross-entropies at chance
    ac.dispose();
    const infoDef = infogan({ noise: 8, categorical: [4], continuous: 1 });
    const info = createTrainer(infoDef, base({ batchSize: 4 }));
    const infoLogs = await info.step(images(4));
    expect(infoLogs.terms.infoD).toBeGreaterThan(0);
    expect(infoLogs.terms.infoG).toBeGreaterThan(0);
    expect(infoLogs.finite).toBe(true);
    info.dispose();
    expect(() =>
      createTrainer(infoDef, base({ batchSize: 4, replay: { size: 4, probability: 0.5 } })),
    ).toThrow(/replay cannot be used with InfoGAN/);
  }, 120_000); // 4.8 s alone

  it('the seed-002 batch semantics (D: half real + half fake; G: twice as many latents), at small scale', async () => {
    const { seedKerasMnist } = await import('@gankit/models');
    const t = createTrainer(seedKerasMnist(), base({ batchSize: 8, generatorBatchSize: 16 }));
    const seen: number[] = [];
    const data = {
      next: () => {
        seen.push(8);
        return { x: tf.randomUniform([8, 28, 28, 1], 0, 1) };
      },
      state: () => null,
      restore: () => {},
    };
    const gBatch: number[] = [];
    const apply = t.G.apply;
    t.G.apply = (p, s, z, ctx) => {
      gBatch.push(z.shape[0]!);
      return apply(p, s, z, ctx);
    };
    await t.step(data);
    expect(seen).toEqual([8]);
    expect(gBatch).toEqual([8, 16]); // the fakes of D's update, then G's update
    t.dispose();
  }, 120_000); // 1.0 s alone
});

describe('the API a library user meets', () => {
  const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [8] });

  it('label smoothing applies to the losses it is defined for; any other is refused, naming both', async () => {
    expect(() => createTrainer(gan, base({ loss: 'wasserstein', realLabel: 0.9 }))).toThrow(
      /realLabel \(one-sided label smoothing\) is defined for the minimax and non-saturating losses, not wasserstein/,
    );
    const first = async (over: Partial<TrainConfig>) => {
      const t = createTrainer(gan, base(over));
      const logs = await t.step(toySource(ring8(), 64, 1));
      t.dispose();
      return logs.dLoss;
    };
    expect(await first({ realLabel: 0.9 })).not.toBe(await first({}));
  });

  it('takes a loss and extra terms as values, typed, and logs them by name', async () => {
    const plain = nonSaturating();
    const mine: GanLoss = {
      ...plain,
      name: 'mine',
      discriminator: (r, f) => tf.mul(plain.discriminator(r, f), 2),
    };
    const spread: LossTerm = {
      name: 'spread',
      group: 'G',
      weight: 0.1,
      uses: { values: ['fake'] },
      compute: (f) => tf.mean(tf.square(f.value('fake'))),
    };
    const t = createTrainer(gan, base({ loss: mine, terms: [spread] }));
    const logs = await t.step(toySource(ring8(), 64, 1));
    expect(Object.keys(logs.terms)).toEqual(['adversarialD', 'adversarialG', 'spread']);
    expect(logs.gLoss).toBeCloseTo(logs.terms.adversarialG! + 0.1 * logs.terms.spread!, 5);
    t.dispose();
  });

  it('trains from a minimal config (Adam 2e-4, β₁ 0.5, k = 1) and shows what it resolved', async () => {
    const t = createTrainer(gan);
    expect(t.config).toMatchObject({
      seed: 0,
      batchSize: 64,
      loss: 'non-saturating',
      schedule: { dSteps: 1, gSteps: 1 },
      optimizers: {
        generator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
        discriminator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
      },
    });
    expect((await t.step(toySource(ring8(), 64, 0))).finite).toBe(true);
    t.dispose();
  });

  it('says to call useBackend() when no gradients are registered', () => {
    const sum = tf.getGradient('Sum');
    tf.unregisterGradient('Sum');
    try {
      expect(() => createTrainer(gan)).toThrow(/call `await useBackend\(\)` from @gankit\/backends first/);
    } finally {
      tf.registerGradient(sum);
    }
  });

  it('samples typed tensors: images [n, h, w, c] from image GANs, points [n, dim] from toy ones', () => {
    const images = createTrainer(cgan({ imageSize: 28, width: 8, latentDim: 8 }), base({ batchSize: 4 }));
    const x = images.generate(6, { seed: 3, label: 7 });
    expect(x.shape).toEqual([6, 28, 28, 1]);
    expect(() => images.generatePoints(2)).toThrow(/cgan-28 makes images: use generate\(\)/);
    const points = createTrainer(gan, base());
    expect(points.generatePoints(5, { seed: 1 }).shape).toEqual([5, 2]);
    tf.dispose(x);
    images.dispose();
    points.dispose();
  });
});
