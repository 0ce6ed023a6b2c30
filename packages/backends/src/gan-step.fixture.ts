/** One conditional conv GAN trained a few steps from fixed seeds: the cross-backend step checks' fixture. */
import { createTinyGan, type StepLosses, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './node.js';

export const STEPS = 3;
const BATCH = 6;

/** Trains the tiny conditional conv GAN for a few steps on `backend` from fixed seeds; returns its losses. */
export async function train(
  backend: 'cpu' | 'wasm' | 'webgpu',
): Promise<{ losses: StepLosses[]; leaked: number }> {
  await useBackend(backend);
  const gan = createTinyGan({ imageSize: 16, latent: 8, width: 8, classes: 4, seed: 7 });
  const real = tf.tensor4d(seededUniform(BATCH * 16 * 16, 100, 0, 1), [BATCH, 16, 16, 1]);
  const labels = tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32');
  const fakeLabels = tf.tensor1d([3, 2, 1, 0, 3, 2], 'int32');
  const losses: StepLosses[] = [];
  let afterFirst = 0;
  for (let i = 0; i < STEPS; i++) {
    const z = tf.tensor2d(seededUniform(BATCH * 8, 200 + i), [BATCH, 8]);
    losses.push(await gan.step(real, labels, z, fakeLabels));
    z.dispose();
    if (i === 0) afterFirst = tf.memory().numTensors; // optimizer slots exist from here on
  }
  const leaked = tf.memory().numTensors - afterFirst;
  gan.dispose();
  tf.dispose([real, labels, fakeLabels]);
  return { losses, leaked };
}
