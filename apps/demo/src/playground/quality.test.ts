import { describe, expect, it } from 'vitest';
import { makeData } from './distributions.js';
import { sampleQuality } from './quality.js';

describe('sampleQuality (PacGAN mode coverage and histogram JS via @gankit/metrics)', () => {
  const data = makeData({ distribution: 'ring8', sigma: 0.05, points: [] });
  const real = data.distribution.sample(4096, 1);

  it('samples of the distribution itself cover every mode, mostly within 3σ, with a small JS divergence', () => {
    const q = sampleQuality(data.distribution.sample(1024, 2), real, data);
    expect(q).toMatchObject({ modesCovered: 8, modes: 8, samples: 1024 });
    expect(q.highQuality).toBeGreaterThan(0.95);
    expect(q.js).toBeLessThan(0.35);
  });

  it('a collapsed generator covers one mode and is far in JS', () => {
    const collapsed = new Float32Array(2048);
    for (let i = 0; i < 1024; i++) {
      collapsed[2 * i] = 1 + 0.01 * Math.sin(i);
      collapsed[2 * i + 1] = 0.01 * Math.cos(i);
    }
    const q = sampleQuality(collapsed, real, data);
    expect(q.modesCovered).toBe(1);
    expect(q.js).toBeGreaterThan(0.5);
  });

  it('an untrained generator near the origin covers nothing', () => {
    const q = sampleQuality(new Float32Array(512).fill(0.01), real, data);
    expect(q.modesCovered).toBe(0);
    expect(q.highQuality).toBe(0);
    expect(q.js).toBeCloseTo(Math.log(2), 2);
  });

  it('scores a drawing against its own points', () => {
    const drawing = makeData({ distribution: 'draw', sigma: 0.05, points: [[0.5, 0.5]] });
    const q = sampleQuality(
      new Float32Array([0.5, 0.5, 0.52, 0.49]),
      drawing.distribution.sample(512, 1),
      drawing,
    );
    expect(q).toMatchObject({ modesCovered: 1, modes: 1, highQuality: 1 });
  });
});
