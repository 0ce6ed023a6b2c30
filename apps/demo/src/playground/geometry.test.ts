import { describe, expect, it } from 'vitest';
import {
  arrows,
  FAKE_COLOR,
  gridLines,
  heatLevels,
  heatmapGrid,
  heatmapPixels,
  latentGrid,
  levelColor,
  REAL_COLOR,
  Viewport,
} from './geometry.js';

describe('viewport', () => {
  it('maps the square onto the canvas with y up, and back', () => {
    const v = new Viewport(2, 400);
    expect(v.scale).toBe(100);
    expect(v.toCanvas(-2, 2)).toEqual([0, 0]);
    expect(v.toCanvas(0, 0)).toEqual([200, 200]);
    expect(v.toCanvas(2, -2)).toEqual([400, 400]);
    const [x, y] = v.toWorld(...v.toCanvas(0.3, -1.1));
    expect(x).toBeCloseTo(0.3, 12);
    expect(y).toBeCloseTo(-1.1, 12);
    expect(v.contains(1.9, -2)).toBe(true);
    expect(v.contains(2.1, 0)).toBe(false);
    expect(() => new Viewport(0, 10)).toThrow(/positive/);
  });
});

describe('grids', () => {
  it('heatmap cells are centred and row-major from the top-left, like image pixels', () => {
    const g = heatmapGrid(1, 4);
    expect(g).toHaveLength(32);
    expect([g[0], g[1]]).toEqual([-0.75, 0.75]); // top-left
    expect([g[6], g[7]]).toEqual([0.75, 0.75]); // top-right
    expect([g[30], g[31]]).toEqual([0.75, -0.75]); // bottom-right
    // every cell centre is inside the view, at the same spacing
    for (let i = 0; i < 16; i++)
      expect(Math.max(Math.abs(g[2 * i]!), Math.abs(g[2 * i + 1]!))).toBeLessThan(1);
  });

  it('the latent grid spans [−range, range]² with point (i, j) at i·n + j', () => {
    const z = latentGrid(3, 2);
    expect(Array.from(z)).toEqual([-2, -2, 0, -2, 2, -2, -2, 0, 0, 0, 2, 0, -2, 2, 0, 2, 2, 2]);
    expect(() => latentGrid(1)).toThrow(/≥ 2/);
  });

  it('grid lines are the rows and then the columns', () => {
    expect(gridLines(2)).toEqual([
      [0, 1],
      [2, 3],
      [0, 2],
      [1, 3],
    ]);
    expect(gridLines(21)).toHaveLength(42);
  });
});

describe('heatmap colours', () => {
  it('logits become probabilities σ(logit)', () => {
    const l = heatLevels([0, 100, -100, Math.log(3)], 'logits');
    expect(l[0]).toBe(0.5);
    expect(l[1]).toBeCloseTo(1, 6);
    expect(l[2]).toBeCloseTo(0, 6);
    expect(l[3]).toBeCloseTo(0.75, 6);
  });

  it('critic values are normalised over the grid; a flat critic is neutral; non-finite values are neutral', () => {
    expect(Array.from(heatLevels([-3, 1, 5], 'critic'))).toEqual([0, 0.5, 1]);
    expect(Array.from(heatLevels([2, 2, 2], 'critic'))).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(heatLevels([0, Number.NaN, 4], 'critic'))).toEqual([0, 0.5, 1]);
  });

  it('fake is purple, real is green, undecided is near white', () => {
    const fake = levelColor(0, 1);
    const real = levelColor(1, 1);
    expect(fake).toEqual(FAKE_COLOR);
    expect(real).toEqual(REAL_COLOR);
    expect(Math.min(...levelColor(0.5))).toBeGreaterThan(240);
    expect(levelColor(Number.NaN)).toEqual(levelColor(0.5));
    const px = heatmapPixels([0, 1, 0.5, 0.5], 2);
    expect(px).toHaveLength(16);
    expect(Array.from(px.subarray(0, 4))).toEqual([...levelColor(0), 255]);
    expect(() => heatmapPixels([0, 1], 2)).toThrow(/2×2/);
  });
});

describe('gradient arrows', () => {
  it('keep direction, scale the longest to maxLength, and drop non-finite ones', () => {
    const list = arrows([0, 0, 1, 1, 2, 2], [3, 4, 0, -0.5, Number.NaN, 1], 0.2);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ x: 0, y: 0 });
    expect(Math.hypot(list[0]!.dx, list[0]!.dy)).toBeCloseTo(0.2, 12);
    expect(list[0]!.dx / list[0]!.dy).toBeCloseTo(3 / 4, 12);
    expect(list[1]!.dx).toBeCloseTo(0, 12);
    expect(list[1]!.dy).toBeCloseTo(-0.02, 12);
    expect(arrows([0, 0], [0, 0], 1)).toEqual([{ x: 0, y: 0, dx: 0, dy: 0 }]);
    expect(() => arrows([0, 0], [], 1)).toThrow(/directions/);
  });
});
