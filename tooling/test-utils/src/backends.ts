import { existsSync } from 'node:fs';

/** SwiftShader's Vulkan driver from Debian's chromium package: a CPU WebGPU adapter for Dawn. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points Dawn at SwiftShader when no Vulkan driver was chosen and Debian's chromium is installed (as CI does). */
export function preferSwiftShader(): void {
  if (process.env.VK_ICD_FILENAMES == null && existsSync(SWIFTSHADER_ICD))
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

/** True where WebGPU must work (CI sets GANKIT_REQUIRE_WEBGPU=1): its absence is then a failure, not a skip. */
export const webgpuRequired = (): boolean => process.env.GANKIT_REQUIRE_WEBGPU === '1';

/**
 * The backends a test should run on: cpu and wasm always, and WebGPU (Dawn) when an adapter can be had — or
 * required, where CI demands it. `useBackend` is @gankit/backends' (passed in, so that this package does not
 * depend on it).
 */
export async function backendsUnderTest(
  useBackend: (name: 'webgpu') => Promise<unknown>,
): Promise<('cpu' | 'wasm' | 'webgpu')[]> {
  preferSwiftShader();
  try {
    await useBackend('webgpu');
    return ['cpu', 'wasm', 'webgpu'];
  } catch (err) {
    if (webgpuRequired()) throw err;
    return ['cpu', 'wasm'];
  }
}
