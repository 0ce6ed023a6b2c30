import { gaussian, uniformStream } from '@gankit/layers';

/**
 * Seeded draws for data order, sampling and augmentation, from gankit's one random module (`@gankit/layers`):
 * `uniform(seed)` is its uniform [0, 1) stream (mulberry32).
 */
export { permutation, uniformStream as uniform } from '@gankit/layers';

/** A seeded standard-normal stream (one Box–Muller draw per value). */
export function normal(seed: number): () => number {
  const u = uniformStream(seed);
  return () => gaussian(u);
}
