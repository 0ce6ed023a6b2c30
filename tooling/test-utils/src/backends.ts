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
 * The backends of a `*.gpu.test.ts` file (see vitest.shared.mjs): `['webgpu']` when Dawn gives an adapter, `[]`
 * when it does not (a warning says why; the file's tests then do not run) — and an error instead where CI requires
 * WebGPU. The cpu and wasm cases of the same checks live in the package's other test files. `useBackend` is
 * @gankit/backends' (passed in, so that this package does not depend on it).
 */
export async function webgpuUnderTest(useBackend: (name: 'webgpu') => Promise<unknown>): Promise<'webgpu'[]> {
  preferSwiftShader();
  try {
    await useBackend('webgpu');
    return ['webgpu'];
  } catch (err) {
    if (webgpuRequired()) throw err;
    console.warn(`skipping the WebGPU tests: ${(err as Error).message}`);
    return [];
  }
}
