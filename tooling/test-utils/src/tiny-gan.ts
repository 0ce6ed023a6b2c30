import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from './gradcheck.js';

/**
 * A small class-conditional convolutional GAN in plain tfjs-core ops — the seed-002 Keras MNIST GAN shrunk, with a
 * label embedding in G and a projection term in D — so that one training step touches every kernel a real GAN
 * needs: dense, conv2d (stride 2, same), conv2dTranspose, leakyRelu, sigmoid, gather and its gradient
 * (UnsortedSegmentSum), Adam. Used by the backend tests (same losses on every backend) and by the example
 * training script until @gankit/models and @gankit/train exist.
 *
 * Every weight is made from a seed, so that the same GAN can be built on every backend.
 */
export interface TinyGanConfig {
  /** Side of the square, single-channel images; a multiple of 4. */
  imageSize: number;
  latent: number;
  /** Channels of the convolutions. */
  width: number;
  classes: number;
  seed: number;
  learningRate?: number;
  beta1?: number;
}

export interface TinyGan {
  config: TinyGanConfig;
  gVars: tf.Variable[];
  dVars: tf.Variable[];
  /** Images in [0, 1], shape [batch, size, size, 1]. */
  generate(z: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor4D;
  /** D's logits, shape [batch]. */
  discriminate(images: tf.Tensor4D, labels: tf.Tensor1D): tf.Tensor1D;
  /**
   * One step of seed Algorithm 1 with k = 1: D on real + fake (G frozen), then G with the non-saturating loss
   * (D frozen). Returns the losses before the updates, as numbers.
   */
  step(
    real: tf.Tensor4D,
    realLabels: tf.Tensor1D,
    z: tf.Tensor2D,
    fakeLabels: tf.Tensor1D,
  ): Promise<StepLosses>;
  dispose(): void;
}

export interface StepLosses {
  dLoss: number;
  gLoss: number;
}

const named = (grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] =>
  Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));

