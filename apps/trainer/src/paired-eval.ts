/** An image-to-image run's evaluation and sample grids, on held-out pairs that are the same at every evaluation. */
import { evaluatePairs, type MetricRecord, type PairSource } from '@gankit/metrics';
import * as tf from '@tensorflow/tfjs-core';
import { imageGrid } from './images.js';
import { evaluationPairs } from './paired-data.js';
import type { PairedSession } from './paired-session.js';

/** Images from the model's range to [0, 1]. */
const unit = (x: tf.Tensor, [lo, hi]: [number, number]) =>
  tf.clipByValue(tf.div(tf.sub(x, lo), hi - lo), 0, 1) as tf.Tensor4D;

/** Held-out pairs `start … start + size − 1` (sources in the model's range, targets in [0, 1]). */
function heldOutPairs(session: PairedSession): PairSource {
  const { data, def, config } = session;
  return async (start, size) => {
    const batcher = evaluationPairs(data, def, config.train.seed, size);
    batcher.restore({ ...batcher.state(), position: start });
    const b = batcher.next();
    const target = unit(b.target, def.dataRange);
    tf.dispose([b.target, ...(b.mask ? [b.mask] : [])]);
    return { source: b.source, target, ...(b.labels ? { labels: b.labels } : {}) };
  };
}

/**
 * What the run's task is measured against: bilinear upsampling for super-resolution (the papers' baseline), the
 * unfilled image for inpainting; none for pix2pix, whose L1-only ablation is a run of its own
 * (`train.adversarialWeight: 0`).
 */
function baselineOf(session: PairedSession) {
  const { data, def } = session;
  const c = def.targetShape[2]!;
  // inpainting: the damaged image as it came (the hole at the range's middle), what the classifier reads without G
  if (data.task.kind === 'inpaint')
    return {
      name: 'unfilled',
      translate: (source: tf.Tensor4D) =>
        unit(tf.slice(source, [0, 0, 0, 0], [-1, -1, -1, c]), def.dataRange),
    };
  if (data.task.kind !== 'downscale') return undefined;
  const [h, w] = def.targetShape as [number, number, number];
  return {
    name: 'bilinear',
    translate: (source: tf.Tensor4D) =>
      unit(tf.image.resizeBilinear(source, [h, w], false, true), def.dataRange),
  };
}

/** PSNR, SSIM, class preservation and FID (with the shipped classifier) on `count` held-out pairs, beside the baseline. */
export async function evaluatePairedRun(
  session: PairedSession,
  count: number,
): Promise<{ records: MetricRecord[]; note?: string }> {
  const { def, trainer, data, extractor, config } = session;
  const n = Math.min(count, data.evalImages.count);
  const baseline = baselineOf(session);
  const fits = extractor && def.targetShape.every((v, i) => v === extractor.inputShape[i]);
  const records = await evaluatePairs({
    translate: (source) => unit(trainer.translate(source), def.dataRange),
    pairs: heldOutPairs(session),
    count: n,
    ...(baseline ? { baseline } : {}),
    ...(fits ? { extractor } : {}),
    seed: config.train.seed,
  });
  if (fits) return { records };
  const why = session.extractorError
    ? `the shipped classifier did not load (${session.extractorError})`
    : `no classifier fits ${data.spec}`;
  return { records, note: `${why}: PSNR and SSIM only` };
}

/**
 * A sample grid of 8 held-out pairs, one per row, in columns source | generated | target (sources upsampled to the
 * targets' size, their first channels).
 */
export async function pairedSamplePng(session: PairedSession): Promise<Buffer> {
  const { def, trainer } = session;
  const { source, target, labels } = await heldOutPairs(session)(0, 8);
  const [h, w, c] = def.targetShape as [number, number, number];
  const rows = tf.tidy(() => {
    const shown = unit(
      tf.image.resizeNearestNeighbor(
        tf.slice(source, [0, 0, 0, 0], [-1, -1, -1, Math.min(c, source.shape[3])]),
        [h, w],
      ),
      def.dataRange,
    );
    const sourceRow = shown.shape[3] === c ? shown : tf.tile(shown, [1, 1, 1, c]);
    // pair by pair: source, output, target side by side ([8, 3, h, w, c] → 24 images in row order)
    const triples = tf.stack([sourceRow, unit(trainer.translate(source), def.dataRange), target], 1);
    return tf.reshape(triples, [-1, h, w, c]);
  });
  const pixels = (await rows.data()) as Float32Array;
  const shape = rows.shape as [number, number, number, number];
  tf.dispose([source, target, rows, ...(labels ? [labels] : [])]);
  return imageGrid(pixels, shape, 3, [0, 1], 2).png();
}

/** What an evaluation scores, for its console line: `2,000 held-out pairs`, or `10 training pairs` for your own. */
export function evaluationPhrase(session: PairedSession, count: number): string {
  const n = Math.min(count, session.data.evalImages.count);
  return `${n.toLocaleString('en-US')} ${session.data.task.kind === 'given' ? 'training' : 'held-out'} pairs`;
}
