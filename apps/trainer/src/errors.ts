/** Bad input from the user (flags, files, folders): reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes: 0 ok, 1 failure, 2 bad input, 130 interrupted (a checkpoint was saved). */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return d[a.length]![b.length]!;
}

/** `unknown X 'v'; did you mean 'w'? valid: …` */
export function unknownChoice(what: string, value: string, valid: readonly string[]): UsageError {
  const best = [...valid].sort((a, b) => distance(value, a) - distance(value, b))[0];
  const hint =
    best != null && distance(value, best) <= Math.max(2, best.length / 3) ? ` (did you mean '${best}'?)` : '';
  return new UsageError(`unknown ${what} '${value}'${hint}; valid: ${valid.join(', ')}`);
}
