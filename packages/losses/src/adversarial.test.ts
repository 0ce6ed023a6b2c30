import { useBackend } from '@gankit/backends';
import { checkGradients, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADVERSARIAL_LOSSES,
  adversarialLoss,
  bceWithLogits,
  hinge,
  leastSquares,
  minimax,
  nonSaturating,
  relativisticAverage,
  wasserstein,
} from './adversarial.js';
import {
  auxiliaryClassifierLoss,
  cycleConsistency,
  featureMatching,
  infoGanLoss,
  l1,
  l2,
  softmaxCrossEntropy,
} from './conditional.js';
import { flipLabels, instanceNoise, instanceNoiseSigma } from './labels.js';
import { clipWeights, combine } from './penalties.js';

const value = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};
const sp = (x: number) => Math.log1p(Math.exp(x)); // softplus in float64
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

const R = [2, -1, 0.5];
const F = [-3, 0.25, 1];

describe.each(['cpu', 'wasm'] as const)('adversarial losses on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });
  const real = () => tf.tensor1d(R);
  const fake = () => tf.tensor1d(F);

  it('minimax and non-saturating: closed forms at known logits', () => {
    const d = avg(R.map((r) => -Math.log(sig(r)))) + avg(F.map((f) => -Math.log(1 - sig(f))));
    expect(value(minimax().discriminator(real(), fake()))).toBeCloseTo(d, 5);
    expect(value(minimax().generator(fake()))).toBeCloseTo(avg(F.map((f) => Math.log(1 - sig(f)))), 5);
    expect(value(nonSaturating().generator(fake()))).toBeCloseTo(avg(F.map((f) => -Math.log(sig(f)))), 5);
    // one-sided label smoothing: real target 0.9
    const smoothed = avg(R.map((r) => 0.9 * sp(-r) + 0.1 * sp(r))) + avg(F.map((f) => sp(f)));
    expect(value(nonSaturating({ realLabel: 0.9 }).discriminator(real(), fake()))).toBeCloseTo(smoothed, 5);
  });

  it('stays finite where log(sigmoid(x)) would overflow', () => {
    const extreme = tf.tensor1d([200, -200]);
    expect(value(nonSaturating().generator(extreme))).toBeCloseTo(100, 3); // (0 + 200) / 2
    expect(Number.isFinite(value(minimax().discriminator(extreme, extreme)))).toBe(true);
    expect(value(bceWithLogits(tf.tensor1d([-500]), 1))).toBeCloseTo(500, 2);
  });

  it('least squares, Wasserstein, hinge and relativistic average: closed forms', () => {
    expect(value(leastSquares().discriminator(real(), fake()))).toBeCloseTo(
      0.5 * avg(R.map((r) => (r - 1) ** 2)) + 0.5 * avg(F.map((f) => f ** 2)),
      5,
    );
    expect(value(leastSquares({ a: -1, b: 1, c: 0 }).generator(fake()))).toBeCloseTo(
      0.5 * avg(F.map((f) => f ** 2)),
      5,
    );
    expect(value(wasserstein().discriminator(real(), fake()))).toBeCloseTo(avg(F) - avg(R), 5);
    expect(value(wasserstein().generator(fake()))).toBeCloseTo(-avg(F), 5);
    expect(value(hinge().discriminator(real(), fake()))).toBeCloseTo(
      avg(R.map((r) => Math.max(0, 1 - r))) + avg(F.map((f) => Math.max(0, 1 + f))),
      5,
    );
    expect(value(hinge().generator(fake()))).toBeCloseTo(-avg(F), 5);
    const ra = (a: number[], b: number[]) =>
      avg(a.map((x) => sp(-(x - avg(b))))) + avg(b.map((x) => sp(x - avg(a))));
    expect(value(relativisticAverage().discriminator(real(), fake()))).toBeCloseTo(ra(R, F), 5);
    expect(value(relativisticAverage().generator(fake(), real()))).toBeCloseTo(ra(F, R), 5);
    expect(() => relativisticAverage().generator(fake())).toThrow(/needs D\(real\)/);
  });

  it('every loss gradient (w.r.t. real and fake outputs) matches finite differences', async () => {
    for (const [name, make] of Object.entries(ADVERSARIAL_LOSSES)) {
      const loss = make();
      const r = await checkGradients((a, b) => loss.discriminator(a!, b!), [real(), fake()]);
      expect(r.failures, `${name} D: ${JSON.stringify(r.worst)}`).toEqual([]);
      const inputs = loss.needsRealForGenerator ? [fake(), real()] : [fake()];
      const g = await checkGradients((b, a) => loss.generator(b!, a), inputs);
      expect(g.failures, `${name} G: ${JSON.stringify(g.worst)}`).toEqual([]);
    }
  });

  it('conditional terms: AC-GAN cross-entropy, InfoGAN, feature matching, L1/L2, cycle', () => {
    const logits = tf.tensor2d([
      [2, 0, -1],
      [0.5, 0.5, 3],
    ]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const lse = (row: number[]) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    const ce = avg([lse([2, 0, -1]) - 2, lse([0.5, 0.5, 3]) - 0.5]);
    expect(value(softmaxCrossEntropy(logits, labels))).toBeCloseTo(ce, 5);
    expect(value(auxiliaryClassifierLoss(logits, labels))).toBeCloseTo(ce, 5);
    const mean = tf.tensor2d([[0.1], [-0.3]]);
    const logStd = tf.tensor2d([[0], [Math.log(0.5)]]);
    const codes = tf.tensor2d([[0.6], [-0.3]]);
    const nll = avg([0 + 0.5 * 0.5 ** 2, Math.log(0.5) + 0]) + 0.5 * Math.log(2 * Math.PI);
    const info = infoGanLoss({
      categoricalLogits: [logits],
      categoricalCodes: [labels],
      mean,
      logStd,
      continuousCodes: codes,
      lambdaContinuous: 0.5,
    });
    expect(value(info)).toBeCloseTo(ce + 0.5 * nll, 5);
    expect(() => infoGanLoss({ categoricalLogits: [logits], categoricalCodes: [] })).toThrow(
      /1 categorical heads but 0/,
    );
    const fr = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const ff = tf.tensor2d([
      [0, 0],
      [2, 2],
    ]);
    expect(value(featureMatching(fr, ff))).toBeCloseTo(avg([(2 - 1) ** 2, (3 - 1) ** 2]), 5);
    expect(value(l1(fr, ff))).toBeCloseTo(avg([1, 2, 1, 2]), 5);
    expect(value(l2(fr, ff))).toBeCloseTo(avg([1, 4, 1, 4]), 5);
    expect(value(cycleConsistency(fr, ff, ff, fr))).toBeCloseTo(3, 5);
    tf.dispose([logits, labels, mean, logStd, codes, fr, ff]);
  });

  it('label tricks: seeded flips at the right rate, instance noise and its decay', () => {
    const ones = tf.ones([4000]);
    const flipped = flipLabels(ones, 0.1, 3);
    const rate = 1 - avg(Array.from(flipped.dataSync()));
    expect(rate).toBeGreaterThan(0.08);
    expect(rate).toBeLessThan(0.12);
    expect(Array.from(flipLabels(ones, 0.1, 3).dataSync())).toEqual(Array.from(flipped.dataSync()));
    const noisy = instanceNoise(tf.zeros([4000]), 0.5, 4);
    const std = Math.sqrt(avg(Array.from(noisy.dataSync()).map((v) => v * v)));
    expect(std).toBeCloseTo(0.5, 1);
    expect(instanceNoiseSigma(0, { initial: 0.5, decaySteps: 100 })).toBe(0.5);
    expect(instanceNoiseSigma(50, { initial: 0.5, decaySteps: 100 })).toBeCloseTo(0.25);
    expect(instanceNoiseSigma(100, { initial: 0.5, decaySteps: 100 })).toBe(0);
    expect(instanceNoiseSigma(10, { initial: 1, decaySteps: 100, kind: 'exponential' })).toBeCloseTo(0.5);
    expect(() => flipLabels(ones, 2)).toThrow(/p must be in \[0, 1\]/);
    tf.dispose([ones, flipped, noisy]);
  });

  it('clipping and the weighted combiner', () => {
    const v = tf.variable(tf.tensor1d([-1, 0.005, 2]));
    clipWeights([v], 0.01);
    expect(Array.from(v.dataSync())).toEqual([
      -0.009999999776482582, 0.004999999888241291, 0.009999999776482582,
    ]);
    const { total, terms } = combine({ adv: [tf.scalar(2), 1], gp: [tf.scalar(0.5), 10] });
    expect(value(total)).toBe(7);
    expect(Object.keys(terms)).toEqual(['adv', 'gp']);
    expect(() => adversarialLoss('wgan')).toThrow(
      /unknown GAN loss 'wgan'; use one of: minimax, non-saturating/,
    );
    v.dispose();
  });
});

