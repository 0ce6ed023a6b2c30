/** The config of an image-to-image run (pix2pix, inpainting, SRGAN): plain data, checked by one schema. */
import { ADVERSARIAL_LOSSES, type AdversarialLossName } from '@gankit/losses';
import type { z } from 'zod';
import { configFields as f } from './config-fields.js';
import { parseWithSchema } from './config-problems.js';
import { lrScheduleSchema, optimizerSchema } from './config-schema.js';
import type { LrSchedule, OptimizerConfig } from './optim.js';

export interface TranslationConfig {
  seed: number;
  /** Pairs per D update (G reuses the iteration's batch). */
  batchSize: number;
  /** The adversarial loss by name (pix2pix's "vanilla" GAN: `non-saturating`). */
  loss: AdversarialLossName;
  optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig };
  lrSchedule?: LrSchedule;
  /** Weight of D's loss (pix2pix halves it: 0.5, "to slow down the rate at which D learns relative to G"). */
  discriminatorWeight?: number;
  /** Weight of G's adversarial term (1; SRGAN's 1e-3 beside its content loss). */
  adversarialWeight?: number;
  /**
   * G's pixel term to the target: pix2pix's L1 × 100, SRGAN's MSE; `hole` averages it over the inpainting hole
   * only. Absent: no pixel term.
   */
  reconstruction?: { norm: 'l1' | 'l2'; weight: number; hole?: boolean };
  /** SRGAN's content loss: squared distance between a fixed network's features of output and target. */
  content?: { weight: number };
  /** SRGAN's SRResNet phase: G alone on its pixel term for this many steps before the adversarial phase. */
  pretrainSteps?: number;
  /** An exponential moving average of G's weights, which sampling and translation then use. */
  ema?: { decay: number; warmup?: boolean };
}

const LOSS_NAMES = Object.keys(ADVERSARIAL_LOSSES) as [AdversarialLossName, ...AdversarialLossName[]];

export const translationConfigSchema = f.object({
  seed: f.nonNegativeInt,
  batchSize: f.positiveInt,
  loss: f.choice(LOSS_NAMES),
  optimizers: f.object({ generator: optimizerSchema, discriminator: optimizerSchema }),
  lrSchedule: lrScheduleSchema.optional(),
  discriminatorWeight: f.positive.optional(),
  adversarialWeight: f.nonNegative.optional(),
  reconstruction: f
    .object({ norm: f.choice(['l1', 'l2']), weight: f.positive, hole: f.boolean.optional() })
    .optional(),
  content: f.object({ weight: f.positive }).optional(),
  pretrainSteps: f.positiveInt.optional(),
  ema: f
    .object({ decay: f.number('a number in (0, 1)', (n) => n > 0 && n < 1), warmup: f.boolean.optional() })
    .optional(),
});

/** pix2pix's settings: Adam 2e-4 β₁ 0.5, the non-saturating loss, D's loss halved, L1 × 100. */
export const TRANSLATION_DEFAULTS = {
  seed: 0,
  batchSize: 16,
  loss: 'non-saturating',
  optimizers: {
    generator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
    discriminator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
  },
  discriminatorWeight: 0.5,
  reconstruction: { norm: 'l1', weight: 100 },
} as const satisfies TranslationConfig;

/**
 * A whole config from the parts given (the rest from {@link TRANSLATION_DEFAULTS}), checked. `reconstruction` and
 * `discriminatorWeight` given as `null` are left out (no pixel term; D's loss at weight 1).
 */
export function resolveTranslationConfig(
  parts: Partial<Omit<TranslationConfig, 'reconstruction' | 'discriminatorWeight'>> & {
    reconstruction?: TranslationConfig['reconstruction'] | null;
    discriminatorWeight?: number | null;
  } = {},
  root = 'config',
): TranslationConfig {
  const merged: Record<string, unknown> = {
    ...TRANSLATION_DEFAULTS,
    ...parts,
    optimizers: {
      generator: { ...TRANSLATION_DEFAULTS.optimizers.generator, ...parts.optimizers?.generator },
      discriminator: { ...TRANSLATION_DEFAULTS.optimizers.discriminator, ...parts.optimizers?.discriminator },
    },
  };
  for (const key of ['reconstruction', 'discriminatorWeight'] as const)
    if (merged[key] === null) delete merged[key];
  return parseWithSchema(translationConfigSchema, merged, root) as TranslationConfig;
}

// the schema and the documented type agree (a change to one alone fails to compile)
type Output = z.output<typeof translationConfigSchema>;
type Agree<T extends readonly true[]> = T;
export type TranslationSchemaAgrees = Agree<
  [Output extends TranslationConfig ? true : false, TranslationConfig extends Output ? true : false]
>;
