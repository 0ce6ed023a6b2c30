/**
 * Trains the feature extractor shipped for a dataset — reproducibly (seeded) — and writes its weights.
 *
 *   node --conditions=@gankit/source --import tsx scripts/train-classifier.ts mnist [--epochs 4] [--seed 1]
 *
 * Adam with the learning rate decaying linearly from 1e-3 to 1e-4.
 *
 * Prints the test accuracy reached; the weights go to weights/<dataset>-classifier.safetensors with the accuracy,
 * seed and epochs in their metadata.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, useBackend } from '@gankit/backends';
import { ImageBatcher, loadDataset } from '@gankit/datasets';
import { saveTrees, variablesOf } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { createClassifier } from '../src/extractors.js';

const { values, positionals } = parseArgs({
  options: {
    epochs: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '128' },
  },
  allowPositionals: true,
});
const dataset = positionals[0] ?? 'mnist';
const epochs = Number(values.epochs);
const seed = Number(values.seed);
const batchSize = Number(values.batch);

console.log(describeBackend(await useBackend('auto')));
const train = await loadDataset(dataset, { split: 'train' });
const test = await loadDataset(dataset, { split: 'test' });
const c = createClassifier(seed, dataset);
const vars = [...variablesOf(c.features.params), ...variablesOf(c.head.params)];
const opt = tf.train.adam(1e-3);
const batches = new ImageBatcher(train, { batchSize, seed, range: [0, 1], labels: 'onehot' });
const ctx = { training: true };
const logits = (x: tf.Tensor) =>
  c.layers.head.apply(c.head.params, {}, c.layers.features.apply(c.features.params, {}, x, ctx).y, ctx).y;
const start = performance.now();
for (let e = 0; e < epochs; e++) {
  let last = 0;
  for (let b = 0; b < batches.batchesPerEpoch; b++) {
    // linear decay from 1e-3 to 1e-4 over the run
    const progress = (e * batches.batchesPerEpoch + b) / (epochs * batches.batchesPerEpoch);
    (opt as unknown as { learningRate: number }).learningRate = 1e-3 * (1 - 0.9 * progress);
    const { images, labels } = batches.next();
    const loss = opt.minimize(
      () => tf.losses.softmaxCrossEntropy(labels!, logits(images)) as tf.Scalar,
      true,
      vars,
    )!;
    if (b % 100 === 0) last = (await loss.data())[0]!;
    tf.dispose([images, labels!, loss]);
    if (b % 20 === 0) await new Promise((r) => setTimeout(r, 0));
  }
  console.log(
    `epoch ${e + 1}/${epochs}: loss ${last.toFixed(4)} (${((performance.now() - start) / 1000).toFixed(0)} s)`,
  );
}
const evalBatches = new ImageBatcher(test, {
  batchSize: 500,
  shuffle: false,
  range: [0, 1],
  dropLast: false,
});
let correct = 0;
for (let b = 0; b < evalBatches.batchesPerEpoch; b++) {
  const { images, labels } = evalBatches.next();
  const predicted = tf.tidy(() => tf.argMax(logits(images), 1));
  const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(predicted, labels!), 'int32')));
  correct += (await hits.data())[0]!;
  tf.dispose([images, labels!, predicted, hits]);
}
const accuracy = correct / test.count;
console.log(
  `test accuracy: ${(100 * accuracy).toFixed(2)} % on ${test.count} ${dataset} test images (${test.source})`,
);
const bytes = await saveTrees(
  { params: { features: c.features.params, head: c.head.params } },
  {
    version: `1-seed${seed}-e${epochs}`,
    dataset,
    testAccuracy: accuracy.toFixed(4),
    trainedOn: train.source,
  },
);
const out = resolve(import.meta.dirname, '..', 'weights', `${dataset}-classifier.safetensors`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
console.log(`weights: ${out} (${(bytes.length / 1024).toFixed(0)} KiB)`);
