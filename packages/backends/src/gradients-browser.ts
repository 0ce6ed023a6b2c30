import { installSecondOrderFixes } from './second-order.js';

let pending: Promise<void> | undefined;

/**
 * Registers every gradient of tfjs-core, and the chained tensor methods such as `x.square()`, in a browser
 * bundle. Importing `@tensorflow/tfjs-core` alone registers none; bundlers load these ES modules as they are.
 * Then makes second-order gradients correct (see second-order.ts).
 */
export function ensureGradients(): Promise<void> {
  pending ??= (async () => {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
    installSecondOrderFixes();
  })();
  return pending;
}
