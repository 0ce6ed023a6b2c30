/** The MNIST and Fashion-MNIST classifiers (@gankit/metrics' shipped extractors) on wasm, in the test process. */
import { useBackend } from '@gankit/backends';
import { type FeatureExtractor, loadShippedExtractor } from '@gankit/metrics';
import * as tf from '@tensorflow/tfjs-core';

const classifiers = new Map<string, FeatureExtractor>();

/** The predicted class of each of `samples` (in the generator's range `[lo, hi]`), by `dataset`'s classifier. */
export async function classify(
  samples: {
    values: number[];
    shape: number[];
    range: [number, number];
  },
  dataset: 'mnist' | 'fashion-mnist' = 'mnist',
): Promise<number[]> {
  let model = classifiers.get(dataset);
  if (model == null) {
    await useBackend('wasm');
    model = await loadShippedExtractor(dataset);
    classifiers.set(dataset, model);
  }
  const [lo, hi] = samples.range;
  const predicted = tf.tidy(() => {
    const x = tf.tensor4d(samples.values, samples.shape as [number, number, number, number]);
    const unit = tf.clipByValue(tf.div(tf.sub(x, lo), hi - lo), 0, 1) as tf.Tensor4D;
    return tf.argMax(model.logits!(unit), 1);
  });
  try {
    return Array.from(await predicted.data());
  } finally {
    predicted.dispose();
  }
}

export function disposeClassifier(): void {
  for (const c of classifiers.values()) c.dispose();
  classifiers.clear();
}
