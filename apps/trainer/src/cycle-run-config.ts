/** The run config of an unpaired translation run (CycleGAN, DiscoGAN): its model, two domains and training. */
import { DOMAIN_STYLES, type DomainStyle } from '@gankit/datasets';
import { CYCLE_FAMILIES, type CycleSpec, isCycleSpec } from '@gankit/models';
import { type CycleConfig, cycleConfigSchema, configFields as f } from '@gankit/train';
import { z } from 'zod';
import type { RunSettings } from './config.js';

/**
 * One domain: a dataset (`mnist`, `fashion-mnist`, `folder:PATH` — e.g. a CycleGAN folder's `trainA`), optionally
 * one half of it (so that two domains made from one dataset share no image) and a built-in style drawn over it;
 * `test`: the held-out images of a folder domain (e.g. `folder:DIR/testA`; built-in datasets use their test split).
 */
export interface DomainSpec {
  dataset: string;
  half?: 'first' | 'second';
  style?: DomainStyle;
  test?: string;
}

export interface CycleRunConfig {
  preset: string;
  description: string;
  source: string;
  model: CycleSpec;
  data: { a: DomainSpec; b: DomainSpec };
  train: CycleConfig;
  run: RunSettings;
}

export const domainSchema = f.object({
  dataset: f.nonEmptyString,
  half: f.choice(['first', 'second']).optional(),
  style: f.choice(DOMAIN_STYLES as unknown as [DomainStyle, ...DomainStyle[]]).optional(),
  test: f.nonEmptyString.optional(),
});

export const cycleModelSchema = f.object({
  family: f.choice(CYCLE_FAMILIES as unknown as [string, ...string[]]),
  options: z.record(z.string(), z.unknown(), { error: 'an object of model options' }).optional(),
});

/** The run config's schema for unpaired runs; `run` is checked by the same schema as every run's. */
export const cycleRunShape = (runSchema: z.ZodType<RunSettings>) =>
  f.object({
    preset: f.string,
    description: f.string,
    source: f.string,
    model: cycleModelSchema,
    data: f.object({ a: domainSchema, b: domainSchema }),
    train: cycleConfigSchema,
    run: runSchema,
  });

/** Whether a run config (as read) is an unpaired one: its model is CycleGAN or DiscoGAN. */
export const isCycleConfig = (config: { model?: { family?: unknown } }): boolean =>
  config?.model != null && isCycleSpec(config.model as { family: string });

/** `mnist (first half)`, `mnist (second half), thick-inverted` */
export function describeDomain(d: DomainSpec): string {
  return [`${d.dataset}${d.half ? ` (${d.half} half)` : ''}`, ...(d.style ? [`drawn ${d.style}`] : [])].join(
    ', ',
  );
}
