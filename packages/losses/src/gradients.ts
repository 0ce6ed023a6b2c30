import * as tf from '@tensorflow/tfjs-core';

/**
 * Throws a message that says what to do when no gradients are registered — instead of tfjs's "gradient function
 * not found for Sum", which is what training or a penalty meets when `useBackend()` was never called.
 */
export function requireGradients(what = 'training'): void {
  if (tf.getGradient('Sum') == null)
    throw new Error(
      `${what} needs gradients, and none are registered: call \`await useBackend()\` from @gankit/backends first ` +
        '(it picks the backend and registers the gradients and kernels that training needs)',
    );
}
