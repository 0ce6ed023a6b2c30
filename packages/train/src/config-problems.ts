import type { z } from 'zod';
import type { PartialTrainConfig, TrainConfig } from './config.js';
import { partialTrainConfigSchema, trainConfigSchema } from './config-schema.js';

/**
 * Config problems as sentences that name the field, the bad value and what is allowed:
 *
 * - `config.penalties.r1.gamma must be a positive number, got -1`
 * - `config.schedule.dSteps is missing: it must be a positive integer`
 * - `config has an unknown key 'lr'; allowed: seed, batchSize, …`
 * - `config.loss must be one of minimax, non-saturating, …, or a GanLoss value, got 'wgan'`
 *
 * They rely on the messages of config-fields.ts: each is what the value must be ("a positive integer"), or a whole
 * requirement starting with "must" (a check across keys); for unknown keys, the allowed keys.
 */
export interface ConfigProblem {
  /** Where, below the root: `penalties.r1.gamma`, `augment[1]`; '' for the config itself. */
  path: string;
  /** The whole sentence, from the root: `config.penalties.r1.gamma must be a positive number, got -1`. */
  message: string;
}

/** A config that does not fit its schema; `problems` lists every problem, `message` them all, one a line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

const pathText = (path: readonly PropertyKey[]): string =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path)
    v = typeof v === 'object' && v != null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** A value as a message shows it: strings quoted, long JSON cut short. */
function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'function') return 'a function';
  if (typeof v !== 'object' || v == null) return String(v);
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** Sentences for zod's issues with `input`, paths written from `root` ('' for none: `the config` then). */
export function describeConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  root = 'config',
): ConfigProblem[] {
  return issues.map((issue) => {
    const path = pathText(issue.path);
    const where = (root && path && !path.startsWith('[') ? `${root}.${path}` : root + path) || 'the config';
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `'${k}'`).join(', ');
      const unknown = issue.keys.length === 1 ? 'an unknown key' : 'unknown keys';
      return { path, message: `${where} has ${unknown} ${keys}; allowed: ${issue.message}` };
    }
    // a requirement across keys names the keys itself: the whole object after it would only hide them
    if (issue.message.startsWith('must ')) return { path, message: `${where} ${issue.message}` };
    const value = valueAt(input, issue.path);
    if (value === undefined) return { path, message: `${where} is missing: it must be ${issue.message}` };
    return { path, message: `${where} must be ${issue.message}, got ${show(value)}` };
  });
}

/** Every problem of `value` against `schema` (none: it fits). */
export function schemaProblems(schema: z.ZodType, value: unknown, root = 'config'): ConfigProblem[] {
  const r = schema.safeParse(value);
  return r.success ? [] : describeConfigIssues(r.error.issues, value, root);
}

/** `value` as `schema`'s output, or a {@link ConfigError} naming every problem. */
export function parseWithSchema<T>(schema: z.ZodType<T>, value: unknown, root = 'config'): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ConfigError(describeConfigIssues(r.error.issues, value, root));
  return r.data;
}

/** Every problem of a whole {@link TrainConfig} (GAN-independent: `validateConfig` checks it against the GAN). */
export function trainConfigProblems(value: unknown, root = 'config'): ConfigProblem[] {
  return schemaProblems(trainConfigSchema, value, root);
}

/** A whole {@link TrainConfig}, checked; throws a {@link ConfigError} naming every problem. */
export function parseTrainConfig(value: unknown, root = 'config'): TrainConfig {
  return parseWithSchema(trainConfigSchema, value, root);
}

/** The parts of a config that `resolveConfig` completes, checked. */
export function parsePartialTrainConfig(value: unknown, root = 'config'): PartialTrainConfig {
  return parseWithSchema(partialTrainConfigSchema, value, root);
}
