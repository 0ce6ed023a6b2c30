import { readFileSync } from 'node:fs';
import { useBackend } from '@gankit/backends';
import { loadShippedExtractor } from '@gankit/metrics';
import { latentBatch, loadGenerator } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';

await useBackend('wasm');
const e = await loadShippedExtractor('mnist');
const g = loadGenerator(new Uint8Array(readFileSync(process.argv[2]!)));
const out: number[] = [];
for (let k = 0; k < 10; k++) {
  const { z, labels } = latentBatch(g.gan, 100, 7, { label: k });
  const img = g.network.apply(g.network.params, g.network.state, z, { training: false, labels }).out.images!;
  const x = tf.div(tf.add(img, 1), 2) as tf.Tensor4D;
  const pred = await tf.argMax(e.logits!(x), 1).data();
  out.push(Array.from(pred).filter((p) => p === k).length);
}
console.log('% recognised as the requested class, per class 0-9:', out.join(' '));
