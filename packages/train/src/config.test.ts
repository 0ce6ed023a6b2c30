import { nonSaturating } from '@gankit/losses';
import { mlpGan } from '@gankit/models';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig, type TrainConfig, validateConfig } from './config.js';
import { ConfigError, parseTrainConfig, trainConfigProblems } from './config-problems.js';
import { createOptimizer } from './optim.js';

const valid: TrainConfig = {
  seed: 1,
  batchSize: 64,
  loss: 'hinge',
  schedule: { dSteps: 2, gSteps: 1 },
  optimizers: {
    generator: { kind: 'adam', learningRate: 1e-4, beta1: 0, beta2: 0.9 },
    discriminator: { kind: 'rmsprop', learningRate: 4e-4, rho: 0.9 },
  },
  lrSchedule: { kind: 'linear', totalSteps: 1000, final: 0 },
  penalties: { r1: { gamma: 10, every: 16 }, drift: {} },
  ema: { decay: 0.999, warmup: true },
  augment: ['color', 'cutout'],
};

/** The problems of `valid` with `over` merged in at the top level. */
const problems = (over: Record<string, unknown>, root?: string) =>
  trainConfigProblems({ ...valid, ...over }, root).map((p) => p.message);

describe('a minimal config trains on the defaults', () => {
  it('nothing given: Adam 2e-4 with β₁ 0.5 for both networks, one D step per G step', () => {
    const resolved = resolveConfig();
    expect(resolved).toEqual({
      seed: 0,
      batchSize: 64,
      loss: 'non-saturating',
      schedule: { dSteps: 1, gSteps: 1 },
      optimizers: {
        generator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
        discriminator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
      },
    });
    expect(resolved).toEqual(DEFAULT_CONFIG);
    expect(parseTrainConfig(resolved)).toEqual(resolved);
    expect(() => validateConfig(resolved, mlpGan())).not.toThrow();
  });

  it('a part given key by key merges with the defaults around it', () => {
    const resolved = resolveConfig({
      batchSize: 8,
      schedule: { dSteps: 5 },
      optimizers: { generator: { learningRate: 1e-3 } },
    });
    expect(resolved.batchSize).toBe(8);
    expect(resolved.schedule).toEqual({ dSteps: 5, gSteps: 1 });
    expect(resolved.optimizers.generator).toEqual({ kind: 'adam', learningRate: 1e-3, beta1: 0.5 });
    expect(resolved.optimizers.discriminator).toEqual(DEFAULT_CONFIG.optimizers.discriminator);
  });

  it('malformed parts are refused before they are merged', () => {
    expect(() => resolveConfig({ schedule: 5 } as never)).toThrow(
      'config.schedule must be an object with dSteps, gSteps, got 5',
    );
    expect(() => resolveConfig({ optimizers: { generator: { learningRate: 0 } } })).toThrow(
      'config.optimizers.generator.learningRate must be a positive number, got 0',
    );
    expect(() => resolveConfig({ lr: 1e-3 } as never)).toThrow(
      /config has an unknown key 'lr'; allowed: seed,/,
    );
  });
});

