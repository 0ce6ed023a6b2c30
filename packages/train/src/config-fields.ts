import { z } from 'zod';

/**
 * The building blocks of gankit's config schemas. Each states, in one phrase, what its value may be ("a positive
 * integer"), and every issue it raises carries that phrase — so that a problem reads
 * `<path> must be <phrase>, got <value>` (see config-problems.ts). The trainer CLI builds its own sections from
 * the same blocks, so its messages read alike.
 */

/** A number that `ok` accepts, described by `allowed` (z.number() already refuses NaN and ±Infinity). */
function number(allowed: string, ok: (n: number) => boolean = () => true) {
  return z.number({ error: allowed }).refine(ok, { error: allowed });
}

/** One of `values`. */
function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(', ')}` });
}

/**
 * An object with exactly these keys (unknown keys are refused: a misspelt key would otherwise be ignored without a
 * word, and its default used).
 */
function object<S extends z.ZodRawShape>(shape: S) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    // for unknown keys the message lists the allowed ones; for anything else it says what the value must be
    error: (issue) => (issue.code === 'unrecognized_keys' ? keys : `an object with ${keys}`),
  });
}

export const configFields = {
  number,
  choice,
  object,
  positive: number('a positive number', (n) => n > 0),
  positiveInt: number('a positive integer', (n) => Number.isInteger(n) && n > 0),
  nonNegative: number('a number ≥ 0', (n) => n >= 0),
  nonNegativeInt: number('an integer ≥ 0', (n) => Number.isInteger(n) && n >= 0),
  /** [0, 1): Adam's β, momentum, RMSprop's ρ. */
  unit: number('a number in [0, 1)', (n) => n >= 0 && n < 1),
  probability: number('a number in [0, 1]', (n) => n >= 0 && n <= 1),
  boolean: z.boolean({ error: 'true or false' }),
  string: z.string({ error: 'a string' }),
  nonEmptyString: z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' }),
};