export function createTinyGan(config: TinyGanConfig): TinyGan {
  const { imageSize, latent, width, classes, seed } = config;
  if (imageSize % 4 !== 0) throw new Error(`imageSize must be a multiple of 4, got ${imageSize}`);
  const q = imageSize / 4;
  let n = 0;
  const glorot = (shape: number[], fanIn: number, fanOut: number, name: string) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.variable(tf.tensor(seededUniform(size, seed * 1000 + n++, -limit, limit), shape), true, name);
  };
  const zeros = (shape: number[], name: string) => tf.variable(tf.zeros(shape), true, name);
  const id = `tinygan${seed}_${Math.random().toString(36).slice(2, 8)}`;

  const g = {
    embed: glorot([classes, latent], classes, latent, `${id}/g/embed`),
    denseW: glorot([2 * latent, q * q * width], 2 * latent, q * q * width, `${id}/g/dense/w`),
    denseB: zeros([q * q * width], `${id}/g/dense/b`),
    up1: glorot([4, 4, width, width], 16 * width, 16 * width, `${id}/g/up1/w`),
    up1B: zeros([width], `${id}/g/up1/b`),
    up2: glorot([4, 4, width, width], 16 * width, 16 * width, `${id}/g/up2/w`),
    up2B: zeros([width], `${id}/g/up2/b`),
    outW: glorot([3, 3, width, 1], 9 * width, 9, `${id}/g/out/w`),
    outB: zeros([1], `${id}/g/out/b`),
  };
  const d = {
    c1: glorot([3, 3, 1, width], 9, 9 * width, `${id}/d/c1/w`),
    c1B: zeros([width], `${id}/d/c1/b`),
    c2: glorot([3, 3, width, width], 9 * width, 9 * width, `${id}/d/c2/w`),
    c2B: zeros([width], `${id}/d/c2/b`),
    denseW: glorot([q * q * width, 1], q * q * width, 1, `${id}/d/dense/w`),
    denseB: zeros([1], `${id}/d/dense/b`),
    embed: glorot([classes, q * q * width], classes, q * q * width, `${id}/d/embed`),
  };

  const generate = (z: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor4D =>
    tf.tidy(() => {
      const batch = z.shape[0];
      const h0 = tf.concat([z, tf.gather(g.embed, labels)], 1);
      const h1 = tf.reshape(tf.leakyRelu(tf.add(tf.matMul(h0, g.denseW), g.denseB), 0.2), [
        batch,
        q,
        q,
        width,
      ]);
      const h2 = tf.leakyRelu(
        tf.add(
          tf.conv2dTranspose(
            h1 as tf.Tensor4D,
            g.up1 as tf.Tensor4D,
            [batch, 2 * q, 2 * q, width],
            2,
            'same',
          ),
          g.up1B,
        ),
        0.2,
      );
      const h3 = tf.leakyRelu(
        tf.add(
          tf.conv2dTranspose(
            h2 as tf.Tensor4D,
            g.up2 as tf.Tensor4D,
            [batch, imageSize, imageSize, width],
            2,
            'same',
          ),
          g.up2B,
        ),
        0.2,
      );
      return tf.sigmoid(
        tf.add(tf.conv2d(h3 as tf.Tensor4D, g.outW as tf.Tensor4D, 1, 'same'), g.outB),
      ) as tf.Tensor4D;
    });

  const discriminate = (images: tf.Tensor4D, labels: tf.Tensor1D): tf.Tensor1D =>
    tf.tidy(() => {
      const batch = images.shape[0];
      const h1 = tf.leakyRelu(tf.add(tf.conv2d(images, d.c1 as tf.Tensor4D, 2, 'same'), d.c1B), 0.2);
      const h2 = tf.leakyRelu(
        tf.add(tf.conv2d(h1 as tf.Tensor4D, d.c2 as tf.Tensor4D, 2, 'same'), d.c2B),
        0.2,
      );
      const feat = tf.reshape(h2, [batch, q * q * width]);
      const logit = tf.reshape(tf.add(tf.matMul(feat, d.denseW), d.denseB), [batch]);
      // Projection discriminator term (Miyato & Koyama 2018): ⟨embed(y), φ(x)⟩.
      const projection = tf.sum(tf.mul(tf.gather(d.embed, labels), feat), 1);
      return tf.add(logit, projection) as tf.Tensor1D;
    });

  const gVars = Object.values(g);
  const dVars = Object.values(d);
  const lr = config.learningRate ?? 2e-4;
  const beta1 = config.beta1 ?? 0.5;
  const gOpt = tf.train.adam(lr, beta1);
  const dOpt = tf.train.adam(lr, beta1);
  const bce = (logits: tf.Tensor, target: number) =>
    tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, target), logits) as tf.Scalar;

  const step: TinyGan['step'] = async (real, realLabels, z, fakeLabels) => {
    const dLoss = tf.tidy(() => {
      const fake = generate(z, fakeLabels); // G frozen: D's gradients are taken w.r.t. dVars only
      const { value, grads } = tf.variableGrads(
        () =>
          tf.add(bce(discriminate(real, realLabels), 1), bce(discriminate(fake, fakeLabels), 0)) as tf.Scalar,
        dVars,
      );
      dOpt.applyGradients(named(grads));
      return value;
    });
    const gLoss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => bce(discriminate(generate(z, fakeLabels), fakeLabels), 1),
        gVars,
      );
      gOpt.applyGradients(named(grads));
      return value;
    });
    const [dl, gl] = await Promise.all([dLoss.data(), gLoss.data()]);
    tf.dispose([dLoss, gLoss]);
    return { dLoss: dl[0]!, gLoss: gl[0]! };
  };

  return {
    config,
    gVars,
    dVars,
    generate,
    discriminate,
    step,
    dispose: () => {
      tf.dispose([...gVars, ...dVars]);
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}
