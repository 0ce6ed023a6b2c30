import { useBackend } from '@gankit/backends';
import { build, dense, sequential, tanh, variablesOf } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { minimax } from './adversarial.js';

/**
 * The seed's derivation, checked numerically on 1-D Gaussians. For fixed p_data and p_g a discriminator trained
 * with the minimax loss approaches D*(x) = p_data(x) / (p_data(x) + p_g(x)), and at D* the value of the game is
 * V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g).
 */
const normal = (mu: number, sigma: number) => (x: number) =>
  Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
const pData = normal(0, 1);
const pG = normal(1, 0.5);
const dStar = (x: number) => pData(x) / (pData(x) + pG(x));
/** 1 − D*(x), computed without cancellation. */
const dStarFake = (x: number) => pG(x) / (pData(x) + pG(x));

// trapezoid integration on a fine grid
const GRID = Array.from({ length: 4001 }, (_, i) => -8 + (i * 16) / 4000);
const integrate = (f: (x: number, i: number) => number) => {
  let s = 0;
  for (let i = 1; i < GRID.length; i++)
    s += ((f(GRID[i]!, i) + f(GRID[i - 1]!, i - 1)) / 2) * (GRID[i]! - GRID[i - 1]!);
  return s;
};

describe('the optimal discriminator and the JSD identity (seed lecture)', () => {
  it('V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g) by direct integration', () => {
    const m = (x: number) => (pData(x) + pG(x)) / 2;
    const kl = (p: (x: number) => number) =>
      integrate((x) => (p(x) > 1e-300 ? p(x) * Math.log(p(x) / m(x)) : 0));
    const jsd = 0.5 * kl(pData) + 0.5 * kl(pG);
    // 0·log 0 = 0 in the far tails, where a density underflows
    const xlogy = (p: number, q: number) => (p > 1e-300 ? p * Math.log(q) : 0);
    const v = integrate((x) => xlogy(pData(x), dStar(x)) + xlogy(pG(x), dStarFake(x)));
    expect(jsd).toBeGreaterThan(0.1); // the distributions differ
    expect(v).toBeCloseTo(-Math.log(4) + 2 * jsd, 6);
  });

  it('a discriminator trained with the minimax loss approaches D*, and its value approaches −log 4 + 2·JSD', async () => {
    await useBackend('wasm');
    const layer = sequential([
      dense({ units: 32 }),
      tanh(),
      dense({ units: 32 }),
      tanh(),
      dense({ units: 1 }),
    ]);
    const d = build(layer, { name: 'Dstar', inputShape: [1], seed: 3 });
    const loss = minimax();
    const fast = tf.train.adam(5e-3);
    const slow = tf.train.adam(1e-3); // a decayed learning rate to settle
    const vars = variablesOf(d.params);
    const logits = (x: tf.Tensor) => layer.apply(d.params, d.state, x, { training: false }).y;
    for (let step = 0; step < 1000; step++) {
      // let the test runner's messages through: a long synchronous loop starves its RPC
      if (step % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      const opt = step < 600 ? fast : slow;
      tf.tidy(() => {
        const real = tf.randomNormal([512, 1], 0, 1, 'float32', 2 * step);
        const fake = tf.randomNormal([512, 1], 1, 0.5, 'float32', 2 * step + 1);
        opt.minimize(() => loss.discriminator(logits(real), logits(fake)), false, vars);
      });
    }
    const probs = tf.tidy(() =>
      Array.from(tf.sigmoid(logits(tf.tensor2d(GRID, [GRID.length, 1]))).dataSync()),
    );
    // D ≈ D* where both distributions put samples (densities above 10 % of their peaks: x in [−0.07, 2.07])
    let worst = 0;
    GRID.forEach((x, i) => {
      if (pData(x) > 0.04 && pG(x) > 0.08) worst = Math.max(worst, Math.abs(probs[i]! - dStar(x)));
    });
    expect(worst).toBeLessThan(0.05); // 0.033 here
    const m = (x: number) => (pData(x) + pG(x)) / 2;
    const kl = (p: (x: number) => number) =>
      integrate((x) => (p(x) > 1e-300 ? p(x) * Math.log(p(x) / m(x)) : 0));
    const jsd = 0.5 * kl(pData) + 0.5 * kl(pG);
    const v = integrate((x, i) => pData(x) * Math.log(probs[i]!) + pG(x) * Math.log(1 - probs[i]!));
    // V(D, G) ≤ V(D*, G) for every D; training gets within 0.01 of the maximum
    expect(v).toBeLessThanOrEqual(-Math.log(4) + 2 * jsd + 1e-3);
    expect(v).toBeGreaterThan(-Math.log(4) + 2 * jsd - 0.01); // 0.0032 below here
    for (const t of vars) t.dispose();
    fast.dispose();
    slow.dispose();
  }, 300_000); // 1,000 steps of 512 + 512 (a quarter of the work that took 15 s alone)
});
