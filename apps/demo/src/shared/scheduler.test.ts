import { describe, expect, it, vi } from 'vitest';
import { debounce, FrameScheduler, SerialQueue } from './scheduler.js';

describe('FrameScheduler', () => {
  it('trains within the frame budget, then yields', () => {
    const s = new FrameScheduler({ budgetMs: 10 });
    expect(s.keepTraining(100, 100)).toBe(true);
    expect(s.keepTraining(100, 109.9)).toBe(true);
    expect(s.keepTraining(100, 110)).toBe(false);
  });

  it('reads the visuals at once, then every readEveryMs when reads are fast', () => {
    const s = new FrameScheduler({ readEveryMs: 200, maxReadShare: 0.25 });
    expect(s.readDue(0)).toBe(true);
    s.readDone(0, 20); // a 20 ms read: 200 ms apart keeps it under 25%
    expect(s.readInterval).toBe(200);
    expect(s.readDue(219)).toBe(false);
    expect(s.readDue(220)).toBe(true);
  });

  it('spaces slow reads out so they take at most maxReadShare of the time (software WebGPU)', () => {
    const s = new FrameScheduler({ readEveryMs: 200, maxReadShare: 0.25 });
    s.readDone(1000, 1900); // 900 ms: wait 2700 ms, reads are then 900 / 3600 = 25% of the time
    expect(s.readInterval).toBeCloseTo(2700, 9);
    expect(s.readDue(1900 + 2699)).toBe(false);
    expect(s.readDue(1900 + 2700)).toBe(true);
    s.reset();
    expect(s.readDue(1901)).toBe(true);
  });

  it('rejects nonsense options', () => {
    expect(() => new FrameScheduler({ maxReadShare: 1 })).toThrow(/maxReadShare/);
    expect(() => new FrameScheduler({ budgetMs: 0 })).toThrow(/budgetMs/);
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time in order, even when they await', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([q.run(task('a', 20)), q.run(task('b', 1)), q.run(() => 'c')]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(q.size).toBe(0);
  });

  it('goes on after a failed task and reports the failure to its caller only', async () => {
    const q = new SerialQueue();
    const failed = q.run(() => Promise.reject(new Error('boom')));
    const next = q.run(() => 2);
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe(2);
    await q.idle();
  });
});

describe('debounce', () => {
  it('calls once with the last arguments after a quiet period; cancel drops it', () => {
    vi.useFakeTimers();
    try {
      const fn = vi.fn();
      const d = debounce(fn, 100);
      d(1);
      vi.advanceTimersByTime(50);
      d(2);
      vi.advanceTimersByTime(99);
      expect(fn).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(fn).toHaveBeenCalledExactlyOnceWith(2);
      d(3);
      d.cancel();
      vi.advanceTimersByTime(500);
      expect(fn).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
