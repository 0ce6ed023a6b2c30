import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import { latentBatch, noiseDimOf, walkLatents } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { COMMON_FLAGS, type Flags, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { EXIT, UsageError } from '../errors.js';
import { imageGrid } from '../images.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { samplePng, toUnit } from '../samples.js';
import { restoreRun } from '../session.js';
import { checkTruncation, mixingGrid, styleGenerate, styleSampler, walkInW } from './generate-style.js';

export const GENERATE_FLAGS: Flags = {
  n: { kind: 'positive-int', value: 'N', help: 'number of samples (default 64)' },
  out: { kind: 'string', value: 'FILE.png', help: 'where to write the image grid (required)' },
  class: {
    kind: 'int',
    value: 'K',
    help: 'class to draw (conditional models; InfoGAN: the categorical code)',
  },
  truncation: {
    kind: 'non-negative',
    value: 'T|ψ',
    help: 'fidelity for variety: redraw noise values beyond ±T (T > 0); on a style-based run, ψ in [0, 1] pulls w towards the average w̄',
  },
  'truncation-layers': {
    kind: 'positive-int',
    value: 'N',
    help: 'style-based runs: truncate only the first N styles (the coarse ones; default all)',
  },
  interpolate: {
    kind: 'boolean',
    help: 'rows of 8 that walk the latent space between two random points (in W on a style-based run)',
  },
  mix: {
    kind: 'boolean',
    help: 'style-based runs: a style-mixing grid (rows give coarse styles, columns fine ones; --n sets its size)',
  },
  seed: { kind: 'int', value: 'N', help: 'seed of the noise (default 0)' },
  force: { kind: 'boolean', help: 'overwrite an existing --out file' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

export async function generateCommand(argv: string[], io: MainIO): Promise<number> {
  const { cwd } = io;
  const parsed = parseCommand('generate', argv, {
    stdout: io.stdout,
    usage:
      'gankit generate DIR --n 64 --out FILE.png [--class K] [--truncation T|ψ] [--truncation-layers N] [--interpolate | --mix]',
    summary: 'Draws samples from a run’s generator.',
    flags: GENERATE_FLAGS,
    positionals: { min: 1, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json), io);
  if (values.out == null) throw new UsageError('gankit generate needs --out FILE.png');
  const file = resolve(cwd, values.out as string);
  if (!file.toLowerCase().endsWith('.png')) throw new UsageError(`--out ${values.out} must be a .png file`);
  if (existsSync(file) && !values.force)
    throw new UsageError(`--out ${values.out} exists; pass --force to overwrite it`);
  const n = (values.n as number | undefined) ?? 64;
  if (n > 4096) throw new UsageError(`--n ${n} is more than one grid can hold (4096)`);
  if (values.mix && values.interpolate)
    throw new UsageError('--mix and --interpolate draw different grids: pick one');
  const { session } = await restoreRun(
    resolve(cwd, positionals[0]!),
    values.backend as string | undefined,
    'loaded',
  );
  const step = session.trainer.counters.step;
  try {
    const { gan, trainer, data } = session;
    const generate = (z: tf.Tensor2D, labels?: tf.Tensor1D) => trainer.sample(z, labels);
    const seed = (values.seed as number | undefined) ?? 0;
    const label = values.class as number | undefined;
    const truncation = values.truncation as number | undefined;
    const style = styleSampler(trainer.G, trainer.ema?.params);
    checkTruncation(truncation, style != null);
    const layers = values['truncation-layers'] as number | undefined;
    if (style == null && (values.mix || layers != null))
      throw new UsageError(
        `${values.mix ? '--mix' : '--truncation-layers'} needs a style-based run (a generator with a W space: --preset stylegan-mnist, stylegan-fashion); this run's model is ${gan.architecture}`,
      );
    const psi = { psi: truncation, layers };
    try {
      if (label != null) latentBatch(gan, 1, 0, { label }).z.dispose();
    } catch (err) {
      throw new UsageError(`--class ${label}: ${(err as Error).message}`);
    }
    let png: Buffer;
    if (style != null && values.mix) {
      png = await mixingGrid(
        gan,
        style,
        Math.max(2, Math.min(8, Math.round(Math.sqrt(n)))),
        seed * 7919 + 1,
        psi,
      );
    } else if (style != null && values.interpolate) {
      png = await walkInW(gan, style, Math.max(1, Math.round(n / 8)), seed, psi);
    } else if (style != null) {
      png = await samplePng(gan, styleGenerate(style, psi), data, { n, label, seed: seed * 7919 + 1 });
    } else if (values.interpolate) {
      if (data.kind === 'points')
        throw new UsageError('--interpolate draws image rows; this run generates points');
      const rows = Math.max(1, Math.round(n / 8));
      const ends = latentBatch(gan, 2 * rows, seed, { truncation, label });
      const zs = (await ends.z.data()) as Float32Array;
      const d = gan.latentDim;
      const z = new Float32Array(rows * 8 * d);
      for (let r = 0; r < rows; r++) {
        const a = zs.subarray(2 * r * d, (2 * r + 1) * d);
        const b = zs.subarray((2 * r + 1) * d, (2 * r + 2) * d);
        z.set(walkLatents(a, b, 8, noiseDimOf(gan)), r * 8 * d); // InfoGAN codes on a line, the noise on the sphere
      }
      const zt = tf.tensor2d(z, [rows * 8, d]);
      const labels =
        gan.classes != null
          ? tf.tensor1d(
              Array.from({ length: rows * 8 }, (_, i) => label ?? Math.floor(i / 8) % gan.classes!),
              'int32',
            )
          : undefined;
      const images = tf.tidy(() => toUnit(generate(zt, labels), gan));
      const pixels = (await images.data()) as Float32Array;
      png = imageGrid(pixels, images.shape as [number, number, number, number], 8, [0, 1], 2).png();
      tf.dispose([ends.z, ends.labels, zt, labels, images].filter((t): t is tf.Tensor => t != null));
    } else {
      png = await samplePng(gan, generate, data, { n, label, truncation, seed: seed * 7919 + 1 });
    }
    await writeFileAtomic(file, png);
    const what = values.mix ? 'a style-mixing grid' : `${n} samples`;
    const trunc =
      truncation == null ? '' : style ? `, truncation ψ ${truncation} in W` : `, truncation ${truncation}`;
    out.line(`wrote ${file} (${what} at step ${step}${label != null ? `, class ${label}` : ''}${trunc})`);
    out.result({
      command: 'generate',
      file,
      n,
      step,
      class: label ?? null,
      truncation: truncation ?? null,
      ...(style ? { space: 'W', mix: Boolean(values.mix) } : {}),
    });
    return EXIT.ok;
  } finally {
    session.trainer.dispose();
  }
}
