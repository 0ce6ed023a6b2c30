import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.js';
import { DRAW_EXTENT, histogramGrid, MIXTURE_MEANS, makeData } from './distributions.js';

describe('playground distributions', () => {
  it('ring of 8 and grid of 25 come from @gankit/datasets with the chosen σ, inside the view', () => {
    const ring = makeData({ distribution: 'ring8', sigma: 0.05, points: [] });
    expect(ring.modes).toHaveLength(8);
    expect(ring.sigma).toBe(0.05);
    expect(ring.distribution.sigma).toBe(0.05);
    const grid = makeData({ distribution: 'grid25', sigma: 0.05, points: [] });
    expect(grid.modes).toHaveLength(25);
    for (const d of [ring, grid]) {
      const reach = Math.max(...d.modes.flat().map(Math.abs)) + 4 * d.sigma;
      expect(reach).toBeLessThan(d.extent);
    }
  });

  it('the 2-D mixture has its seven modes inside the view; samples are 2-D and reproducible', () => {
    const d = makeData({ distribution: 'mixture', sigma: 0.12, points: [] });
    expect(d.modes).toEqual(MIXTURE_MEANS.map((m) => [...m]));
    expect(Math.max(...d.modes.flat().map(Math.abs)) + 4 * 0.12).toBeLessThan(d.extent);
    const a = d.distribution.sample(100, 3);
    expect(a).toHaveLength(200);
    expect(d.distribution.sample(100, 3)).toEqual(a);
  });

  it('drawn points are the modes of the drawing, in the drawing view', () => {
    const points = [
      [0.5, 0.5],
      [-1, 0.25],
    ];
    const d = makeData({ distribution: 'draw', sigma: 0.05, points });
    expect(d.modes).toEqual(points);
    expect(d.extent).toBe(DRAW_EXTENT);
    const samples = d.distribution.sample(500, 1);
    for (let i = 0; i < 500; i++) {
      const near = points.some(
        ([x, y]) => Math.hypot(samples[2 * i]! - x!, samples[2 * i + 1]! - y!) < 6 * 0.05,
      );
      expect(near).toBe(true);
    }
    expect(() => makeData({ ...DEFAULT_CONFIG, distribution: 'draw', points: [] })).toThrow(
      /at least one point/,
    );
  });

  it('histograms cover the view', () => {
    expect(histogramGrid({ extent: 1.6 }, 20)).toEqual({ bins: 20, lo: -1.6, hi: 1.6 });
  });
});
