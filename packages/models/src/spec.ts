import {
  discardState,
  loadTreesFromFile,
  type ParamTree,
  readSafetensors,
  type SafetensorsFile,
  type SaveOptions,
  type StateTree,
  saveTrees,
} from '@gankit/layers';
import { type CycleDef, type CycleganOptions, cyclegan, discogan } from './cyclegan.js';
import { acgan, cgan, type DcganOptions, dcgan, wgan } from './dcgan.js';
import { type InfoganOptions, infogan } from './infogan.js';
import { ganLabMlp, type MlpGanOptions, mlpGan, pacganMlp } from './mlp.js';
import { type GanDef, instantiate, type Network, type NetworkDef, type TranslationDef } from './network.js';
import { inpainting, type Pix2pixOptions, pix2pix } from './pix2pix.js';
import { type ProganOptions, progan } from './progan.js';
import { seedKerasMnist } from './seed-keras.js';
import { type SnganOptions, sngan } from './sngan.js';
import { type SrganOptions, srgan } from './srgan.js';
import { type StyleganOptions, stylegan } from './stylegan.js';

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
  | { family: 'pacgan-mlp'; options?: { pack?: number; latentDim?: number } }
  | { family: 'stylegan'; options?: StyleganOptions }
  | { family: 'progan'; options?: ProganOptions };

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
  stylegan,
  progan,
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

/** An image-to-image model as plain data (pix2pix, inpainting, SRGAN). */
export type TranslationSpec =
  | { family: 'pix2pix'; options?: Pix2pixOptions }
  | {
      family: 'inpainting';
      options?: Omit<Pix2pixOptions, 'sourceChannels' | 'targetChannels'> & { channels?: number };
    }
  | { family: 'srgan'; options?: SrganOptions };

export type TranslationFamily = TranslationSpec['family'];

const TRANSLATORS: Record<TranslationFamily, (options: never) => TranslationDef> = {
  pix2pix,
  inpainting,
  srgan,
};

export const TRANSLATION_FAMILIES = Object.keys(TRANSLATORS) as TranslationFamily[];

/** Whether a model spec names an image-to-image family. */
export const isTranslationSpec = (spec: { family: string }): spec is TranslationSpec =>
  (TRANSLATION_FAMILIES as string[]).includes(spec?.family);

/** The TranslationDef a spec describes; an unknown family is named with the known ones. */
export function translationFromSpec(spec: TranslationSpec): TranslationDef {
  const build = TRANSLATORS[spec?.family as TranslationFamily];
  if (build == null)
    throw new Error(
      `unknown image-to-image model family '${spec?.family}'; known: ${TRANSLATION_FAMILIES.join(', ')}`,
    );
  return (build as (options: unknown) => TranslationDef)(spec.options ?? {});
}

/** An unpaired translation model as plain data (CycleGAN, DiscoGAN). */
export type CycleSpec =
  | { family: 'cyclegan'; options?: CycleganOptions }
  | { family: 'discogan'; options?: Omit<CycleganOptions, 'generator'> };

export const CYCLE_FAMILIES = ['cyclegan', 'discogan'] as const;

/** Whether a model spec names an unpaired translation family. */
export const isCycleSpec = (spec: { family: string }): spec is CycleSpec =>
  (CYCLE_FAMILIES as readonly string[]).includes(spec?.family);

/** The CycleDef a spec describes; an unknown family is named with the known ones. */
export function cycleFromSpec(spec: CycleSpec): CycleDef {
  if (spec?.family === 'cyclegan') return cyclegan(spec.options ?? {});
  if (spec?.family === 'discogan') return discogan(spec.options ?? {});
  throw new Error(
    `unknown unpaired translation family '${(spec as { family?: string })?.family}'; known: ${CYCLE_FAMILIES.join(', ')}`,
  );
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

/**
 * Serialises a generator's parameters and state with its manifest into one safetensors file (`float16`: weights in
 * half precision, half the bytes, read back as float32).
 */
export function exportGenerator(
  generator: Pick<Network, 'params' | 'state'>,
  manifest: GeneratorManifest,
  options: SaveOptions = {},
): Promise<Uint8Array> {
  return saveWithManifest(generator, manifest, options);
}

/** Weights (a network's, or a tree of several) and a manifest, as the safetensors metadata `gankit`, in one file. */
export function saveWithManifest(
  trees: { params: ParamTree; state?: StateTree },
  manifest: object,
  options: SaveOptions = {},
): Promise<Uint8Array> {
  return saveTrees(trees, { gankit: JSON.stringify(manifest) }, options);
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
  const { file, manifest: raw } = readGankitFile(bytes, fileName, 'generator');
  if (raw == null)
    throw new Error(
      `${fileName} is a safetensors file but not a gankit generator (no 'gankit' manifest); export one with \`gankit export\``,
    );
  const manifest = raw as GeneratorManifest;
  if (manifest.format !== GENERATOR_FORMAT)
    throw new Error(
      `${fileName}: format '${manifest.format}' is not ${GENERATOR_FORMAT}; re-export it with this version of gankit`,
    );
  const gan = ganFromSpec(manifest.model);
  return { manifest, gan, network: networkFromFile(file, gan.generator, fileName, manifest.architecture) };
}

/** A file's safetensors contents and its parsed `gankit` manifest (undefined when it has none). */
export function readGankitFile(
  bytes: Uint8Array,
  fileName: string,
  noun: string,
): { file: SafetensorsFile; manifest: unknown } {
  let file: SafetensorsFile;
  try {
    file = readSafetensors(bytes);
  } catch (err) {
    throw new Error(`${fileName} is not a gankit ${noun}: ${(err as Error).message}`);
  }
  const raw = file.metadata.gankit;
  if (raw == null) return { file, manifest: undefined };
  try {
    return { file, manifest: JSON.parse(raw) };
  } catch {
    throw new Error(`${fileName}: its gankit manifest is not valid JSON`);
  }
}

/** A network of `def` holding the file's weights; weights of another shape are an error naming the architecture. */
export function networkFromFile(
  file: SafetensorsFile,
  def: NetworkDef,
  fileName: string,
  architecture: string,
): Network {
  const network = instantiate(def, 0);
  try {
    const { state } = loadTreesFromFile(file, { params: network.params, state: network.state });
    discardState(state, network.state);
    network.state = state;
  } catch (err) {
    network.dispose();
    throw new Error(`${fileName}: its weights do not fit ${architecture}: ${(err as Error).message}`);
  }
  return network;
}