describe('the seeds: saturation of log(1 − D(G(z)))', () => {
  it('the minimax G gradient vanishes where D rejects fakes; the non-saturating one does not', async () => {
    await useBackend('cpu');
    const logits = tf.tensor1d([-12, -6, 0]); // D(G(z)) = σ(logit) ≈ 6e-6, 2.5e-3, 0.5
    const gMinimax = Array.from(
      tf
        .grad((l: tf.Tensor) => minimax().generator(l))(logits)
        .dataSync(),
    );
    const gNonSat = Array.from(
      tf
        .grad((l: tf.Tensor) => nonSaturating().generator(l))(logits)
        .dataSync(),
    );
    // per-example gradients (× batch size 3): −σ(l) and −σ(−l)
    expect(Math.abs(gMinimax[0]! * 3)).toBeLessThan(1e-5);
    expect(Math.abs(gMinimax[1]! * 3)).toBeLessThan(3e-3);
    expect(gNonSat[0]! * 3).toBeCloseTo(-1, 4);
    expect(gNonSat[1]! * 3).toBeCloseTo(-1, 2);
    expect(gMinimax[2]).toBeCloseTo(gNonSat[2]!, 6); // equal where D is undecided
    logits.dispose();
  });
});

describe('numerical accuracy over many logits', () => {
  it('bceWithLogits matches float64 over a wide range', async () => {
    await useBackend('cpu');
    const ls = Array.from(seededUniform(200, 5, -30, 30));
    const ts = Array.from(seededUniform(200, 6, 0, 1));
    const expected = avg(ls.map((l, i) => ts[i]! * sp(-l) + (1 - ts[i]!) * sp(l)));
    expect(value(bceWithLogits(tf.tensor1d(ls), tf.tensor1d(ts)))).toBeCloseTo(expected, 4);
  });
});
