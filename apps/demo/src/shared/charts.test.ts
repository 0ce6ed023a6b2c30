import { describe, expect, it } from 'vitest';
import { formatTick, linear, niceTicks, stepRange, valueRange } from './charts.js';

describe('chart scales', () => {
  it('ticks are round numbers inside the range', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.62, 1.41, 3)).toEqual([0.8, 1, 1.2, 1.4]);
    expect(niceTicks(-3, 7, 2)).toEqual([0, 5]);
    expect(niceTicks(2, 2)).toEqual([2]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
    for (const t of niceTicks(0.001, 0.0093, 4)) expect(String(t).length).toBeLessThan(8);
  });

  it('the value range ignores non-finite values, is padded, and honours fixed bounds', () => {
    const s = { x: [1, 2, 3], y: [1, Number.NaN, 3] };
    const [lo, hi] = valueRange([s]);
    expect(lo).toBeLessThan(1);
    expect(hi).toBeGreaterThan(3);
    expect(valueRange([s], { min: 0, max: 8 })).toEqual([0, 8]);
    const [emptyLo, emptyHi] = valueRange([{ x: [], y: [] }]);
    expect(emptyLo).toBeCloseTo(-0.08, 12);
    expect(emptyHi).toBeCloseTo(1.08, 12);
    const [flatLo, flatHi] = valueRange([{ x: [1], y: [2] }]);
    expect(flatLo).toBeLessThan(2);
    expect(flatHi).toBeGreaterThan(2);
  });

  it('the step range spans every series, at least one step wide', () => {
    expect(
      stepRange([
        { x: [5, 9], y: [0, 0] },
        { x: [2, 4], y: [0, 0] },
      ]),
    ).toEqual([2, 9]);
    expect(stepRange([{ x: [3], y: [0] }])).toEqual([3, 4]);
    expect(stepRange([])).toEqual([0, 1]);
  });

  it('linear maps and tick labels', () => {
    const f = linear(0, 10, 100, 0);
    expect(f(0)).toBe(100);
    expect(f(2.5)).toBe(75);
    expect(linear(1, 1, 0, 10)(5)).toBe(0);
    expect([0, 0.05, 12, 1500, 25000].map(formatTick)).toEqual(['0', '0.05', '12', '1.5k', '25k']);
  });
});
