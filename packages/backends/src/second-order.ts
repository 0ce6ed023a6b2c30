import * as tf from '@tensorflow/tfjs-core';

/**
 * Makes second-order gradients (gradient penalties: WGAN-GP, R1, DRAGAN) correct in tfjs-core 4.22. Three causes,
 * each fixed where it lives:
 *
 * 1. **Tape order.** When a kernel's gradient needs its own output (tanh, sigmoid, exp, pow, softmax, elu, max…;
 *    `outputsToSave`), the engine records the saved copy on the tape *before* the kernel that produced it. Backprop
 *    walks the tape in reverse and the forward filter walks it in order, so a gradient that flows into that saved
 *    copy — which is what differentiating a gradient does — is dropped: tanh/sigmoid layers give silently wrong
 *    penalty gradients, and a bias before them is reported as "not a function of x". The engine's `addTapeNode`
 *    is wrapped to move each new node in front of the nodes that consume its outputs.
 * 2. **Non-differentiable ops without gradients.** Comparisons and logical ops (used by the gradients of
 *    leakyRelu, where, pow, relu6 …) have no gradient registered, so differentiating through them fails with
 *    "gradient function not found for Greater". Their gradient is zero, as TensorFlow declares them
 *    non-differentiable.
 * 3. **Gradient kernels without gradients.** First-order gradients of some layers are kernels of their own
 *    (`EluGrad`, `AvgPoolGrad`, `ResizeNearestNeighborGrad`); their gradients are registered here.
 *
 * Each fix is proven against central finite differences in this package's tests and, through every
 * discriminator layer, in @gankit/losses.
 */
export function installSecondOrderFixes(): string[] {
  const fixed: string[] = [];
  if (fixTapeOrder()) fixed.push('tape order of saved outputs');
  for (const config of gradientConfigs) {
    if (tf.getGradient(config.kernelName) != null) continue;
    tf.registerGradient(config);
    fixed.push(`${config.kernelName} gradient`);
  }
  return fixed;
}

interface TapeNode {
  inputs: Record<string, tf.Tensor | undefined>;
  outputs: tf.Tensor[];
}

interface EngineInternals {
  addTapeNode: (...args: unknown[]) => void;
  state: { activeTape: TapeNode[] | null };
}

const PATCHED = Symbol.for('gankit.tapeOrder');

function fixTapeOrder(): boolean {
  const engine = tf.engine() as unknown as EngineInternals & Record<symbol, boolean>;
  if (engine[PATCHED]) return false;
  if (typeof engine.addTapeNode !== 'function' || engine.state == null) {
    throw new Error(
      'gankit: this @tensorflow/tfjs-core has no Engine.addTapeNode, so its tape-order bug cannot be fixed; use 4.22',
    );
  }
  const original = engine.addTapeNode.bind(engine);
  engine.addTapeNode = (...args: unknown[]) => {
    original(...args);
    const tape = engine.state.activeTape;
    if (tape == null || tape.length < 2) return;
    let i = tape.length - 1;
    const node = tape[i]!;
    const outputs = new Set(node.outputs.map((t) => t.id));
    const consumes = (n: TapeNode) => Object.values(n.inputs).some((t) => t != null && outputs.has(t.id));
    while (i > 0 && consumes(tape[i - 1]!)) {
      tape[i] = tape[i - 1]!;
      tape[i - 1] = node;
      i--;
    }
  };
  engine[PATCHED] = true;
  return true;
}

const zeroGradient = (kernelName: string, inputs: string[]): tf.GradConfig => ({
  kernelName,
  inputsToSave: inputs,
  gradFunc: (_dy, saved) =>
    Object.fromEntries(inputs.map((name, i) => [name, () => tf.zerosLike(saved[i] as tf.Tensor)])) as Record<
      string,
      () => tf.Tensor
    >,
});

const gradientConfigs: tf.GradConfig[] = [
  ...['Greater', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr', 'LogicalXor'].map((k) =>
    zeroGradient(k, ['a', 'b']),
  ),
  zeroGradient('LogicalNot', ['x']),
  {
    // EluGrad(dy, y) = dy where y > 0, dy·(y + 1) elsewhere (y = elu(x), so y + 1 = exp(x) there)
    kernelName: 'EluGrad',
    inputsToSave: ['dy', 'y'],
    gradFunc: (ddx, saved) => {
      const [dy, y] = saved as [tf.Tensor, tf.Tensor];
      const positive = tf.greater(y, 0);
      return {
        dy: () => tf.mul(ddx as tf.Tensor, tf.where(positive, tf.onesLike(y), tf.add(y, 1))),
        y: () => tf.mul(ddx as tf.Tensor, tf.where(positive, tf.zerosLike(y), dy)),
      };
    },
  },
  {
    // AvgPoolGrad is linear in dy and the transpose of avgPool, so its gradient is avgPool of the upstream.
    kernelName: 'AvgPoolGrad',
    inputsToSave: ['input'],
    gradFunc: (ddx, saved, attrs) => {
      const [input] = saved as [tf.Tensor4D];
      const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolAttrs;
      return {
        dy: () => tf.avgPool(ddx as tf.Tensor4D, filterSize, strides, pad),
        input: () => tf.zerosLike(input),
      };
    },
  },
  {
    // ResizeNearestNeighborGrad is the transpose of the (linear) nearest resize.
    kernelName: 'ResizeNearestNeighborGrad',
    inputsToSave: ['images', 'dy'],
    gradFunc: (ddx, saved, attrs) => {
      const [images, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
      const { alignCorners, halfPixelCenters } = attrs as unknown as tf.ResizeNearestNeighborAttrs;
      return {
        images: () => tf.zerosLike(images),
        dy: () =>
          tf.image.resizeNearestNeighbor(
            ddx as tf.Tensor4D,
            [dy.shape[1], dy.shape[2]],
            alignCorners,
            halfPixelCenters,
          ),
      };
    },
  },
];
