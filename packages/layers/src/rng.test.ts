import { describe, expect, it } from 'vitest';
import {
  foldIn,
  gaussian,
  keyFor,
  normalStream,
  permutation,
  rngFromSeed,
  splitRng,
  uniformStream,
} from './rng.js';

// Pinned values: the streams every package draws from (data order, toy data, initialisers, training's keys) must
// not change by accident — a change would change every seeded run. These were produced by the copies the one
// module replaced (train's keyFor, datasets' uniform/normal/permutation).
describe('the one seeded-random module', () => {
  it('keeps the uniform stream (mulberry32), the data normal draws and the permutation', () => {
    const u = uniformStream(3);
    expect([u(), u()]).toEqual([0.7202267837710679, 0.03866216051392257]);
    const v = uniformStream(3);
    expect([gaussian(v), gaussian(v), gaussian(v)]).toEqual([
      0.7863846115586807, 1.1165721295549837, -0.7303775654921002,
    ]);
    expect(Array.from(permutation(10, 5))).toEqual([5, 3, 7, 8, 2, 0, 4, 1, 9, 6]);
  });

  it("keeps training's keys", () => {
    expect(keyFor(7, 120, 'augment')).toBe(379136949);
    expect(keyFor(0, 0, 'G')).toBe(3270705996);
    // steps past 2³² and an index are part of the key
    expect(keyFor(1, 2 ** 33 + 5, 'noise-real', 3)).toBe(2608877299);
    expect(keyFor(1, 5, 'noise-real', 3)).not.toBe(2608877299);
  });

  it('normalStream gives both halves of each Box–Muller pair, the first equal to gaussian', () => {
    const n = normalStream(rngFromSeed(11));
    const u = uniformStream(rngFromSeed(11));
    const first = n();
    expect(first).toBe(gaussian(u));
    const second = n();
    // the sine half of the same pair: cos² + sin² leaves the pair's radius², −2 ln of its first uniform
    const a = uniformStream(rngFromSeed(11))();
    expect(first ** 2 + second ** 2).toBeCloseTo(-2 * Math.log(a), 10);
    expect(n()).toBe(gaussian(u));
  });

  it('draws N(0, 1) and U(0, 1) (moments of 200k draws)', () => {
    const u = uniformStream(rngFromSeed(1));
    const g = normalStream(rngFromSeed(2));
    const h = uniformStream(rngFromSeed(3));
    const n = 200_000;
    const moments = (draw: () => number) => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        s += x;
        s2 += x * x;
      }
      return { mean: s / n, variance: s2 / n - (s / n) ** 2 };
    };
    const mu = moments(u);
    expect(mu.mean).toBeCloseTo(0.5, 2);
    expect(mu.variance).toBeCloseTo(1 / 12, 2);
    for (const m of [moments(g), moments(() => gaussian(h))]) {
      // standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance
      expect(Math.abs(m.mean)).toBeLessThan(0.01);
      expect(Math.abs(m.variance - 1)).toBeLessThan(0.015);
    }
  });

  it('derives distinct seeds: split children, folded steps, and refuses a non-integer seed', () => {
    const root = rngFromSeed(42);
    const children = splitRng(root, 1000);
    expect(new Set(children).size).toBe(1000);
    const steps = Array.from({ length: 1000 }, (_, i) => foldIn(root, i));
    expect(new Set(steps).size).toBe(1000);
    expect(() => rngFromSeed(1.5)).toThrow(/seed must be an integer/);
  });
});
