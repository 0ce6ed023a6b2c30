/** The run's tfjs backend: a --backend value checked, started, described. */
import { type ActiveBackend, describeBackend, useBackend } from '@gankit/backends';
import { BACKENDS, type BackendChoice } from './config.js';
import { UsageError, unknownChoice } from './errors.js';

/** A --backend value, checked against the names the trainer knows. */
export function checkBackend(name: string): BackendChoice {
  if (!(BACKENDS as readonly string[]).includes(name)) throw unknownChoice('backend', name, BACKENDS);
  return name as BackendChoice;
}

export async function startBackend(choice: BackendChoice): Promise<ActiveBackend> {
  try {
    return await useBackend(choice);
  } catch (err) {
    throw new UsageError(`--backend ${choice}: ${(err as Error).message}`);
  }
}

export { describeBackend };
