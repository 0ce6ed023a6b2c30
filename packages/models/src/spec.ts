import {
  discardState,
  loadTreesFromFile,
  readSafetensors,
  rngFromSeed,
  saveTrees,
  uniformStream,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { acgan, cgan, type DcganOptions, dcgan, wgan } from './dcgan.js';
import { type InfoganOptions, infogan } from './infogan.js';
import { ganLabMlp, type MlpGanOptions, mlpGan, pacganMlp } from './mlp.js';
import { type GanDef, instantiate, type Network } from './network.js';
import { seedKerasMnist } from './seed-keras.js';
import { type SnganOptions, sngan } from './sngan.js';

/**
 * A model as plain data — a family and its options — so a run's config, a checkpoint and an exported generator
 * can say which networks they hold and rebuild them anywhere (Node, a browser).
 */
export type ModelSpec =
  | { family: 'dcgan'; options?: DcganOptions }
  | { family: 'cgan'; options?: DcganOptions & { classes?: number } }
  | { family: 'acgan'; options?: DcganOptions & { classes?: number } }
  | { family: 'wgan'; options?: DcganOptions & { criticNorm?: 'layer' | 'none' } }
  | { family: 'infogan'; options?: InfoganOptions }
  | { family: 'sngan'; options?: SnganOptions }
  | { family: 'seed-keras-mnist'; options?: { latentDim?: number } }
  | { family: 'mlp'; options?: MlpGanOptions }
  | { family: 'gan-lab-mlp'; options?: { dataDim?: number; latentDim?: number } }
  | { family: 'pacgan-mlp'; options?: { pack?: number; latentDim?: number } };

export type ModelFamily = ModelSpec['family'];

const BUILDERS: Record<ModelFamily, (options: never) => GanDef> = {
  dcgan,
  cgan,
  acgan,
  wgan,
  infogan,
  sngan,
  'seed-keras-mnist': seedKerasMnist,
  mlp: mlpGan,
  'gan-lab-mlp': ganLabMlp,
  'pacgan-mlp': pacganMlp,
};

export const MODEL_FAMILIES = Object.keys(BUILDERS) as ModelFamily[];

/** The GanDef a spec describes; an unknown family is named with the known ones. */
export function ganFromSpec(spec: ModelSpec): GanDef {
  const build = BUILDERS[spec?.family as ModelFamily];
  if (build == null) {
    throw new Error(`unknown model family '${spec?.family}'; known: ${MODEL_FAMILIES.join(', ')}`);
  }
  return (build as (options: unknown) => GanDef)(spec.options ?? {});
}

/**
 * A batch of generator inputs for `n` samples from `seed`: N(0, 1) noise — with InfoGAN's codes appended (one-hot
 * categorical, continuous U(−1, 1)) — and, for conditional models, labels.
 *
 * `truncation` T redraws every noise value outside [−T, T] (the truncation trick: fidelity for variety).
 * `label` fixes the class (conditional models) or InfoGAN's first categorical code; otherwise classes cycle
 * 0, 1, …, k − 1 so a batch is balanced.
 */
export function latentBatch(
  gan: Pick<GanDef, 'latentDim' | 'codes' | 'classes'>,
  n: number,
  seed: number,
  options: { truncation?: number; label?: number } = {},
): { z: tf.Tensor2D; labels?: tf.Tensor1D } {
  const { truncation, label } = options;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`the number of samples must be a positive integer, got ${n}`);
  if (truncation != null && !(truncation > 0))
    throw new Error(`truncation must be a positive number of standard deviations, got ${truncation}`);
  const classes = gan.classes ?? gan.codes?.categorical[0];
  if (label != null && (classes == null || !Number.isInteger(label) || label < 0 || label >= classes)) {
    throw new Error(
      classes == null
        ? 'this generator has no classes; leave the class out'
        : `class must be an integer from 0 to ${classes - 1}, got ${label}`,
    );
  }
  const codes = gan.codes;
  const catTotal = codes ? codes.categorical.reduce((a, b) => a + b, 0) : 0;
  const noiseDim = gan.latentDim - catTotal - (codes?.continuous ?? 0);
  const random = uniformStream(rngFromSeed(seed));
  const gaussian = () => {
    for (;;) {
      const u = 1 - random();
      const v = random();
      const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      if (truncation == null || Math.abs(g) <= truncation) return g;
    }
  };
  const data = new Float32Array(n * gan.latentDim);
  const labelOf = (i: number) => label ?? i % (classes ?? 1);
  for (let i = 0; i < n; i++) {
    const row = i * gan.latentDim;
    for (let j = 0; j < noiseDim; j++) data[row + j] = gaussian();
    if (codes) {
      let at = row + noiseDim;
      codes.categorical.forEach((k, c) => {
        const pick = c === 0 ? labelOf(i) : Math.floor(random() * k);
        data[at + pick] = 1;
        at += k;
      });
      for (let j = 0; j < codes.continuous; j++) data[at + j] = 2 * random() - 1;
    }
  }
  const z = tf.tensor2d(data, [n, gan.latentDim]);
  if (gan.classes == null) return { z };
  return {
    z,
    labels: tf.tensor1d(
      Int32Array.from({ length: n }, (_, i) => labelOf(i)),
      'int32',
    ),
  };
}

