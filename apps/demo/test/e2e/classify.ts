/** The MNIST classifier (@gankit/metrics' shipped extractor) on the wasm backend, in the test process. */
import { useBackend } from '@gankit/backends';
import { type FeatureExtractor, loadShippedExtractor } from '@gankit/metrics';
import * as tf from '@tensorflow/tfjs-core';

let classifier: FeatureExtractor | undefined;

/** The predicted class of each of `samples` (in the generator's range `[lo, hi]`). */
export async function classify(samples: {
  values: number[];
  shape: number[];
  range: [number, number];
}): Promise<number[]> {
  if (classifier == null) {
    await useBackend('wasm');
    classifier = await loadShippedExtractor('mnist');
  }
  const model = classifier;
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
  classifier?.dispose();
  classifier = undefined;
}
