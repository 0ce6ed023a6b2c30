/** Exported image-to-image generators: one safetensors file with the weights and a manifest. */
import type { SaveOptions } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Network, TranslationDef } from './network.js';
import {
  networkFromFile,
  readGankitFile,
  saveWithManifest,
  type TranslationSpec,
  translationFromSpec,
} from './spec.js';

export const TRANSLATOR_FORMAT = 'gankit-translator/1';

/** What an exported image-to-image generator says about itself (its safetensors metadata `gankit`). */
export interface TranslatorManifest {
  format: typeof TRANSLATOR_FORMAT;
  model: TranslationSpec;
  architecture: string;
  /** One source and one target: [height, width, channels]. */
  sourceShape: readonly number[];
  targetShape: readonly number[];
  dataRange: [number, number];
  /** How sources are made from images for the built-in tasks (`edges`, `inpaint`, `downscale`), as the run's config says. */
  task?: Record<string, unknown>;
  ema: boolean;
  steps: number;
  info?: Record<string, unknown>;
}

/**
 * Serialises an image-to-image generator with its manifest into one safetensors file (`float16`: weights in half
 * precision, half the bytes, read back as float32).
 */
export function exportTranslator(
  generator: Pick<Network, 'params' | 'state'>,
  manifest: TranslatorManifest,
  options: SaveOptions = {},
): Promise<Uint8Array> {
  return saveWithManifest(generator, manifest, options);
}

/** Reads an exported image-to-image generator, checking its manifest and weights (errors name what is wrong). */
export function loadTranslator(
  bytes: Uint8Array,
  fileName = 'the file',
): { manifest: TranslatorManifest; def: TranslationDef; network: Network } {
  const { file, manifest: raw } = readGankitFile(bytes, fileName, 'translator');
  const manifest = raw as TranslatorManifest | undefined;
  if (manifest?.format !== TRANSLATOR_FORMAT)
    throw new Error(
      `${fileName} is not an image-to-image generator (format '${manifest?.format ?? 'none'}', expected ${TRANSLATOR_FORMAT})`,
    );
  const def = translationFromSpec(manifest.model);
  return { manifest, def, network: networkFromFile(file, def.generator, fileName, manifest.architecture) };
}

/**
 * A translator on sources `[n, …sourceShape]` in its data range, in inference mode (no dropout, batch norm's running
 * statistics): its targets, mapped to [0, 1] and clipped.
 */
export function translateImages(
  network: Pick<Network, 'params' | 'state' | 'apply' | 'def'>,
  source: tf.Tensor4D,
  [lo, hi]: readonly [number, number],
): tf.Tensor4D {
  return tf.tidy(() => {
    const y = network.apply(network.params, network.state, source, { training: false }).out[
      network.def.main
    ]!;
    return tf.clipByValue(tf.div(tf.sub(y, lo), hi - lo), 0, 1) as tf.Tensor4D;
  });
}