export const GENERATOR_FORMAT = 'gankit-generator/1';

/** What an exported generator file says about itself (stored in its safetensors metadata as `gankit`). */
export interface GeneratorManifest {
  format: typeof GENERATOR_FORMAT;
  model: ModelSpec;
  architecture: string;
  latentDim: number;
  /** One sample: [height, width, channels] for images, [dim] for points. */
  dataShape: readonly number[];
  /** The range of the generator's output (images: map to [0, 1] for display). */
  dataRange?: [number, number];
  classes?: number;
  classNames?: string[];
  codes?: { categorical: number[]; continuous: number };
  /** True when the weights are the exponential moving average of G. */
  ema: boolean;
  steps: number;
  /** Free-form provenance: preset, dataset, the command that made it, metrics at export. */
  info?: Record<string, unknown>;
}

/** Serialises a generator's parameters and state with its manifest into one safetensors file. */
export async function exportGenerator(
  generator: Pick<Network, 'params' | 'state'>,
  manifest: GeneratorManifest,
): Promise<Uint8Array> {
  return saveTrees(
    { params: generator.params, state: generator.state },
    { gankit: JSON.stringify(manifest) },
  );
}

/**
 * Reads an exported generator: checks the manifest, rebuilds the networks from its model spec and loads the
 * weights. Every problem (not a safetensors file, no or another manifest, unknown model, weights of another
 * shape) is an error that says what is wrong with the file.
 */
export function loadGenerator(
  bytes: Uint8Array,
  fileName = 'the file',
): { manifest: GeneratorManifest; gan: GanDef; network: Network } {
  let file: ReturnType<typeof readSafetensors>;
  try {
    file = readSafetensors(bytes);
  } catch (err) {
    throw new Error(`${fileName} is not a gankit generator: ${(err as Error).message}`);
  }
  const raw = file.metadata.gankit;
  if (raw == null)
    throw new Error(
      `${fileName} is a safetensors file but not a gankit generator (no 'gankit' manifest); export one with \`gankit export\``,
    );
  let manifest: GeneratorManifest;
  try {
    manifest = JSON.parse(raw) as GeneratorManifest;
  } catch {
    throw new Error(`${fileName}: its gankit manifest is not valid JSON`);
  }
  if (manifest.format !== GENERATOR_FORMAT)
    throw new Error(
      `${fileName}: format '${manifest.format}' is not ${GENERATOR_FORMAT}; re-export it with this version of gankit`,
    );
  const gan = ganFromSpec(manifest.model);
  const network = instantiate(gan.generator, 0);
  try {
    const { state } = loadTreesFromFile(file, { params: network.params, state: network.state });
    discardState(state, network.state);
    network.state = state;
  } catch (err) {
    network.dispose();
    throw new Error(
      `${fileName}: its weights do not fit ${manifest.architecture}: ${(err as Error).message}`,
    );
  }
  return { manifest, gan, network };
}
