import { ADVERSARIAL_LOSSES } from '@gankit/losses';
import { MODEL_FAMILIES, type ModelSpec } from '@gankit/models';
import type { TrainConfig } from '@gankit/train';
import { z } from 'zod';
import { UsageError } from './errors.js';

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

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const unit = z.number().min(0).lt(1);

const optimizer = z
  .object({
    kind: z.enum(['adam', 'sgd', 'rmsprop']),
    learningRate: positive,
    beta1: unit.optional(),
    beta2: unit.optional(),
    epsilon: positive.optional(),
    momentum: unit.optional(),
    rho: unit.optional(),
  })
  .strict();

const lossNames = Object.keys(ADVERSARIAL_LOSSES) as [string, ...string[]];

const trainSchema = z
  .object({
    seed: z.number().int().min(0),
    batchSize: positiveInt,
    generatorBatchSize: positiveInt.optional(),
    loss: z.enum(lossNames),
    realLabel: z.number().gt(0).max(1).optional(),
    schedule: z.object({ dSteps: positiveInt, gSteps: positiveInt }).strict(),
    optimizers: z.object({ generator: optimizer, discriminator: optimizer }).strict(),
    lrSchedule: z
      .union([
        z.object({ kind: z.literal('constant') }).strict(),
        z
          .object({ kind: z.literal('linear'), totalSteps: positiveInt, final: z.number().min(0).optional() })
          .strict(),
      ])
      .optional(),
    penalties: z
      .object({
        gradientPenalty: z.object({ weight: positive, oneSided: z.boolean().optional() }).strict().optional(),
        r1: z.object({ gamma: positive, every: positiveInt.optional() }).strict().optional(),
        r2: z.object({ gamma: positive, every: positiveInt.optional() }).strict().optional(),
        drift: z.object({ epsilon: positive.optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    clipGradNorm: z
      .object({ generator: positive.optional(), discriminator: positive.optional() })
      .strict()
      .optional(),
    weightClip: positive.optional(),
    ema: z
      .object({ decay: z.number().gt(0).lt(1), warmup: z.boolean().optional() })
      .strict()
      .optional(),
    replay: z
      .object({ size: positiveInt, probability: z.number().min(0).max(1) })
      .strict()
      .optional(),
    augment: z.array(z.enum(['color', 'translation', 'cutout'])).optional(),
    instanceNoise: z
      .object({ initial: z.number().min(0), decaySteps: positiveInt })
      .strict()
      .optional(),
    auxiliaryWeight: z.number().min(0).optional(),
    infoWeight: z
      .object({ categorical: z.number().min(0).optional(), continuous: z.number().min(0).optional() })
      .strict()
      .optional(),
  })
  .strict();

const runSchema = z
  .object({
    steps: positiveInt.optional(),
    epochs: positive.optional(),
    backend: z.enum(BACKENDS),
    logEvery: positiveInt,
    sampleEvery: positiveInt,
    checkpointEvery: positiveInt,
    evalEvery: z.number().int().min(0),
    evalSamples: z.number().int().min(100),
    keep: positiveInt,
  })
  .strict()
  .refine((r) => (r.steps == null) !== (r.epochs == null), {
    message: 'give exactly one of steps and epochs',
  });

const modelSchema = z
  .object({
    family: z.enum(MODEL_FAMILIES as [string, ...string[]]),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const runConfigSchema = z
  .object({
    preset: z.string(),
    description: z.string(),
    source: z.string(),
    model: modelSchema,
    data: z.object({ dataset: z.string().min(1) }).strict(),
    train: trainSchema,
    run: runSchema,
  })
  .strict();

/** A partial config, as a --config file gives it: the same keys, every one optional, unknown keys refused. */
const partialSchema = z
  .object({
    preset: z.string().optional(),
    description: z.string().optional(),
    source: z.string().optional(),
    model: modelSchema.optional(),
    data: z
      .object({ dataset: z.string().min(1) })
      .strict()
      .optional(),
    train: trainSchema.partial().optional(),
    run: z
      .object({
        steps: positiveInt.optional(),
        epochs: positive.optional(),
        backend: z.enum(BACKENDS).optional(),
        logEvery: positiveInt.optional(),
        sampleEvery: positiveInt.optional(),
        checkpointEvery: positiveInt.optional(),
        evalEvery: z.number().int().min(0).optional(),
        evalSamples: z.number().int().min(100).optional(),
        keep: positiveInt.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type PartialRunConfig = z.infer<typeof partialSchema>;

/** zod issues as one line each: `where: what` with the path into the file. */
function describeIssues(error: z.ZodError, where: string): string {
  return error.issues
    .map((i) => {
      const path = i.path.length ? i.path.join('.') : '(top level)';
      return `  ${where} ${path}: ${i.message}`;
    })
    .join('\n');
}

export function parsePartialConfig(value: unknown, where: string): PartialRunConfig {
  const r = partialSchema.safeParse(value);
  if (!r.success)
    throw new UsageError(`${where} is not a valid gankit config:\n${describeIssues(r.error, where)}`);
  return r.data;
}

export function validateRunConfig(value: unknown, where: string): RunConfig {
  const r = runConfigSchema.safeParse(value);
  if (!r.success)
    throw new UsageError(`${where} is not a valid gankit config:\n${describeIssues(r.error, where)}`);
  return r.data as RunConfig;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v != null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge of plain objects; arrays and values in `over` replace. */
export function merge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = v === undefined ? out[k] : merge(out[k], v);
  return out as T;
}
