import { ganFromSpec } from '@gankit/models';
import { lossOf, validateConfig } from '@gankit/train';
import { describe, expect, it } from 'vitest';
import {
  configProblems,
  DEFAULT_CONFIG,
  DISTRIBUTIONS,
  defaultSigma,
  GP_WEIGHT,
  LOSSES,
  lossName,
  outputsAreLogits,
  type PlaygroundConfig,
  toModelSpec,
  toTrainConfig,
} from './config.js';

const config = (over: Partial<PlaygroundConfig> = {}): PlaygroundConfig => ({ ...DEFAULT_CONFIG, ...over });

describe('playground settings → model spec and TrainConfig', () => {
  it('defaults to a small model that SwiftShader can train: ring of 8, 2 × 64, batch 128, non-saturating', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      distribution: 'ring8',
      hiddenLayers: 2,
      units: 64,
      batchSize: 128,
      loss: 'non-saturating',
    });
    expect(configProblems(DEFAULT_CONFIG)).toEqual([]);
  });

  it('builds an MLP GAN with z ∈ R², points in R², hidden layers × units for both networks', () => {
    const spec = toModelSpec(config({ hiddenLayers: 3, units: 16 }));
    expect(spec).toMatchObject({
      family: 'mlp',
      options: { dataDim: 2, latentDim: 2, hidden: [16, 16, 16], activation: 'leakyRelu' },
    });
    const gan = ganFromSpec(spec);
    expect(gan.generator.inputShape).toEqual([2]);
    expect(gan.discriminator.inputShape).toEqual([2]);
    expect(gan.pack ?? 1).toBe(1);
  });

  it.each(LOSSES.map((l) => l.value))('%s gives a TrainConfig that @gankit/train accepts', (loss) => {
    const c = config({ loss, lrD: 3e-4, lrG: 1e-3, dSteps: 3 });
    const train = toTrainConfig(c);
    expect(() => validateConfig(train, ganFromSpec(toModelSpec(c)))).not.toThrow();
    expect(train.schedule).toEqual({ dSteps: 3, gSteps: 1 });
    expect(train.optimizers.discriminator.learningRate).toBe(3e-4);
    expect(train.optimizers.generator.learningRate).toBe(1e-3);
    expect(train.loss).toBe(lossName(loss));
    // the heatmap shows σ(logit) exactly when the library says D's outputs are logits
    expect(outputsAreLogits(loss)).toBe(lossOf(train).outputs === 'logits');
  });

  it('WGAN-GP is the wasserstein loss plus a gradient penalty of weight 10, with Adam β₂ 0.9', () => {
    const train = toTrainConfig(config({ loss: 'wgan-gp' }));
    expect(train.loss).toBe('wasserstein');
    expect(train.penalties).toEqual({ gradientPenalty: { weight: GP_WEIGHT } });
    expect(train.optimizers.discriminator).toEqual({
      kind: 'adam',
      learningRate: 1e-3,
      beta1: 0.5,
      beta2: 0.9,
    });
    expect(toTrainConfig(config({ loss: 'hinge' })).penalties).toBeUndefined();
  });

  it('Adam gets β₁ 0.5; SGD is plain', () => {
    expect(toTrainConfig(config()).optimizers.generator).toEqual({
      kind: 'adam',
      learningRate: 1e-3,
      beta1: 0.5,
    });
    expect(toTrainConfig(config({ optimizer: 'sgd', lrG: 0.1 })).optimizers.generator).toEqual({
      kind: 'sgd',
      learningRate: 0.1,
    });
  });

  it('says what is wrong instead of training on it', () => {
    expect(configProblems(config({ distribution: 'draw', points: [] }))).toEqual([
      'draw your own: click or drag on the canvas to place at least one point',
    ]);
    expect(configProblems(config({ distribution: 'draw', points: [[0, 0]] }))).toEqual([]);
    expect(configProblems(config({ hiddenLayers: 0, lrD: 0, sigma: -1 }))).toEqual([
      'σ must be a positive number, got -1',
      'hidden layers must be an integer from 1 to 8',
      'D learning rate must be in (0, 1], got 0',
    ]);
    expect(() => toTrainConfig(config({ distribution: 'draw', points: [] }))).toThrow(
      /place at least one point/,
    );
  });

  it('the TrainConfig it makes is checked by @gankit/train, without naming a setting twice', () => {
    expect(configProblems(config({ seed: 1.5 }))).toEqual(['seed must be an integer ≥ 0, got 1.5']);
    // the page's ranges name these settings already; the package's messages for the same fields are left out
    expect(configProblems(config({ batchSize: 0, lrG: Number.NaN }))).toEqual([
      'batch size must be an integer from 1 to 4096',
      'G learning rate must be in (0, 1], got NaN',
    ]);
    expect(() => toTrainConfig(config({ seed: -1 }))).toThrow('seed must be an integer ≥ 0, got -1');
  });

  it('has a default σ for each distribution', () => {
    for (const d of DISTRIBUTIONS) expect(defaultSigma(d.value)).toBeGreaterThan(0);
    expect(defaultSigma('ring8')).toBe(0.05);
  });
});
