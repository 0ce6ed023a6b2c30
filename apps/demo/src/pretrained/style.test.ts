import { useBackend } from '@gankit/backends';
import { instantiate, type Network, stylegan, stylesOf, synthesize } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPsi, sliderToPsi, styleImages } from './style.js';

/** A tiny StyleGAN 2 (z, w of 8; 8 styles), its w̄ moved off zero so that truncation has somewhere to go. */
let net: Network;
let before: number;
const values = (t: tf.Tensor) => Array.from(t.dataSync());
/** The values of the tensor `f` makes, which is then freed. */
const read = (f: () => tf.Tensor) => {
  const t = f();
  try {
    return values(t);
  } finally {
    t.dispose();
  }
};
const noiseWeights = () => net.variables().filter((v) => /noise/.test(v.name));

beforeAll(async () => {
  await useBackend('wasm');
  before = tf.memory().numTensors;
  const gan = stylegan({ latentDim: 8, styleDim: 8, mappingLayers: 2, gFilters: [4, 4, 4, 4] });
  net = instantiate(gan.generator, 3);
  (net.state.wAvg as tf.Tensor).dispose();
  net.state.wAvg = tf.randomNormal([8], 0, 1, 'float32', 5);
});

afterAll(() => {
  net.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

describe('truncation in W', () => {
  it('draws w̄ + ψ(w − w̄) with the stored w̄; ψ = 0 gives every latent the image of w̄', () => {
    const n = tf.memory().numTensors;
    const z = tf.randomNormal([3, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
    const psi = 0.4;
    const got = styleImages(net, z, { psi, noiseSeed: 7 });
    const expected = tf.tidy(() => {
      const ws = stylesOf(net, net.params, z); // ψ = 1: w itself, [3, 8, 8]
      const wAvg = tf.reshape(net.state.wAvg as tf.Tensor, [1, 1, 8]);
      return synthesize(net, net.params, tf.add(wAvg, tf.mul(tf.sub(ws, wAvg), psi)), 7);
    });
    expect(values(got)).toEqual(values(expected).map((v) => expect.closeTo(v, 5)));
    const zero = styleImages(net, z, { psi: 0, noiseSeed: 7 });
    const [a, b] = tf.split(zero, [1, 2]).map((t) => read(() => t)) as [number[], number[]];
    expect(b.slice(0, a.length)).toEqual(a.map((v) => expect.closeTo(v, 6))); // noise starts at strength 0
    const w = styleImages(net, z, { psi: 1, noiseSeed: 7 });
    expect(values(w)).not.toEqual(values(zero));
    tf.dispose([z, got, expected, zero, w]);
    expect(tf.memory().numTensors).toBe(n);
  });

  it('the slider snaps ψ to [0, 1] in steps of 0.05 and says it is in W', () => {
    expect([-1, 0, 0.42, 0.7, 1, 3, Number.NaN].map(sliderToPsi)).toEqual([0, 0, 0.4, 0.7, 1, 1, 1]);
    expect(formatPsi(0.7)).toBe('ψ = 0.70 in W');
    expect(formatPsi(1)).toBe('ψ = 1 (off) in W');
  });
});

describe('noise resampling', () => {
  it('changes the images of the same latents only where the network has noise; same-noise images ignore the batch', () => {
    const n = tf.memory().numTensors;
    const z = tf.randomNormal([2, 8], 0, 1, 'float32', 4) as tf.Tensor2D;
    const draw = (noiseSeed: number, sameNoise = false) =>
      read(() => styleImages(net, z, { psi: 1, noiseSeed, sameNoise }));
    // a fresh StyleGAN's noise strengths are 0: a network without noise, whatever the seed
    expect(draw(2)).toEqual(draw(1));
    const strengths = noiseWeights();
    expect(strengths.length).toBe(7); // one per convolution: 1 at 4×4, 2 at each of 7, 14, 28
    for (const v of strengths) tf.tidy(() => v.assign(tf.fill(v.shape, 0.5)));
    const [one, two] = [draw(1), draw(2)];
    expect(two).not.toEqual(one);
    expect(draw(1)).toEqual(one); // the same seed, the same noise
    // one image at a time: the second latent's image is its image alone, the noise the same for every image
    const alone = read(() =>
      tf.tidy(() => styleImages(net, tf.slice(z, [1, 0], [1, 8]), { psi: 1, noiseSeed: 1, sameNoise: true })),
    );
    expect(draw(1, true).slice(784)).toEqual(alone.map((v) => expect.closeTo(v, 5)));
    for (const v of strengths) tf.tidy(() => v.assign(tf.zerosLike(v)));
    z.dispose();
    expect(tf.memory().numTensors).toBe(n);
  });
});