describe('the schema: every problem named with its path, the bad value and what is allowed', () => {
  it('accepts a full config, a GanLoss value and LossTerm values', () => {
    expect(trainConfigProblems(valid)).toEqual([]);
    const term = { name: 'mine', group: 'G', uses: {}, compute: () => null };
    expect(trainConfigProblems({ ...valid, loss: nonSaturating({ realLabel: 0.9 }), terms: [term] })).toEqual(
      [],
    );
  });

  it('out of range', () => {
    expect(problems({ penalties: { r1: { gamma: -1 } } }, 'train')).toEqual([
      'train.penalties.r1.gamma must be a positive number, got -1',
    ]);
    expect(problems({ penalties: { pathLength: { decay: 2, shrink: 0.5 } } })).toEqual([
      'config.penalties.pathLength.decay must be a number in (0, 1], got 2',
      'config.penalties.pathLength.shrink must be a positive integer, got 0.5',
    ]);
    expect(problems({ batchSize: 0 })).toEqual(['config.batchSize must be a positive integer, got 0']);
    expect(problems({ seed: 1.5 })).toEqual(['config.seed must be an integer ≥ 0, got 1.5']);
    expect(problems({ realLabel: 1.1 })).toEqual(['config.realLabel must be a number in (0, 1], got 1.1']);
    expect(problems({ ema: { decay: 1 } })).toEqual(['config.ema.decay must be a number in (0, 1), got 1']);
    expect(problems({ replay: { size: 10, probability: Number.NaN } })).toEqual([
      'config.replay.probability must be a number in [0, 1], got NaN',
    ]);
  });

  it('bad types and missing keys', () => {
    expect(problems({ batchSize: 'big' })).toEqual([
      "config.batchSize must be a positive integer, got 'big'",
    ]);
    expect(problems({ ema: { decay: 0.9, warmup: 'yes' } })).toEqual([
      "config.ema.warmup must be true or false, got 'yes'",
    ]);
    expect(problems({ schedule: { gSteps: 1 } })).toEqual([
      'config.schedule.dSteps is missing: it must be a positive integer',
    ]);
    expect(problems({ augment: 'color' })).toEqual([
      "config.augment must be a list of DiffAugment policies (color, translation, cutout), got 'color'",
    ]);
  });

  it('unknown choices list the known ones', () => {
    expect(problems({ loss: 'wgan' })).toEqual([
      "config.loss must be one of minimax, non-saturating, least-squares, wasserstein, hinge, relativistic-average, or a GanLoss value, got 'wgan'",
    ]);
    expect(problems({ augment: ['color', 'flip'] })).toEqual([
      "config.augment[1] must be one of color, translation, cutout, got 'flip'",
    ]);
    expect(problems({ lrSchedule: { kind: 'cosine' } })).toEqual([
      "config.lrSchedule.kind must be 'constant' or 'linear', got 'cosine'",
    ]);
    expect(problems({ lrSchedule: { kind: 'linear', totalSteps: 0 } })).toEqual([
      'config.lrSchedule.totalSteps must be a positive integer, got 0',
    ]);
    expect(problems({ terms: [{ name: 'mine' }] })).toEqual([
      'config.terms[0] must be a LossTerm (with name, group, uses and compute), got {"name":"mine"}',
    ]);
  });

  it('strict: an unknown key is refused, naming the allowed ones (a misspelt key would silently keep its default)', () => {
    expect(problems({ penalties: { r1: { gamma: 1 }, r3: { gamma: 1 } } })).toEqual([
      "config.penalties has an unknown key 'r3'; allowed: gradientPenalty, r1, r2, drift, pathLength",
    ]);
    expect(problems({ lr: 1, beta: 2 })[0]).toMatch(
      /^config has unknown keys 'lr', 'beta'; allowed: seed, batchSize, generatorBatchSize, loss, .*, terms, growth$/,
    );
    expect(problems({ optimizers: { ...valid.optimizers, generator: { kind: 'adam', lr: 1 } } })).toEqual([
      'config.optimizers.generator.learningRate is missing: it must be a positive number',
      "config.optimizers.generator has an unknown key 'lr'; allowed: kind, learningRate, beta1, beta2, epsilon, momentum, rho",
    ]);
  });

  it('lists every problem at once, in a ConfigError whose message has one a line', () => {
    let error: unknown;
    try {
      parseTrainConfig({ ...valid, batchSize: -2, generatorBatchSize: 2.5 }, '');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.problems.map((p) => p.path)).toEqual(['batchSize', 'generatorBatchSize']);
    expect(e.message).toBe(
      'batchSize must be a positive integer, got -2\ngeneratorBatchSize must be a positive integer, got 2.5',
    );
    expect(() => parseTrainConfig(null)).toThrow(
      /^config must be an object with seed, batchSize, .*, got null$/,
    );
  });
});

describe('what depends on the loss and the GAN', () => {
  it('label smoothing only for the losses that define it; batches divisible by the packing degree', () => {
    expect(() => validateConfig({ ...valid, realLabel: 0.9 }, mlpGan())).toThrow(
      /realLabel \(one-sided label smoothing\) is defined for the minimax and non-saturating losses, not hinge/,
    );
    expect(() => validateConfig({ ...valid, batchSize: 6 }, mlpGan({ pack: 4 }))).toThrow(
      'config.batchSize must be divisible by the PacGAN packing degree 4, got 6',
    );
    expect(() => validateConfig({ ...valid, batchSize: 8 }, mlpGan({ pack: 4 }))).not.toThrow();
  });

  it('an optimiser on its own is checked by the same schema', () => {
    expect(() => createOptimizer({ kind: 'adagrad' as never, learningRate: 1 }, [], [])).toThrow(
      "optimizer.kind must be one of adam, sgd, rmsprop, got 'adagrad'",
    );
    expect(() => createOptimizer({ kind: 'sgd', learningRate: 0.1, momentum: 1 }, [], [])).toThrow(
      'optimizer.momentum must be a number in [0, 1), got 1',
    );
  });
});
