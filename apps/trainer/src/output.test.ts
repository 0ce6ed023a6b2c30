import { describe, expect, it } from 'vitest';
import { progressLine } from './output.js';

describe('progressLine', () => {
  it('shows both losses, and G alone while a phase trains no D (not a NaN that reads as a failure)', () => {
    expect(progressLine(120, 400, 3.1, 0.6123, 1.92)).toBe(
      '[#######-----------------] 120/400 30% · 3.10 steps/s · ETA 1:30 · D 0.612 G 1.920',
    );
    expect(progressLine(10, 40, 2, Number.NaN, 0.0741, 'pretrain')).toMatch(
      /· G 0\.074 \(pretrain: G alone\)$/,
    );
    // a NaN anywhere else is shown as it is
    expect(progressLine(10, 40, 2, Number.NaN, 0.0741, 'adversarial')).toMatch(/· D NaN G 0\.074$/);
  });
});
