/** Tuning for a software WebGPU adapter, where compiling shaders is what costs. */
import type { ActiveBackend } from './types.js';

/**
 * The tfjs flag that picks, by output size, between WebGPU matmul programs: above this many 32×32 tiles tfjs uses its
 * tiled (packed) program, below it programs with small tiles.
 */
export const MATMUL_TILES_FLAG = 'WEBGPU_THRESHOLD_TO_INCREASE_WORKGROUPS_FOR_MATMUL';

/**
 * On a software WebGPU adapter (SwiftShader) what costs is compiling shaders on the CPU, and each variant of tfjs'
 * tiled matmul program takes seconds there: keep to the small-tile programs, which compile in a fraction of that
 * and which the training steps use anyway (measured with the demo in headless Chromium on two cores: the 2D
 * playground's first visuals in 7 s instead of 23 s, its first iteration shown 11 s after loading instead of 29 s).
 * A hardware adapter is left to tfjs' own choice. Returns whether it changed anything.
 *
 * @example tuneForSoftwareAdapter(await useBackend('auto', { webgpu: { allowSoftwareAdapter: true } }), tf.env());
 */
export function tuneForSoftwareAdapter(
  active: Pick<ActiveBackend, 'name' | 'softwareAdapter'>,
  env: { set(flag: string, value: number): void },
): boolean {
  if (active.name !== 'webgpu' || !active.softwareAdapter) return false;
  env.set(MATMUL_TILES_FLAG, Number.MAX_SAFE_INTEGER);
  return true;
}
