import { ADVERSARIAL_LOSSES, type AdversarialLossName, type GanLoss } from '@gankit/losses';
import { z } from 'zod';
import { AUGMENT_POLICIES } from './augment.js';
import type { PartialTrainConfig, TrainConfig } from './config.js';
import { configFields as f } from './config-fields.js';
import type { LrSchedule, OptimizerConfig } from './optim.js';
import type { LossTerm } from './problem.js';

/**
 * The one schema of {@link TrainConfig}: the trainer, the CLI (for the `train` section of a run config) and the
 * demo all check configs with it. Strict: an unknown key is refused, naming the allowed ones. A loss is a name or
 * your own `GanLoss` value; `terms` are `LossTerm` values (neither can come from JSON, where only names exist).
 * What depends on the GAN (its heads, PacGAN's packing) is checked by `validateConfig`.
 */

const LOSS_NAMES = Object.keys(ADVERSARIAL_LOSSES) as [AdversarialLossName, ...AdversarialLossName[]];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v != null;
const isGanLoss = (v: unknown): v is GanLoss =>
  isRecord(v) &&
  typeof v.name === 'string' &&
  typeof v.discriminator === 'function' &&
  typeof v.generator === 'function';
const isLossTerm = (v: unknown): v is LossTerm =>
  isRecord(v) &&
  typeof v.name === 'string' &&
  typeof v.group === 'string' &&
  isRecord(v.uses) &&
  typeof v.compute === 'function';

export const optimizerSchema = f.object({
  kind: f.choice(['adam', 'sgd', 'rmsprop']),
  learningRate: f.positive,
  beta1: f.unit.optional(),
  beta2: f.unit.optional(),
  epsilon: f.positive.optional(),
  momentum: f.unit.optional(),
  rho: f.unit.optional(),
});

export const lrScheduleSchema = z.discriminatedUnion(
  'kind',
  [
    f.object({ kind: z.literal('constant') }),
    f.object({
      kind: z.literal('linear'),
      totalSteps: f.positiveInt,
      final: f.nonNegative.optional(),
      start: f.nonNegativeInt.optional(),
    }),
  ],
  {
    // no option for the `kind` given, or (not an object at all) the whole value
    error: (issue) =>
      issue.code === 'invalid_union'
        ? "'constant' or 'linear'"
        : "an object { kind: 'constant' } or { kind: 'linear', totalSteps, final?, start? }",
  },
);

const lazyPenalty = f.object({ gamma: f.positive, every: f.positiveInt.optional() });
const scheduleSchema = f.object({ dSteps: f.positiveInt, gSteps: f.positiveInt });
const images = f.number(
  'a positive whole number of images (e.g. 20000)',
  (n) => Number.isInteger(n) && n > 0,
);

export const trainConfigSchema = f.object({
  seed: f.nonNegativeInt,
  batchSize: f.positiveInt,
  generatorBatchSize: f.positiveInt.optional(),
  loss: z.union([f.choice(LOSS_NAMES), z.custom<GanLoss>(isGanLoss)], {
    error: `one of ${LOSS_NAMES.join(', ')}, or a GanLoss value`,
  }),
  realLabel: f.number('a number in (0, 1]', (n) => n > 0 && n <= 1).optional(),
  schedule: scheduleSchema,
  optimizers: f.object({ generator: optimizerSchema, discriminator: optimizerSchema }),
  lrSchedule: lrScheduleSchema.optional(),
  penalties: f
    .object({
      gradientPenalty: f.object({ weight: f.positive, oneSided: f.boolean.optional() }).optional(),
      r1: lazyPenalty.optional(),
      r2: lazyPenalty.optional(),
      drift: f.object({ epsilon: f.positive.optional() }).optional(),
      pathLength: f
        .object({
          weight: f.positive.optional(),
          every: f.positiveInt.optional(),
          decay: f.number('a number in (0, 1]', (n) => n > 0 && n <= 1).optional(),
          shrink: f.positiveInt.optional(),
        })
        .optional(),
    })
    .optional(),
  clipGradNorm: f
    .object({ generator: f.positive.optional(), discriminator: f.positive.optional() })
    .optional(),
  weightClip: f.positive.optional(),
  ema: f
    .object({ decay: f.number('a number in (0, 1)', (n) => n > 0 && n < 1), warmup: f.boolean.optional() })
    .optional(),
  replay: f.object({ size: f.positiveInt, probability: f.probability }).optional(),
  augment: z
    .array(f.choice(AUGMENT_POLICIES), {
      error: `a list of DiffAugment policies (${AUGMENT_POLICIES.join(', ')})`,
    })
    .optional(),
  instanceNoise: f.object({ initial: f.nonNegative, decaySteps: f.positiveInt }).optional(),
  auxiliaryWeight: f.nonNegative.optional(),
  infoWeight: f
    .object({ categorical: f.nonNegative.optional(), continuous: f.nonNegative.optional() })
    .optional(),
  terms: z
    .array(z.custom<LossTerm>(isLossTerm, { error: 'a LossTerm (with name, group, uses and compute)' }), {
      error: 'a list of LossTerm values',
    })
    .optional(),
  growth: f
    .object({
      resolutions: z
        .array(f.positiveInt, { error: 'a list of resolutions, low to high (e.g. [7, 14, 28])' })
        .min(1, { error: 'a list of resolutions, low to high (e.g. [7, 14, 28])' }),
      stabiliseImages: images,
      fadeImages: images,
      optimizers: f.choice(['reset', 'keep']).optional(),
    })
    .optional(),
});

/**
 * What `resolveConfig` and `createTrainer` take: every key optional, and `schedule` and each optimiser given key by
 * key (they merge with {@link DEFAULT_CONFIG}'s); still strict.
 */
export const partialTrainConfigSchema = trainConfigSchema.partial().extend({
  schedule: scheduleSchema.partial().optional(),
  optimizers: f
    .object({
      generator: optimizerSchema.partial().optional(),
      discriminator: optimizerSchema.partial().optional(),
    })
    .optional(),
});

// The schemas and the documented types agree, key for key: changing one alone is a compile error here.
type Plain<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { [K in keyof T]: Plain<T[K]> }
    : T;
type Same<A, B> =
  (<V>() => V extends Plain<A> ? 1 : 2) extends <V>() => V extends Plain<B> ? 1 : 2 ? true : false;
type Agree<T extends readonly true[]> = T;
export type SchemasAgreeWithTypes = Agree<
  [
    Same<z.output<typeof trainConfigSchema>, TrainConfig>,
    Same<z.output<typeof partialTrainConfigSchema>, PartialTrainConfig>,
    Same<z.output<typeof optimizerSchema>, OptimizerConfig>,
    Same<z.output<typeof lrScheduleSchema>, LrSchedule>,
  ]
>;
