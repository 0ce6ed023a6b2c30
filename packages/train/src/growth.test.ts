import { useBackend } from '@gankit/backends';
import { flattenTree } from '@gankit/layers';
import { dcgan, progan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { PartialTrainConfig, TrainConfig } from './config.js';
import { growReals, growthPlan } from './growth.js';
import type { LossTerm } from './problem.js';
import type { DataSource, StepLogs } from './step.js';
import { createTrainer } from './trainer.js';

const data = (t: tf.Tensor) => Array.from(t.dataSync());

/** Seeded random 28×28 images in [−1, 1], `batch` per draw; its state is the number of batches drawn. */
function imagesSource(batch: number, seed: number): DataSource {
  let drawn = 0;
  return {
    next: () => ({ x: tf.randomUniform([batch, 28, 28, 1], -1, 1, 'float32', seed * 1000 + drawn++) }),
    state: () => ({ drawn }),
    restore: (s) => {
      drawn = (s as { drawn: number }).drawn;
    },
  };
}

const tiny = () => progan({ imageSize: 28, latentDim: 4, widths: [4, 2, 2] });
/** ProGAN's recipe at toy size: WGAN-GP λ 10 + drift, Adam 1e-3 β (0, 0.99), EMA 0.999, 7 → 14 → 28. */
const recipe = (over: PartialTrainConfig = {}): PartialTrainConfig => ({
  seed: 3,
  batchSize: 4,
  loss: 'wasserstein',
  optimizers: {
    generator: { kind: 'adam', learningRate: 1e-3, beta1: 0, beta2: 0.99 },
    discriminator: { kind: 'adam', learningRate: 1e-3, beta1: 0, beta2: 0.99 },
  },
  penalties: { gradientPenalty: { weight: 10 }, drift: { epsilon: 0.001 } },
  ema: { decay: 0.999 },
  growth: { resolutions: [7, 14, 28], stabiliseImages: 4, fadeImages: 8 },
  ...over,
});

beforeAll(async () => {
  await useBackend('cpu');
});

describe('the reals of a growing GAN', () => {
  // a 4×4 image 1…16: its 2×2 block means are 3.5, 5.5, 11.5, 13.5
  const x = () =>
    tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i + 1),
      [1, 4, 4, 1],
    );
  const up = [3.5, 3.5, 5.5, 5.5, 3.5, 3.5, 5.5, 5.5, 11.5, 11.5, 13.5, 13.5, 11.5, 11.5, 13.5, 13.5];
  const ones = Array.from({ length: 16 }, (_, i) => i + 1);

  it('are faded like the fakes: lerp(upsample(downsample(x, 2)), x, α) at α = 0, 0.5, 1 (by hand)', () => {
    tf.tidy(() => {
      expect(data(growReals(x(), 4, 0))).toEqual(up);
      expect(data(growReals(x(), 4, 0.5))).toEqual(ones.map((v, i) => (v + up[i]!) / 2));
      expect(data(growReals(x(), 4, 1))).toEqual(ones);
      expect(data(growReals(x(), 4))).toEqual(ones);
      // average-pooled to the phase's size first: 2×2 → means 3.5 5.5 11.5 13.5, whose own mean is 8.5
      expect(data(growReals(x(), 2))).toEqual([3.5, 5.5, 11.5, 13.5]);
      expect(data(growReals(x(), 2, 0))).toEqual([8.5, 8.5, 8.5, 8.5]);
      expect(data(growReals(x(), 2, 0.5))).toEqual([6, 7, 10, 11]);
      expect(() => growReals(x(), 3)).toThrow(/cannot resize images \[1,4,4,1\] to 3×3/);
    });
  });

  it('are what D sees in each phase: the problem resizes and fades the batch at the step’s α', async () => {
    const seen: { alpha: number | undefined; shape: number[]; values: number[] }[] = [];
    const probe: LossTerm = {
      name: 'probe',
      group: 'D',
      weight: 0,
      uses: { values: ['x', 'batchX'] },
      compute: (f) => {
        const expected = growReals(f.value('batchX'), f.value('x').shape[1]!, f.alpha);
        seen.push({
          alpha: f.alpha,
          shape: f.value('x').shape,
          values: [tf.max(tf.abs(tf.sub(expected, f.value('x')))).dataSync()[0]!],
        });
        return tf.scalar(0);
      },
    };
    const t = createTrainer(tiny(), recipe({ terms: [probe] }));
    const source = imagesSource(4, 1);
    for (let i = 0; i < 7; i++) await t.step(source);
    t.dispose();
    // a step at 7×7, a fade of 2 steps to 14×14 (α 0, ½), a step at 14×14, the fade to 28×28, then 28×28
    expect(seen.map((s) => s.shape[1])).toEqual([7, 14, 14, 14, 28, 28, 28]);
    expect(seen.map((s) => s.alpha)).toEqual([undefined, 0, 0.5, undefined, 0, 0.5, undefined]);
    for (const s of seen) expect(s.values[0]).toBe(0);
  });
});

