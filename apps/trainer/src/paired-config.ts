/** The run config of an image-to-image run (pix2pix, inpainting, SRGAN): its model, paired data task and training. */
import { isTranslationSpec, TRANSLATION_FAMILIES, type TranslationSpec } from '@gankit/models';
import { configFields as f, type TranslationConfig, translationConfigSchema } from '@gankit/train';
import { z } from 'zod';
import type { RunSettings } from './config.js';

/** What each pair's source is, as a run config writes it. */
export type PairedTaskSpec =
  | { kind: 'edges'; threshold?: number; thickness?: number }
  | { kind: 'inpaint'; mask?: 'centre' | 'rectangles' | 'strokes'; size?: number }
  | { kind: 'downscale'; factor: 2 | 4 }
  /** Your own pairs: a `pairs:` dataset (side-by-side A|B images, or two folders of matching names). */
  | { kind: 'given' };

export interface PairedRunConfig {
  preset: string;
  description: string;
  source: string;
  model: TranslationSpec;
  data: { dataset: string; task: PairedTaskSpec };
  train: TranslationConfig;
  run: RunSettings;
}

export const pairedTaskSchema = z.discriminatedUnion(
  'kind',
  [
    f.object({
      kind: z.literal('edges'),
      threshold: f.number('a number in (0, 1)', (n) => n > 0 && n < 1).optional(),
      thickness: f.number('1, 2 or 3', (n) => [1, 2, 3].includes(n)).optional(),
    }),
    f.object({
      kind: z.literal('inpaint'),
      mask: f.choice(['centre', 'rectangles', 'strokes']).optional(),
      size: f.positiveInt.optional(),
    }),
    f.object({
      kind: z.literal('downscale'),
      factor: z.union([z.literal(2), z.literal(4)], { error: '2 or 4' }),
    }),
    f.object({ kind: z.literal('given') }),
  ],
  { error: "an object { kind: 'edges' | 'inpaint' | 'downscale' | 'given', … }" },
);

export const pairedModelSchema = f.object({
  family: f.choice(TRANSLATION_FAMILIES as [string, ...string[]]),
  options: z.record(z.string(), z.unknown(), { error: 'an object of model options' }).optional(),
});

/** The run config's schema for image-to-image runs; `run` is checked by the same schema as every run's. */
export const pairedRunShape = (runSchema: z.ZodType<RunSettings>) =>
  f.object({
    preset: f.string,
    description: f.string,
    source: f.string,
    model: pairedModelSchema,
    data: f.object({ dataset: f.nonEmptyString, task: pairedTaskSchema }),
    train: translationConfigSchema,
    run: runSchema,
  });

/** Whether a run config (as read) is an image-to-image one: its model is of an image-to-image family. */
export const isPairedConfig = (config: { model?: { family?: unknown } }): boolean =>
  config?.model != null && isTranslationSpec(config.model as { family: string });
