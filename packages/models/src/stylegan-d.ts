/** StyleGAN 2's residual discriminator at small scale, equalized throughout. */
import {
  conv2d,
  dense,
  downsample,
  elementwise,
  flatten,
  type Layer,
  minibatchStdDev,
  residual,
  sequential,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';

/** D: fromRGB, residual blocks (two 3×3 convolutions, then 2× average pooling; shortcut 1×1) scaled by 1/√2, minibatch stddev, a 3×3 convolution and two dense layers — StyleGAN 2's residual D, equalized throughout. */
export function residualDiscriminator(f: readonly number[], groupSize: number): Layer {
  const conv = (filters: number, kernelSize: number, activation?: 'leakyRelu', gain?: number) =>
    conv2d({
      filters,
      kernelSize,
      padding: 'same',
      activation,
      useBias: activation != null,
      equalized: gain == null ? true : { gain },
    });
  const layers: Layer[] = [conv(f[0]!, 1, 'leakyRelu')];
  // from the image down to D's last resolution (7 or 8)
  for (let i = 0; i < f.length - 1; i++) {
    layers.push(
      residual(
        sequential([conv(f[i]!, 3, 'leakyRelu'), conv(f[i + 1]!, 3, 'leakyRelu'), downsample(2)]),
        sequential([downsample(2), conv(f[i + 1]!, 1, undefined, 1)]),
      ),
      elementwise('Scale', (x) => tf.mul(x, Math.SQRT1_2)),
    );
  }
  const last = f[f.length - 1]!;
  layers.push(
    minibatchStdDev({ groupSize }),
    conv(last, 3, 'leakyRelu'),
    flatten(),
    dense({ units: last, activation: 'leakyRelu', equalized: true }),
    dense({ units: 1, equalized: { gain: 1 } }),
  );
  return sequential(layers);
}
