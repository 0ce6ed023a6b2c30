/**
 * Trains a small class-conditional convolutional GAN on real MNIST on the best backend this machine has, printing
 * its losses and writing a sample grid (one row per digit class). The README's "main job" until the gankit
 * trainer exists.
 *
 *   pnpm train [--steps 300] [--batch 32] [--backend auto|tensorflow|webgpu|wasm|cpu] [--out runs/tiny-gan]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeBackend, type NodeBackendName, useBackend } from '@gankit/backends';
import { ImageBatcher, loadDataset } from '@gankit/datasets';
import { createTinyGan } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { encodeGreyPng, tileImages } from './png.js';

const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        steps: { type: 'string', default: '300' },
        batch: { type: 'string', default: '32' },
        backend: { type: 'string', default: 'auto' },
        out: { type: 'string', default: 'runs/tiny-gan' },
        seed: { type: 'string', default: '1' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(
      `${(err as Error).message}. Options: --steps N, --batch N, --backend ${BACKENDS.join('|')}, --out DIR, --seed N`,
    );
  }
  const steps = positiveInt('steps', values.steps!);
  const batch = positiveInt('batch', values.batch!);
  const seed = positiveInt('seed', values.seed!);
  const backend = values.backend as (typeof BACKENDS)[number];
  if (!BACKENDS.includes(backend))
    fail(`--backend must be one of ${BACKENDS.join(', ')}, got '${values.backend}'`);
  // INIT_CWD is where the user ran pnpm; pnpm runs this script inside tooling/examples.
  const outDir = resolve(process.env.INIT_CWD ?? process.cwd(), values.out!);

  const active = await useBackend(backend as NodeBackendName | 'auto').catch((err: Error) =>
    fail(err.message),
  );
  console.log(describeBackend(active));

  const mnist = await loadDataset('mnist').catch((err: Error) => fail(err.message));
  console.log(
    `data: MNIST ${mnist.split}, ${mnist.count} images of ${mnist.shape.join('×')} (${mnist.source})`,
  );
  const latent = 32;
  const classes = 10;
  const gan = createTinyGan({
    imageSize: 28,
    latent,
    width: 32,
    classes,
    seed,
    learningRate: 5e-4,
    beta1: 0.5,
  });
  const params = (vars: tf.Variable[]) => vars.reduce((n, v) => n + v.size, 0).toLocaleString('en-US');
  console.log(
    `model: conditional DCGAN-style G (${params(gan.gVars)} params) and D (${params(gan.dVars)} params)`,
  );

  const batches = new ImageBatcher(mnist, { batchSize: batch, seed, range: [0, 1] });
  const start = performance.now();
  let windowStart = start;
  for (let step = 1; step <= steps; step++) {
    const { images: real, labels } = batches.next();
    const z = tf.randomNormal([batch, latent], 0, 1, 'float32', seed * 100_003 + step) as tf.Tensor2D;
    // G is asked for the same classes as the real batch, so D sees balanced conditions
    const fakeLabels = labels as tf.Tensor1D;
    const { dLoss, gLoss } = await gan.step(real, labels as tf.Tensor1D, z, fakeLabels);
    tf.dispose([real, labels!, z]);
    if (!Number.isFinite(dLoss) || !Number.isFinite(gLoss))
      fail(`training diverged at step ${step} (dLoss ${dLoss}, gLoss ${gLoss})`);
    if (step % 25 === 0 || step === steps) {
      const now = performance.now();
      const rate = (Math.min(25, step) * batch) / ((now - windowStart) / 1000);
      windowStart = now;
      console.log(
        `step ${String(step).padStart(5)}/${steps}  dLoss ${dLoss.toFixed(4)}  gLoss ${gLoss.toFixed(4)}  ` +
          `${rate.toFixed(1)} samples/s  tensors ${tf.memory().numTensors}`,
      );
    }
  }
  const seconds = (performance.now() - start) / 1000;

  // One row per class, ten samples each, from fixed noise.
  const grid = tf.tidy(() => {
    const z = tf.randomNormal([classes * 10, latent], 0, 1, 'float32', 12345) as tf.Tensor2D;
    const labels = tf.tensor1d(
      Array.from({ length: classes * 10 }, (_, i) => Math.floor(i / 10)),
      'int32',
    );
    return gan.generate(z, labels);
  });
  const tiled = tileImages((await grid.data()) as Float32Array, classes * 10, 28, 10);
  grid.dispose();
  mkdirSync(outDir, { recursive: true });
  const png = resolve(outDir, 'samples.png');
  writeFileSync(png, encodeGreyPng(tiled.pixels, tiled.width, tiled.height));
  gan.dispose();
  console.log(`\ntrained ${steps} steps (batch ${batch}) on ${active.name} in ${seconds.toFixed(1)} s`);
  console.log(`samples (row k = digit k): ${png}`);
}

await main();
