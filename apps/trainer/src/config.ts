import { MODEL_FAMILIES, type ModelSpec } from '@gankit/models';
import {
  describeConfigIssues,
  configFields as f,
  partialTrainConfigSchema,
  type TrainConfig,
  trainConfigSchema,
} from '@gankit/train';
import { z } from 'zod';
import { type CycleRunConfig, cycleRunShape, isCycleConfig } from './cycle-run-config.js';
import { UsageError } from './errors.js';
import { isPairedConfig, type PairedRunConfig, pairedRunShape } from './paired-config.js';

export const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** How a run is driven: length, cadence of samples/evaluations/checkpoints, backend. */
export interface RunSettings {
  steps?: number;
  epochs?: number;
  backend: BackendChoice;
  /** Log a line to metrics.jsonl (and the progress display) every this many steps. */
  logEvery: number;
  sampleEvery: number;
  checkpointEvery: number;
  /** 0: evaluate only at the end. */
  evalEvery: number;
  /** Generated samples per evaluation during training. */
  evalSamples: number;
  /** Checkpoints kept. */
  keep: number;
}

/** Everything that decides a run; written fully resolved to the run folder's config.json. */
export interface RunConfig {
  preset: string;
  description: string;
  source: string;
  model: ModelSpec;
  data: { dataset: string };
  train: TrainConfig;
  run: RunSettings;
}

/**
 * The run config's schema. Its `train` section is @gankit/train's own `trainConfigSchema` (one schema for the
 * trainer, the CLI and the demo); the other sections are built from the same blocks, so that every problem reads
 * alike: `train.penalties.r1.gamma must be a positive number, got -1`. Unknown keys are refused everywhere.
 */
const runShape = {
  steps: f.positiveInt.optional(),
  epochs: f.positive.optional(),
  backend: f.choice(BACKENDS),
  logEvery: f.positiveInt,
  sampleEvery: f.positiveInt,
  checkpointEvery: f.positiveInt,
  evalEvery: f.nonNegativeInt,
  evalSamples: f.number('an integer ≥ 100', (n) => Number.isInteger(n) && n >= 100),
  keep: f.positiveInt,
};

const runSchema = f.object(runShape).refine((r) => (r.steps == null) !== (r.epochs == null), {
  error: 'must give exactly one of steps and epochs',
});

const modelSchema = f.object({
  family: f.choice(MODEL_FAMILIES as [string, ...string[]]),
  options: z.record(z.string(), z.unknown(), { error: 'an object of model options' }).optional(),
});

const dataSchema = f.object({ dataset: f.nonEmptyString });

export const runConfigSchema = f.object({
  preset: f.string,
  description: f.string,
  source: f.string,
  model: modelSchema,
  data: dataSchema,
  train: trainConfigSchema,
  run: runSchema,
});

/**
 * A partial config, as a --config file gives it: the same keys, every one optional (in `train`, `schedule` and each
 * optimiser key by key too), unknown keys refused.
 */
const partialSchema = f.object({
  preset: f.string.optional(),
  description: f.string.optional(),
  source: f.string.optional(),
  model: modelSchema.optional(),
  data: dataSchema.optional(),
  train: partialTrainConfigSchema.optional(),
  run: f.object(runShape).partial().optional(),
});

export type PartialRunConfig = z.infer<typeof partialSchema>;

/** A config that does not fit: one line per problem, each with its path in the file. */
function invalid(error: z.ZodError, value: unknown, where: string): UsageError {
  const lines = describeConfigIssues(error.issues, value, '').map((p) => `  ${p.message}`);
  return new UsageError(`${where} is not a valid gankit config:\n${lines.join('\n')}`);
}

export function parsePartialConfig(value: unknown, where: string): PartialRunConfig {
  const r = partialSchema.safeParse(value);
  if (!r.success) throw invalid(r.error, value, where);
  return r.data;
}

export function validateRunConfig(value: unknown, where: string): RunConfig {
  const r = runConfigSchema.safeParse(value);
  if (!r.success) throw invalid(r.error, value, where);
  return r.data as RunConfig;
}

/**
 * A run config of any kind: a GAN's, an image-to-image run's (pix2pix, inpainting, SRGAN) or an unpaired translation
 * run's (CycleGAN, DiscoGAN).
 */
export type AnyRunConfig = RunConfig | PairedRunConfig | CycleRunConfig;

const pairedSchema = pairedRunShape(runSchema as z.ZodType<RunSettings>);
const cycleSchema = cycleRunShape(runSchema as z.ZodType<RunSettings>);

/** Checks a run config of any kind, by its model's family. */
export function validateAnyRunConfig(value: unknown, where: string): AnyRunConfig {
  const model = value as { model?: { family?: unknown } };
  const schema = isPairedConfig(model) ? pairedSchema : isCycleConfig(model) ? cycleSchema : undefined;
  if (schema == null) return validateRunConfig(value, where);
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(r.error, value, where);
  return r.data as PairedRunConfig | CycleRunConfig;
}

export const isPaired = (config: AnyRunConfig): config is PairedRunConfig => isPairedConfig(config);
export const isCycle = (config: AnyRunConfig): config is CycleRunConfig => isCycleConfig(config);
/** A GAN run's config (noise → images or points), not a translation run's. */
export const isGan = (config: AnyRunConfig): config is RunConfig => !isPaired(config) && !isCycle(config);

const isObject = (v: unknown): v is Record<string, unknown> =>
  v != null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge of plain objects; arrays and values in `over` replace, and `null` removes the key (a preset's term). */
export function merge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = v === undefined ? out[k] : merge(out[k], v);
  }
  return out as T;
}
