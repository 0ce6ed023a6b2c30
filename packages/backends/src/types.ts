/** Backends that `useBackend` can prepare in Node. */
export type NodeBackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
/** Backends that `useBackend` can prepare in a browser. */
export type BrowserBackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** Every concrete backend gankit knows. */
export type BackendName = NodeBackendName | BrowserBackendName;

/** A candidate that `auto` passed over, and why. */
export interface SkippedBackend {
  name: BackendName;
  reason: string;
}

/** What `useBackend` made active. */
export interface ActiveBackend {
  /** The tfjs backend now active (`tf.getBackend()`). */
  name: BackendName;
  /** What the caller asked for. */
  requested: BackendName | 'auto';
  /** For `auto`: every better candidate that was skipped, with its reason. Empty for an explicit name. */
  skipped: SkippedBackend[];
  /** One line on what runs the math, e.g. the GPU adapter, the native binding, or "wasm SIMD, 1 thread". */
  detail: string;
  /** Anything the user should know about this choice (slow software adapter, missing features). */
  warnings: string[];
  /** Kernels and gradients gankit added to this backend so that it can train. */
  added: string[];
  /** Set when WebGPU runs on a software adapter (SwiftShader, lavapipe): correct, but compiling shaders costs. */
  softwareAdapter?: true;
}

/** Thrown when an explicitly named backend cannot be had. `reason` names the problem and the fix. */
export class BackendUnavailableError extends Error {
  readonly backend: BackendName;
  readonly reason: string;
  constructor(backend: BackendName, reason: string) {
    super(`Backend '${backend}' is not available: ${reason}`);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.reason = reason;
  }
}

/** The outcome of trying one candidate. */
export type Attempt =
  | { ok: true; detail: string; warnings: string[]; added: string[]; softwareAdapter?: true }
  | { ok: false; reason: string };

/**
 * Formats what `useBackend` chose as a few lines for a terminal or a page, e.g.
 *
 *     backend: wasm (wasm SIMD, 1 thread)
 *       skipped tensorflow: @tensorflow/tfjs-node-gpu is not installed ...
 */
export function describeBackend(active: ActiveBackend): string {
  const lines = [`backend: ${active.name} (${active.detail})`];
  for (const s of active.skipped) lines.push(`  skipped ${s.name}: ${s.reason}`);
  for (const w of active.warnings) lines.push(`  note: ${w}`);
  return lines.join('\n');
}
