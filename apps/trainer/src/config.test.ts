import { DEFAULT_CONFIG, trainConfigSchema } from '@gankit/train';
import { describe, expect, it } from 'vitest';
import { parsePartialConfig, runConfigSchema, validateAnyRunConfig, validateRunConfig } from './config.js';
import { UsageError } from './errors.js';
import { PRESETS } from './presets.js';

/** The message a refused config gets (the test fails if it is accepted). */
const refusal = (check: () => unknown): string => {
  try {
    check();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('the config was accepted');
};

describe('run configs: the train section is checked by @gankit/train', () => {
  it('uses the train package schema itself, and every preset fits it', () => {
    expect(runConfigSchema.shape.train).toBe(trainConfigSchema);
    for (const [name, preset] of Object.entries(PRESETS))
      expect(() => validateAnyRunConfig(JSON.parse(JSON.stringify(preset)), name)).not.toThrow();
  });

  it('a config file: every problem, one a line, with its path, the bad value and what is allowed', () => {
    const message = refusal(() =>
      parsePartialConfig(
        { train: { batchSize: 'big', lr: 1, penalties: { r1: { gamma: -1 } } }, run: { steps: -1 } },
        'bad.json',
      ),
    );
    expect(message.split('\n')).toEqual([
      'bad.json is not a valid gankit config:',
      "  train.batchSize must be a positive integer, got 'big'",
      '  train.penalties.r1.gamma must be a positive number, got -1',
      "  train has an unknown key 'lr'; allowed: seed, batchSize, generatorBatchSize, loss, realLabel, schedule, optimizers, lrSchedule, penalties, clipGradNorm, weightClip, ema, replay, augment, instanceNoise, auxiliaryWeight, infoWeight, terms, growth",
      '  run.steps must be a positive integer, got -1',
    ]);
    expect(refusal(() => parsePartialConfig({ trian: {} }, 'typo.json'))).toMatch(
      /^typo.json is not a valid gankit config:\n {2}the config has an unknown key 'trian'; allowed: preset, /,
    );
  });

  it('a config file may give a part of the train section, key by key', () => {
    const partial = parsePartialConfig(
      { train: { optimizers: { generator: { learningRate: 1e-3 } }, schedule: { dSteps: 2 } } },
      'part.json',
    );
    expect(partial.train).toEqual({
      optimizers: { generator: { learningRate: 1e-3 } },
      schedule: { dSteps: 2 },
    });
  });

  it('a whole run config is checked across keys too', () => {
    const whole = JSON.parse(JSON.stringify(PRESETS.quick));
    whole.run.epochs = 1;
    whole.train.loss = 'wgan';
    expect(refusal(() => validateRunConfig(whole, 'config.json')).split('\n')).toEqual([
      'config.json is not a valid gankit config:',
      "  train.loss must be one of minimax, non-saturating, least-squares, wasserstein, hinge, relativistic-average, or a GanLoss value, got 'wgan'",
      '  run must give exactly one of steps and epochs',
    ]);
    const minimal = { ...whole, train: DEFAULT_CONFIG, run: { ...whole.run, epochs: undefined } };
    expect(validateRunConfig(minimal, 'config.json').train).toEqual(DEFAULT_CONFIG);
  });
});
