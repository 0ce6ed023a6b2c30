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
export { uniformStream as uniform } from '@gankit/layers';
