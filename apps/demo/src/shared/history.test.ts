import { describe, expect, it } from 'vitest';
import { MetricHistory } from './history.js';

describe('MetricHistory', () => {
  it('keeps series by name and their latest value', () => {
    const h = new MetricHistory(10);
    h.push('dLoss', 1, 0.7);
    h.push('dLoss', 2, 0.6);
    h.push('modes', 2, 3);
    expect(h.get('dLoss')).toEqual({ x: [1, 2], y: [0.7, 0.6] });
    expect(h.latest('dLoss')).toBe(0.6);
    expect(h.latest('js')).toBeUndefined();
    expect(h.get('js')).toEqual({ x: [], y: [] });
    h.clear();
    expect(h.get('dLoss').x).toEqual([]);
  });

  it('stays bounded over a long visit by averaging neighbours, covering the whole run', () => {
    const h = new MetricHistory(100);
    for (let i = 1; i <= 100_000; i++) h.push('gLoss', i, i % 2 === 0 ? 1 : 3);
    const s = h.get('gLoss');
    expect(s.x.length).toBeLessThanOrEqual(101);
    expect(s.x.length).toBeGreaterThanOrEqual(50);
    expect(s.x[0]).toBeLessThan(2000);
    expect(s.x.at(-1)).toBeGreaterThan(98_000);
    // averaged pairs of 3 and 1 are 2: the mean survives halving
    expect(s.y.every((v) => v === 2)).toBe(true);
    // x increases evenly: every stored point stands for as many pushes
    const gaps = s.x.slice(1, -1).map((x, i) => x - s.x[i]!);
    expect(Math.max(...gaps)).toBe(Math.min(...gaps));
    expect(h.latest('gLoss')).toBe(2);
  });

  it('averages past non-finite values instead of spreading NaN', () => {
    const h = new MetricHistory(4);
    for (const [x, y] of [
      [1, 1],
      [2, Number.NaN],
      [3, 2],
      [4, 4],
      [5, 5],
    ] as const)
      h.push('dLoss', x, y);
    // 4 points reached: pairs merged (1 with NaN → 1, 2 with 4 → 3); the stride is now 2, 5 waits for a partner
    expect(h.get('dLoss')).toEqual({ x: [1.5, 3.5, 5], y: [1, 3, 5] });
    h.push('dLoss', 6, Number.NaN);
    expect(h.get('dLoss')).toEqual({ x: [1.5, 3.5, 5.5], y: [1, 3, 5] });
  });
});
