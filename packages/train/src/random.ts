/**
 * Counter-based randomness: every random draw of training is keyed by (seed, step, purpose), so the random state
 * is just the seed and the step counter — a resumed run draws exactly what an uninterrupted one would.
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
/** A seeded uniform [0, 1) stream (mulberry32). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