describe('a growth schedule', () => {
  it('turns images into phases: steps = images / (batch · dSteps), rounded up; the last runs to the end', () => {
    const plan = growthPlan({
      batchSize: 32,
      schedule: { dSteps: 1, gSteps: 1 },
      growth: { resolutions: [7, 14, 28], stabiliseImages: 3200, fadeImages: 1000 },
    });
    expect(plan).toEqual([
      { name: 'stabilise-7', resolution: 7, fade: false, start: 0, steps: 100 },
      { name: 'fade-14', resolution: 14, fade: true, start: 100, steps: 32 },
      { name: 'stabilise-14', resolution: 14, fade: false, start: 132, steps: 100 },
      { name: 'fade-28', resolution: 28, fade: true, start: 232, steps: 32 },
      { name: 'stabilise-28', resolution: 28, fade: false, start: 264 },
    ]);
  });

  it('refuses, before any tensor, resolutions that do not end at the data’s size, zero images and non-growing models', () => {
    const before = tf.memory().numTensors;
    const growth = (g: Partial<NonNullable<TrainConfig['growth']>>) =>
      recipe({ growth: { resolutions: [7, 14, 28], stabiliseImages: 800, fadeImages: 800, ...g } });
    expect(() => createTrainer(tiny(), growth({ resolutions: [8, 16, 32] }))).toThrow(
      "config.growth.resolutions must be consecutive resolutions of progan-28 ending at the data's 28×28 (its stages: 7, 14, 28), got [8, 16, 32]: use [7, 14, 28], or a tail of it to start larger",
    );
    expect(() => createTrainer(tiny(), growth({ resolutions: [7, 14] }))).toThrow(
      /ending at the data's 28×28/,
    );
    expect(() => createTrainer(tiny(), growth({ stabiliseImages: 0 }))).toThrow(
      'config.growth.stabiliseImages must be a positive whole number of images (e.g. 20000), got 0',
    );
    expect(() => createTrainer(tiny(), growth({ fadeImages: 2 }))).toThrow(
      "config.growth.fadeImages is 2, less than one iteration's 4 real images (batchSize × dSteps): give at least 4",
    );
    expect(() => createTrainer(dcgan({ imageSize: 28, width: 4 }), growth({}))).toThrow(
      /config.growth needs a progressively grown model \(family 'progan'\); dcgan-28 has no stages/,
    );
    expect(tf.memory().numTensors).toBe(before);
    // a tail starts larger: 14 → 28
    const t = createTrainer(tiny(), growth({ resolutions: [14, 28] }));
    expect(t.G.outputShapes.images).toEqual([14, 14, 1]);
    t.dispose();
  });
});

