import type { Rng } from './types.js';

/**
 * The one seeded-random module of gankit (layers, datasets, models, metrics, train and the test helpers draw
 * from it): seeds and their derivation (`rngFromSeed`, `splitRng`, `foldIn`, training's `keyFor`), a uniform
 * stream (mulberry32), normal draws (Box–Muller) and permutations.
 */

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

/**
 * One standard normal draw from a uniform stream (Box–Muller, the cosine half): two uniforms per draw, so a
 * consumer can interleave other uniforms (InfoGAN codes, truncation's redraws) and still read one stream.
 */
export function gaussian(u: () => number): number {
  const [g] = boxMuller(u);
  return g;
}

/** A standard normal generator over `uniformStream`: both halves of each Box–Muller pair, for bulk draws. */
export function normalStream(rng: Rng): () => number {
  const u = uniformStream(rng);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const [g, next] = boxMuller(u);
    spare = next;
    return g;
  };
}

/** The Box–Muller transform of two uniforms from `u`, the first kept away from 0 (log 0). */
function boxMuller(u: () => number): [number, number] {
  let a = u();
  while (a <= Number.MIN_VALUE) a = u();
  const b = u();
  const r = Math.sqrt(-2 * Math.log(a));
  return [r * Math.cos(2 * Math.PI * b), r * Math.sin(2 * Math.PI * b)];
}

/** A seeded permutation of 0..n−1 (Fisher–Yates over `uniformStream`). */
export function permutation(n: number, seed: number): Uint32Array {
  const p = Uint32Array.from({ length: n }, (_, i) => i);
  const u = uniformStream(seed >>> 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}

/**
 * A counter-based key for one random draw of training, from (seed, step, purpose, index): the random state of a
 * run is just its seed and step counter, so a resumed run draws exactly what an uninterrupted one would. (An
 * FNV-1a-style hash of the fields with a xorshift-multiply after each; unlike `foldIn`, the purpose is a name.)
 */
export function keyFor(seed: number, step: number, purpose: string, index = 0): number {
  let h = 0x811c9dc5 ^ seed;
  const mix = (v: number) => {
    h = Math.imul(h ^ v, 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  };
  mix(step >>> 0);
  mix(Math.floor(step / 4294967296));
  for (let i = 0; i < purpose.length; i++) mix(purpose.charCodeAt(i));
  mix(index);
  return h >>> 0;
}
