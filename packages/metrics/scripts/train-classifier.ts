/**
 * Trains the feature extractor shipped for a dataset — reproducibly (seeded) — and writes its weights.
 *
 *   node --conditions=@gankit/source --import tsx scripts/train-classifier.ts mnist [--epochs 8] [--seed 1] [--shift 2]
 *
 * Adam with the learning rate decaying linearly from 1e-3 to 1e-5; each training image is shifted by a seeded random
 * offset of up to ±2 pixels (`--shift`), the usual augmentation for digit classifiers.
 *
 * Prints the test accuracy reached; the weights go to weights/<dataset>-classifier.safetensors with the accuracy,
 * seed and epochs in their metadata.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, useBackend } from '@gankit/backends';
import { ImageBatcher, loadDataset, uniform } from '@gankit/datasets';
import { saveTrees, variablesOf } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { createClassifier } from '../src/extractors.js';

const { values, positionals } = parseArgs({
  options: {
    epochs: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '128' },
    shift: { type: 'string', default: '2' },
  },
  allowPositionals: true,
});
const dataset = positionals[0] ?? 'mnist';
const epochs = Number(values.epochs);
const seed = Number(values.seed);
const batchSize = Number(values.batch);
const maxShift = Number(values.shift);

/** Shifts each image of a [b, h, w, 1] batch by its own random offset in [−maxShift, maxShift]², filling with 0. */
async function shifted(images: tf.Tensor4D, random: () => number): Promise<tf.Tensor4D> {
  if (maxShift === 0) return images;
  const [b, h, w, c] = images.shape;
  const src = await images.data();
  const dst = new Float32Array(src.length);
  for (let n = 0; n < b; n++) {
    const dy = Math.floor(random() * (2 * maxShift + 1)) - maxShift;
    const dx = Math.floor(random() * (2 * maxShift + 1)) - maxShift;
    for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
      for (let x = Math.max(0, dx); x < Math.min(w, w + dx); x++) {
        for (let k = 0; k < c; k++) {
          dst[((n * h + y) * w + x) * c + k] = src[((n * h + y - dy) * w + x - dx) * c + k]!;
        }
      }
    }
  }
  images.dispose();
  return tf.tensor4d(dst, [b, h, w, c]);
}

console.log(describeBackend(await useBackend('auto')));
const train = await loadDataset(dataset, { split: 'train' });
const test = await loadDataset(dataset, { split: 'test' });
const c = createClassifier(seed, dataset);
const vars = [...variablesOf(c.features.params), ...variablesOf(c.head.params)];
const opt = tf.train.adam(1e-3);
const batches = new ImageBatcher(train, { batchSize, seed, range: [0, 1], labels: 'onehot' });
const ctx = { training: true };
const random = uniform(seed * 7919 + 17);
const logits = (x: tf.Tensor) =>
  c.layers.head.apply(c.head.params, {}, c.layers.features.apply(c.features.params, {}, x, ctx).y, ctx).y;
const start = performance.now();
for (let e = 0; e < epochs; e++) {
  let last = 0;
  for (let b = 0; b < batches.batchesPerEpoch; b++) {
    // linear decay from 1e-3 to 1e-5 over the run
    const progress = (e * batches.batchesPerEpoch + b) / (epochs * batches.batchesPerEpoch);
    (opt as unknown as { learningRate: number }).learningRate = 1e-3 * (1 - 0.99 * progress);
    const batch = batches.next();
    const images = await shifted(batch.images as tf.Tensor4D, random);
    const labels = batch.labels;
    const loss = opt.minimize(
      () => tf.losses.softmaxCrossEntropy(labels!, logits(images)) as tf.Scalar,
      true,
      vars,
    )!;
    if (b % 100 === 0) {
      last = (await loss.data())[0]!;
      const seconds = ((performance.now() - start) / 1000).toFixed(0);
      console.log(
        `  epoch ${e + 1} batch ${b}/${batches.batchesPerEpoch}: loss ${last.toFixed(4)} (${seconds} s)`,
      );
    }
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
    version: `2-seed${seed}-e${epochs}-shift${maxShift}`,
    dataset,
    testAccuracy: accuracy.toFixed(4),
    trainedOn: train.source,
  },
);
const out = resolve(import.meta.dirname, '..', 'weights', `${dataset}-classifier.safetensors`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
console.log(`weights: ${out} (${(bytes.length / 1024).toFixed(0)} KiB)`);