describe('a growing run', () => {
  const weights = (t: ReturnType<typeof createTrainer>) =>
    [t.G, t.D].flatMap((n) => flattenTree(n.params).flatMap(([p, v]) => [p, ...data(v)]));
  const logsOf = (l: StepLogs) => ({ d: l.dLoss, g: l.gLoss, terms: l.terms, phase: l.phase });

  it('grows 7 → 14 → 28 with samples at the data’s size, no tensor growth over a phase change', async () => {
    const t = createTrainer(tiny(), recipe());
    const source = imagesSource(4, 2);
    await t.step(source);
    const phases: (string | undefined)[] = [];
    for (let i = 1; i < 8; i++) {
      const logs = await t.step(source);
      phases.push(logs.phase?.name);
      expect(logs.finite).toBe(true);
    }
    expect(phases).toEqual([
      'fade-14',
      'fade-14',
      'stabilise-14',
      'fade-28',
      'fade-28',
      'stabilise-28',
      'stabilise-28',
    ]);
    expect(t.G.outputShapes.images).toEqual([28, 28, 1]);
    const z = tf.randomNormal([4, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const images = t.sample(z);
    expect(images.shape).toEqual([4, 28, 28, 1]);
    tf.dispose([z, images]);
    t.dispose();
  });

  it('has no tensor growth over a phase change: after growing it holds exactly what a run started at 28×28 holds', async () => {
    const held = async (config: PartialTrainConfig, steps: number) => {
      const base = tf.memory().numTensors;
      const t = createTrainer(tiny(), config);
      const source = imagesSource(4, 2);
      const counts: number[] = [];
      for (let i = 0; i < steps; i++) {
        await t.step(source);
        counts.push(tf.memory().numTensors - base);
      }
      t.dispose();
      expect(tf.memory().numTensors).toBe(base);
      return counts;
    };
    const grown = await held(recipe(), 8);
    // flat within a phase (steps 2–3 of fade-14, 5–6 of fade-28, 7–8 of stabilise-28)
    expect([grown[2], grown[5], grown[7]]).toEqual([grown[1], grown[4], grown[6]]);
    const straight = await held(
      recipe({ growth: { resolutions: [28], stabiliseImages: 4, fadeImages: 4 } }),
      1,
    );
    expect(grown[7]).toBe(straight[0]);
  });

  it('resumes exactly in the middle of a fade: stop, checkpoint, restore into a fresh trainer, continue — bit-identical on cpu', async () => {
    const whole = createTrainer(tiny(), recipe());
    const wholeData = imagesSource(4, 5);
    const wholeLogs = [];
    for (let i = 0; i < 7; i++) wholeLogs.push(logsOf(await whole.step(wholeData)));
    const first = createTrainer(tiny(), recipe());
    const firstData = imagesSource(4, 5);
    const firstLogs = [];
    for (let i = 0; i < 5; i++) firstLogs.push(logsOf(await first.step(firstData))); // step 5: inside the fade to 28
    expect(firstLogs.at(-1)!.phase).toEqual({ index: 3, name: 'fade-28', alpha: 0 });
    const bytes = await saveCheckpoint(first, firstData);
    first.dispose();
    const resumed = createTrainer(tiny(), recipe());
    const resumedData = imagesSource(4, 5);
    restoreCheckpoint(bytes, resumed, resumedData);
    const restLogs = [];
    for (let i = 5; i < 7; i++) restLogs.push(logsOf(await resumed.step(resumedData)));
    expect([...firstLogs, ...restLogs]).toEqual(wholeLogs);
    expect(weights(resumed)).toEqual(weights(whole));
    expect(resumed.ema!.params).toBeDefined();
    const ema = (t: typeof whole) => flattenTree(t.ema!.params).flatMap(([p, v]) => [p, ...data(v)]);
    expect(ema(resumed)).toEqual(ema(whole));
    resumed.dispose();
    whole.dispose();
  });

  it('resumes exactly from a checkpoint taken right after a phase’s last step (the growth still to come)', async () => {
    const whole = createTrainer(tiny(), recipe());
    const wholeData = imagesSource(4, 6);
    const wholeLogs = [];
    for (let i = 0; i < 3; i++) wholeLogs.push(logsOf(await whole.step(wholeData)));
    const first = createTrainer(tiny(), recipe());
    const firstData = imagesSource(4, 6);
    const firstLogs = [];
    for (let i = 0; i < 1; i++) firstLogs.push(logsOf(await first.step(firstData))); // the last step at 7×7
    const bytes = await saveCheckpoint(first, firstData);
    first.dispose();
    const resumed = createTrainer(tiny(), recipe());
    const resumedData = imagesSource(4, 6);
    restoreCheckpoint(bytes, resumed, resumedData);
    const restLogs = [];
    for (let i = 1; i < 3; i++) restLogs.push(logsOf(await resumed.step(resumedData)));
    expect([...firstLogs, ...restLogs]).toEqual(wholeLogs);
    expect(weights(resumed)).toEqual(weights(whole));
    resumed.dispose();
    whole.dispose();
  });
});
