/** An exported unpaired translator: both generators (A → B and B → A) in one safetensors file with a manifest. */
import type { SafetensorsFile, SaveOptions } from '@gankit/layers';
import type { CycleDef } from './cyclegan.js';
import type { Network } from './network.js';
import { type CycleSpec, cycleFromSpec, networkFromFile, readGankitFile, saveWithManifest } from './spec.js';

export const CYCLE_FORMAT = 'gankit-cycle/1';

/** What an exported generator pair says about itself (its safetensors metadata `gankit`). */
export interface CycleManifest {
  format: typeof CYCLE_FORMAT;
  model: CycleSpec;
  architecture: string;
  /** One image of each domain: [height, width, channels]. */
  shapeA: readonly number[];
  shapeB: readonly number[];
  dataRange: [number, number];
  /** How each domain was made (dataset, half, style), as the run's config says. */
  domains?: { a: Record<string, unknown>; b: Record<string, unknown> };
  steps: number;
  info?: Record<string, unknown>;
}

type Weights = Pick<Network, 'params' | 'state'>;

/** Serialises G (A → B) and F (B → A) with their manifest into one safetensors file. */
export function exportCycle(
  ab: Weights,
  ba: Weights,
  manifest: CycleManifest,
  options: SaveOptions = {},
): Promise<Uint8Array> {
  return saveWithManifest(
    { params: { ab: ab.params, ba: ba.params }, state: { ab: ab.state, ba: ba.state } },
    manifest,
    options,
  );
}

/** The entries of one generator of the pair, named as a lone network's. */
function part(file: SafetensorsFile, prefix: 'ab' | 'ba'): SafetensorsFile {
  const tensors: SafetensorsFile['tensors'] = new Map();
  for (const [key, value] of file.tensors) {
    const m = /^(params|state)\/(ab|ba)\/(.*)$/.exec(key);
    if (m?.[2] === prefix) tensors.set(`${m[1]}/${m[3]}`, value);
  }
  return { tensors, metadata: file.metadata };
}

/** Reads an exported generator pair, checking its manifest and both networks' weights (errors name what is wrong). */
export function loadCycle(
  bytes: Uint8Array,
  fileName = 'the file',
): { manifest: CycleManifest; def: CycleDef; ab: Network; ba: Network } {
  const { file, manifest: raw } = readGankitFile(bytes, fileName, 'generator pair');
  const manifest = raw as CycleManifest | undefined;
  if (manifest?.format !== CYCLE_FORMAT)
    throw new Error(
      `${fileName} is not an unpaired generator pair (format '${manifest?.format ?? 'none'}', expected ${CYCLE_FORMAT})`,
    );
  const def = cycleFromSpec(manifest.model);
  const ab = networkFromFile(part(file, 'ab'), def.generatorAB, fileName, manifest.architecture);
  try {
    return {
      manifest,
      def,
      ab,
      ba: networkFromFile(part(file, 'ba'), def.generatorBA, fileName, manifest.architecture),
    };
  } catch (err) {
    ab.dispose();
    throw err;
  }
}
