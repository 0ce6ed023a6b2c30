import {
  type Built,
  build,
  conv2d,
  dense,
  disposeTree,
  flatten,
  type Layer,
  loadTreesFromFile,
  readSafetensors,
  relu,
  sequential,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A feature extractor: images → features for FID/KID/PRDC, and class probabilities for classifier scores and
 * Stacked-MNIST mode labels. gankit ships small ones trained on its datasets (no ImageNet network to download);
 * any function of the same shape can be plugged in.
 */
export interface FeatureExtractor {
  /** Name and version, recorded with every metric computed with it. */
  name: string;
  version: string;
  /** The input it expects: [height, width, channels] in [0, 1]. */
  inputShape: [number, number, number];
  featureDim: number;
  /** Penultimate-layer features `[batch, featureDim]`. */
  features(images: tf.Tensor4D): tf.Tensor2D;
  /** Class logits `[batch, classes]`, when it is a classifier. */
  logits?(images: tf.Tensor4D): tf.Tensor2D;
  /**
   * Activations after the first `depth` convolutions (a classifier's), differentiable — a content loss's features
   * (SRGAN's VGG φ, here the shipped classifier's).
   */
  featureMaps?(images: tf.Tensor4D, depth: number): tf.Tensor4D;
  dispose(): void;
}

/**
 * The digit/clothing classifier architecture of the shipped extractors: four convolutions (5×5 → 32, then three
 * 3×3 stride-2 → 64; 28 → 14 → 7 → 4), a 64-unit feature layer and a 10-way head; about 160k parameters
 * (≈ 0.64 MB as float32).
 */
/** The classifier's four convolutions (with their ReLUs), the start of its feature layers. */
const classifierConvs = (): Layer[] => [
  conv2d({ filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' }),
  conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
  conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
  conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
];

export function classifierLayers(): { features: Layer; head: Layer } {
  return {
    features: sequential([...classifierConvs(), flatten(), dense({ units: 64 }), relu()]),
    head: dense({ units: 10 }),
  };
}

/** Builds the classifier with fresh weights (for training) or loads a safetensors file into it. */
export function createClassifier(
  seed = 0,
  name = 'classifier',
): { features: Built; head: Built; layers: ReturnType<typeof classifierLayers> } {
  const layers = classifierLayers();
  const features = build(layers.features, { name: `${name}/features`, inputShape: [28, 28, 1], seed });
  const head = build(layers.head, { name: `${name}/head`, inputShape: [64], seed: seed + 1 });
  return { features, head, layers };
}

/** A FeatureExtractor from classifier weights (safetensors bytes written by the training script). */
export function classifierExtractor(bytes: Uint8Array, info: { name: string }): FeatureExtractor {
  const file = readSafetensors(bytes);
  const c = createClassifier(0, info.name);
  loadTreesFromFile(file, { params: { features: c.features.params, head: c.head.params } });
  const ctx = { training: false };
  const features = (images: tf.Tensor4D) => {
    if (images.shape[1] !== 28 || images.shape[2] !== 28 || images.shape[3] !== 1) {
      throw new Error(
        `${info.name} extractor expects [batch, 28, 28, 1] images in [0, 1], got [${images.shape}]`,
      );
    }
    return tf.tidy(() => c.layers.features.apply(c.features.params, {}, images, ctx).y as tf.Tensor2D);
  };
  const maps = (depth: number) => sequential(classifierConvs().slice(0, depth));
  return {
    name: info.name,
    version: file.metadata.version ?? 'unknown',
    inputShape: [28, 28, 1],
    featureDim: 64,
    features,
    featureMaps: (images, depth) => {
      if (!(Number.isInteger(depth) && depth >= 1 && depth <= 4))
        throw new Error(`${info.name} has 4 convolutions: featureMaps depth must be 1 to 4, got ${depth}`);
      // the first convolutions of the same sequential: their parameters sit under the same names
      return tf.tidy(() => maps(depth).apply(c.features.params, {}, images, ctx).y as tf.Tensor4D);
    },
    logits: (images) =>
      tf.tidy(() => c.layers.head.apply(c.head.params, {}, features(images), ctx).y as tf.Tensor2D),
    dispose: () => {
      disposeTree(c.features.params);
      disposeTree(c.head.params);
    },
  };
}

/** The extractors gankit ships, by dataset. */
export const SHIPPED_EXTRACTORS = {
  mnist: 'mnist-classifier.safetensors',
  'fashion-mnist': 'fashion-mnist-classifier.safetensors',
} as const;

/** Where a shipped extractor's weights are (next to the package's code; bundlers copy `new URL` assets). */
export function shippedWeightsUrl(dataset: keyof typeof SHIPPED_EXTRACTORS): URL {
  const file = SHIPPED_EXTRACTORS[dataset];
  if (file == null)
    throw new Error(
      `no shipped extractor for '${dataset}'; shipped: ${Object.keys(SHIPPED_EXTRACTORS).join(', ')}`,
    );
  return new URL(`../weights/${file}`, import.meta.url);
}

/** Loads a shipped extractor: from the package's files in Node, by fetch in a browser. */
export async function loadShippedExtractor(
  dataset: keyof typeof SHIPPED_EXTRACTORS,
): Promise<FeatureExtractor> {
  const url = shippedWeightsUrl(dataset);
  let bytes: Uint8Array;
  if (url.protocol === 'file:') {
    const fs = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
    try {
      bytes = new Uint8Array(await readFile(url));
    } catch {
      throw new Error(
        `the ${dataset} extractor's weights are not in this build (${url.pathname}); train them with ` +
          '`pnpm --filter @gankit/metrics train-extractors`',
      );
    }
  } else {
    const res = await fetch(url);
    if (!res.ok)
      throw new Error(`${url}: HTTP ${res.status} (the extractor weights must be served with the app)`);
    bytes = new Uint8Array(await res.arrayBuffer());
  }
  return classifierExtractor(bytes, { name: `gankit-${dataset}-classifier` });
}
