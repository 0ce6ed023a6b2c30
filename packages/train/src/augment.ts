import { keyFor, uniformStream as uniform } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';

/** DiffAugment policies (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN Training"). */
export const AUGMENT_POLICIES = ['color', 'translation', 'cutout'] as const;
export type AugmentPolicy = (typeof AUGMENT_POLICIES)[number];

/** n uniform draws in JavaScript (no tensor read inside the step). */
const uniforms = (n: number, key: number) => Array.from({ length: n }, uniform(key));

/**
 * Differentiable augmentation applied alike to real and fake images before D: gradients flow through it to G.
 * Random parameters are drawn per example from `key` (so a step's augmentation is reproducible).
 *
 * - color: brightness ±0.5, saturation ×[0, 2], contrast ×[0.5, 1.5] (DiffAugment's rand_brightness/saturation/contrast)
 * - translation: shifts of up to 1/8 of the size with zero fill, done as products with shift matrices
 * - cutout: a zeroed square of half the size at a random place
 */
export function diffAugment(x: tf.Tensor4D, policies: readonly AugmentPolicy[], key: number): tf.Tensor4D {
  return tf.tidy(() => {
    let y: tf.Tensor4D = x;
    const [b, h, w, c] = x.shape;
    for (const policy of policies) {
      const k = keyFor(key, 0, policy);
      if (policy === 'color') {
        const brightness = tf.sub(tf.randomUniform([b, 1, 1, 1], 0, 1, 'float32', k), 0.5);
        y = tf.add(y, brightness);
        const mean = tf.mean(y, 3, true);
        y = tf.add(tf.mul(tf.sub(y, mean), tf.randomUniform([b, 1, 1, 1], 0, 2, 'float32', k + 1)), mean);
        const meanAll = tf.mean(y, [1, 2, 3], true);
        y = tf.add(
          tf.mul(tf.sub(y, meanAll), tf.randomUniform([b, 1, 1, 1], 0.5, 1.5, 'float32', k + 2)),
          meanAll,
        );
      } else if (policy === 'translation') {
        const sy = Math.floor(h / 8);
        const sx = Math.floor(w / 8);
        const u = uniforms(2 * b, k);
        const shiftMatrix = (n: number, shifts: number[]) => {
          // row i of the result takes row i − s of the input (zero where that is outside)
          const m = new Float32Array(shifts.length * n * n);
          shifts.forEach((s, e) => {
            for (let i = 0; i < n; i++) if (i - s >= 0 && i - s < n) m[e * n * n + i * n + (i - s)] = 1;
          });
          return tf.tensor3d(m, [shifts.length, n, n]);
        };
        const dy = Array.from({ length: b }, (_, e) => Math.floor(u[2 * e]! * (2 * sy + 1)) - sy);
        const dx = Array.from({ length: b }, (_, e) => Math.floor(u[2 * e + 1]! * (2 * sx + 1)) - sx);
        const rows = tf.matMul(shiftMatrix(h, dy), tf.reshape(y, [b, h, w * c])); // [b, h, w·c]
        const cols = tf.transpose(tf.reshape(rows, [b, h, w, c]), [0, 2, 1, 3]); // [b, w, h, c]
        const shifted = tf.matMul(shiftMatrix(w, dx), tf.reshape(cols, [b, w, h * c]));
        y = tf.transpose(tf.reshape(shifted, [b, w, h, c]), [0, 2, 1, 3]) as tf.Tensor4D;
      } else if (policy === 'cutout') {
        const ch = Math.floor(h / 2);
        const cw = Math.floor(w / 2);
        const u = uniforms(2 * b, k);
        const mask = new Float32Array(b * h * w).fill(1);
        for (let e = 0; e < b; e++) {
          const cy = Math.floor(u[2 * e]! * (h + 1 - ch));
          const cx = Math.floor(u[2 * e + 1]! * (w + 1 - cw));
          for (let i = cy; i < cy + ch; i++) for (let j = cx; j < cx + cw; j++) mask[(e * h + i) * w + j] = 0;
        }
        y = tf.mul(y, tf.tensor4d(mask, [b, h, w, 1]));
      } else {
        throw new Error(`unknown DiffAugment policy '${policy}'; use color, translation or cutout`);
      }
    }
    return y;
  });
}
