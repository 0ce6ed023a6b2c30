/**
 * Largest elementwise error of `actual` against `expected`, relative to the scale of `expected`
 * (|a − e| / max(|e|_∞, tiny)). Relative to the whole tensor's scale rather than each element's, so that entries
 * that happen to be near zero do not turn float32 rounding into huge relative errors.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`length mismatch: actual ${actual.length}, expected ${expected.length}`);
  }
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  scale = Math.max(scale, 1e-12);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / scale;
    if (!(err <= worst)) worst = err; // NaN propagates as the worst
  }
  return worst;
}
