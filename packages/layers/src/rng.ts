import type { Rng } from './types.js';

/** A seed from any integer. */
export function rngFromSeed(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new Error(`rngFromSeed: seed must be an integer, got ${seed}`);
  return mix32(seed >>> 0);
}

/** `n` independent seeds derived from `rng` (a counter hashed with a 32-bit finaliser, as in splitmix). */
export function splitRng(rng: Rng, n: number): Rng[] {
  return Array.from({ length: n }, (_, i) => mix32((rng + Math.imul(i + 1, 0x9e3779b9)) >>> 0));
}

/** A new seed for step `step` of a stream rooted at `rng`, e.g. one dropout seed per training step. */
export function foldIn(rng: Rng, step: number): Rng {
  return mix32((rng ^ mix32(step >>> 0)) >>> 0);
}

function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A uniform [0, 1) generator (mulberry32) for a seed. */
export function uniformStream(rng: Rng): () => number {
  let a = rng >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal generator (Box–Muller over `uniformStream`). */
export function normalStream(rng: Rng): () => number {
  const u = uniformStream(rng);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let a = u();
    while (a <= Number.MIN_VALUE) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}
