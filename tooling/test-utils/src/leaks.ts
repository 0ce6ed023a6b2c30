import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` `times` times and returns how many tensors each run left behind (should be 0): the count after the
 * first run is the baseline, so one-time allocations (optimizer slots, caches) are not counted as leaks.
 */
export async function tensorsLeakedPerRun(fn: () => unknown | Promise<unknown>, times = 5): Promise<number> {
  await fn();
  const baseline = tf.memory().numTensors;
  for (let i = 1; i < times; i++) await fn();
  return (tf.memory().numTensors - baseline) / Math.max(1, times - 1);
}
