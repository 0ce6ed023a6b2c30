import { describe, expect, it } from 'vitest';
import { fidBy, renderQuality, trainingTimeline } from './quality-report.js';

describe('FID against wall time', () => {
  // steps at 10 s and 30 s of wall time; the first evaluation takes 5 s (10 → 15), the second 4 s (30 → 34)
  const lines = [
    { type: 'step', step: 1, time: 10 },
    {
      type: 'eval',
      step: 1,
      time: 15,
      records: [
        { metric: 'kid', value: 9 },
        { metric: 'fid', value: 300 },
      ],
    },
    { type: 'sample', step: 1 },
    { type: 'step', step: 2, time: 30 },
    { type: 'eval', step: 2, time: 34, records: [{ metric: 'fid', value: 120 }] },
  ];

  it('leaves the time of earlier evaluations out of the training time', () => {
    expect(trainingTimeline(lines)).toEqual([
      { step: 1, trainSeconds: 10, fid: 300 },
      { step: 2, trainSeconds: 25, fid: 120 },
    ]);
  });

  it('an evaluation between logged steps takes the last logged step before it', () => {
    const between = [
      { type: 'step', step: 10, time: 10 },
      { type: 'eval', step: 13, time: 15, records: [{ metric: 'fid', value: 200 }] },
      { type: 'step', step: 20, time: 25 },
      { type: 'eval', step: 20, time: 29, records: [{ metric: 'fid', value: 100 }] },
    ];
    expect(trainingTimeline(between)).toEqual([
      { step: 13, trainSeconds: 10, fid: 200 },
      { step: 20, trainSeconds: 20, fid: 100 },
    ]);
  });

  it('tabulates the best FID reached by each mark, and every evaluation', () => {
    const run = { preset: 'p', steps: 2, samples: 200, wallSeconds: 40, points: trainingTimeline(lines) };
    expect(fidBy(run, 5)).toBeUndefined();
    expect(fidBy(run, 20)).toBe(300);
    expect(fidBy(run, 300)).toBe(120);
    const md = renderQuality({ date: '2026-12-03T00:00:00Z', threads: 2, runs: [run] });
    expect(md).toContain('| p | 2 | 120 | 120 | 120 | 120 | 0.4 min | 0.7 min |');
    expect(md).toContain('- p (200 samples): 1 @ 0.2 min: 300 · 2 @ 0.4 min: 120');
  });
});
