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

/** `tf.tidy` for a function returning a record of tensors (such as `{ y, state }`), keeping its type. */
export function tidyResult<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
