/**
 * Which TensorFlow.js backend the page trains on: WebGPU by default — a software adapter (SwiftShader) included,
 * with a warning — falling back to WebGL, wasm and cpu with the reason for each skip; `?backend=<name>` forces one.
 */
import type { ActiveBackend, BrowserBackendName, BrowserBackendOptions } from '@gankit/backends';

export const BACKEND_NAMES: readonly BrowserBackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendRequest {
  requested: BrowserBackendName | 'auto';
  /** Set when the URL asked for something unknown (then `auto` is used). */
  problem?: string;
}

/** Reads `?backend=` from a query string: a backend name, `auto`, or nothing. */
export function parseBackendParam(search: string): BackendRequest {
  const value = new URLSearchParams(search).get('backend');
  if (value == null || value === '' || value === 'auto') return { requested: 'auto' };
  const name = value.toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return { requested: name as BrowserBackendName };
  return {
    requested: 'auto',
    problem: `?backend=${value} is not a backend; use one of ${BACKEND_NAMES.join(', ')} (or auto) — chose automatically`,
  };
}

export interface StartedBackend {
  active: ActiveBackend;
  /** Things the page should say besides the skipped backends (a forced backend that failed, a bad parameter). */
  notes: string[];
}

type UseBackend = (
  name: BrowserBackendName | 'auto',
  options: BrowserBackendOptions,
) => Promise<ActiveBackend>;

/**
 * Starts the backend for this page. The demo takes a software WebGPU adapter rather than skipping it (unlike
 * @gankit/backends' `auto`): a forced backend that cannot start is reported and `auto` is used instead.
 */
export async function startBackend(
  search: string,
  useBackend: UseBackend,
  wasmPaths?: BrowserBackendOptions['wasm'],
): Promise<StartedBackend> {
  const { requested, problem } = parseBackendParam(search);
  const notes = problem ? [problem] : [];
  const options: BrowserBackendOptions = {
    webgpu: { allowSoftwareAdapter: true },
    ...(wasmPaths ? { wasm: wasmPaths } : {}),
  };
  if (requested !== 'auto') {
    try {
      return { active: await useBackend(requested, options), notes };
    } catch (err) {
      notes.push(`${requested} was asked for but could not start (${firstLine(err)}); chose automatically`);
    }
  }
  return { active: await useBackend('auto', options), notes };
}

/** The badge's text and the lines behind it (what runs the math, each skipped backend and why, warnings). */
export function backendLines(started: StartedBackend): { name: string; lines: string[]; slow: boolean } {
  const { active, notes } = started;
  const lines = [`${active.name}: ${active.detail}`];
  if (active.requested !== 'auto') lines.push(`forced with ?backend=${active.requested}`);
  for (const s of active.skipped) lines.push(`skipped ${s.name}: ${s.reason}`);
  for (const w of active.warnings) lines.push(`note: ${w}`);
  for (const n of notes) lines.push(`note: ${n}`);
  const slow = active.warnings.some((w) => /software adapter|slow/i.test(w)) || active.name === 'cpu';
  return { name: active.name, lines, slow };
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]?.trim() ?? msg;
}
