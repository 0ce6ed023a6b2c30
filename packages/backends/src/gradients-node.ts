import { register } from 'node:module';
import { getGradient, Tensor } from '@tensorflow/tfjs-core';
import { installSecondOrderFixes } from './second-order.js';

/**
 * A module-resolution hook, scoped to @tensorflow/tfjs-core's ESM files: they import siblings without file
 * extensions ('./kernel_names'), which bundlers accept and plain Node ESM rejects, and they sit in a package
 * without "type": "module". The hook adds the '.js' and declares them ES modules; every other import in the
 * process resolves untouched.
 */
const HOOK = `
const CORE = '/@tensorflow/tfjs-core/dist/';
export async function resolve(specifier, context, next) {
  const parent = context.parentURL || '';
  if (parent.includes(CORE) && specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier)) {
    return { ...(await next(specifier + '.js', context)), format: 'module' };
  }
  const r = await next(specifier, context);
  if (r.url.includes(CORE) && !r.url.endsWith('.node.js') && !r.url.endsWith('.min.js')) {
    return { ...r, format: 'module' };
  }
  return r;
}
`;

let pending: Promise<void> | undefined;

/**
 * Registers every gradient of tfjs-core (and the chained tensor methods such as `x.square()`) in Node.
 *
 * Importing `@tensorflow/tfjs-core` registers no gradients, and its only gradient files are ES modules that
 * plain Node cannot load, so `tf.grad` fails with "gradient function not found". Registries in tfjs are
 * process-global, so these modules register into the same engine as the CommonJS build Node loads. Then makes
 * second-order gradients correct (see second-order.ts).
 */
export function ensureGradients(): Promise<void> {
  pending ??= (async () => {
    const needGradients = getGradient('Conv2D') == null;
    const needChainedOps = !('square' in Tensor.prototype);
    // (both are already there when e.g. @tensorflow/tfjs-node loaded tfjs's own bundle)
    if (needGradients || needChainedOps) register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
    if (needGradients) await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    if (needChainedOps)
      await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
    installSecondOrderFixes();
  })();
  return pending;
}
