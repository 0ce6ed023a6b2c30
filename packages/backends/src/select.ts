import type { ActiveBackend, Attempt, BackendName, SkippedBackend } from './types.js';
import { BackendUnavailableError } from './types.js';

/** How a candidate is being tried: as one of `auto`'s choices, or because the caller named it. */
export type Mode = 'auto' | 'explicit';
export type Candidate = (mode: Mode) => Promise<Attempt>;

/**
 * Tries `order` for `auto` (first that works wins, each skipped one keeps its reason), or exactly the named
 * backend (its failure is an error with the reason: never a silent fallback).
 */
export async function selectBackend<N extends BackendName>(
  requested: N | 'auto',
  order: readonly N[],
  candidates: Record<N, Candidate>,
  activeName: () => string,
): Promise<ActiveBackend> {
  if (requested !== 'auto') {
    const candidate = candidates[requested];
    if (candidate == null) {
      throw new BackendUnavailableError(
        requested,
        `unknown backend name; use one of: auto, ${order.join(', ')}`,
      );
    }
    const attempt = await candidate('explicit');
    if (!attempt.ok) throw new BackendUnavailableError(requested, attempt.reason);
    return finish(requested, requested, [], attempt, activeName);
  }
  const skipped: SkippedBackend[] = [];
  for (const name of order) {
    const attempt = await candidates[name]('auto');
    if (attempt.ok) return finish(name, 'auto', skipped, attempt, activeName);
    skipped.push({ name, reason: attempt.reason });
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`gankit: no TensorFlow.js backend could be started (${reasons})`);
}

function finish(
  name: BackendName,
  requested: BackendName | 'auto',
  skipped: SkippedBackend[],
  attempt: Extract<Attempt, { ok: true }>,
  activeName: () => string,
): ActiveBackend {
  const active = activeName();
  if (active !== name) {
    throw new Error(`gankit: backend '${name}' was prepared but tfjs reports '${active}' as active`);
  }
  return {
    name,
    requested,
    skipped,
    detail: attempt.detail,
    warnings: attempt.warnings,
    added: attempt.added,
    ...(attempt.softwareAdapter ? { softwareAdapter: true as const } : {}),
  };
}

/** The first line of an error's message, for one-line reasons. */
export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0]?.trim() ?? msg;
}

/** True when `err` says that `pkg` itself (not something it imports) cannot be found. */
export function isMissingPackage(err: unknown, pkg: string): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return notFound && (err.message.includes(`'${pkg}'`) || err.message.includes(`"${pkg}"`));
}
