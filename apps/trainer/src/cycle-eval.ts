/** An unpaired run's evaluation and sample grids, on held-out images of both domains (the same at every evaluation). */
import { datasetImages, evaluateUnpaired, type FeatureExtractor, type MetricRecord } from '@gankit/metrics';
import type { Direction } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import type { Domain } from './cycle-data.js';
import type { CycleSession } from './cycle-session.js';
import { imageGrid } from './images.js';

/** The shipped classifier reading a domain: with its style's inversion undone (thick digits it reads as they are). */
function reading(extractor: FeatureExtractor, domain: Domain): FeatureExtractor {
  if (!domain.reader?.invert) return extractor;
  const flip = (x: tf.Tensor4D) => tf.sub(1, x) as tf.Tensor4D;
  return {
    ...extractor,
    features: (x) => tf.tidy(() => extractor.features(flip(x))),
    ...(extractor.logits ? { logits: (x: tf.Tensor4D) => tf.tidy(() => extractor.logits!(flip(x))) } : {}),
  };
}

/** G or F on images in [0, 1], giving images in [0, 1]. */
export function translateUnit(session: CycleSession, direction: Direction, x: tf.Tensor4D): tf.Tensor4D {
  const [lo, hi] = session.def.dataRange;
  return tf.tidy(() => {
    const y = session.trainer.translate(direction, tf.add(tf.mul(x, hi - lo), lo) as tf.Tensor4D);
    return tf.clipByValue(tf.div(tf.sub(y, lo), hi - lo), 0, 1) as tf.Tensor4D;
  });
}

/** A domain's held-out images `start …` in [0, 1], with labels. */
function heldOut(domain: Domain) {
  const read = datasetImages(domain.test);
  return async (start: number, size: number) => {
    const images = await read(start, size);
    const labels = domain.test.labels
      ? tf.tensor1d(Int32Array.from(domain.test.labels.subarray(start, start + size)), 'int32')
      : undefined;
    return { images, ...(labels ? { labels } : {}) };
  };
}

/**
 * Both directions on `count` held-out images each: class preservation (the classifier reading the target domain),
 * FID against the target domain's held-out images, and the cycle's L1 / PSNR / SSIM; class preservation and FID
 * beside the identity mapping's.
 */
export async function evaluateCycleRun(
  session: CycleSession,
  count: number,
): Promise<{ records: MetricRecord[]; note?: string }> {
  const { data, extractor, config } = session;
  const records: MetricRecord[] = [];
  for (const [direction, from, to] of [
    ['a2b', data.a, data.b],
    ['b2a', data.b, data.a],
  ] as const) {
    const n = Math.min(count, from.test.count);
    records.push(
      ...(await evaluateUnpaired({
        forward: (x) => translateUnit(session, direction, x),
        backward: (x) => translateUnit(session, direction === 'a2b' ? 'b2a' : 'a2b', x),
        sources: heldOut(from),
        reals: datasetImages(to.test),
        count: n,
        realCount: Math.min(n, to.test.count),
        ...(extractor ? { extractor: reading(extractor, to) } : {}),
        direction,
        seed: config.train.seed,
      })),
    );
  }
  return session.extractorNote ? { records, note: session.extractorNote } : { records };
}

/** `A→B: class 0.95 (identity 0.31) · fid 12.1 (80.2) · cycle L1 0.041 · B→A: …` */
export function formatCycle(records: MetricRecord[]): string {
  const v = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const names: Record<string, string> = { 'class-preservation': 'class', 'cycle-l1': 'cycle L1' };
  return (['a2b', 'b2a'] as const)
    .map((d) => {
      const parts = records
        .filter(
          (r) => r.settings?.direction === d && ['class-preservation', 'fid', 'cycle-l1'].includes(r.metric),
        )
        .map((r) => {
          const base = r.details?.baseline;
          return `${names[r.metric] ?? r.metric} ${v(r.value)}${base != null ? ` (${r.settings?.baseline} ${v(base)})` : ''}`;
        });
      return `${d === 'a2b' ? 'A→B' : 'B→A'}: ${parts.join(' · ')}`;
    })
    .join(' · ');
}

/** A grid of 8 held-out images of each domain: rows A | A→B | A→B→A, then B | B→A | B→A→B. */
export async function cycleSamplePng(session: CycleSession): Promise<Buffer> {
  const { data, def } = session;
  // grey rows beside colour ones are drawn in colour
  const c = Math.max(def.shapeA[2]!, def.shapeB[2]!);
  const cols = Math.min(8, data.a.test.count, data.b.test.count);
  const rows: tf.Tensor4D[] = [];
  for (const [direction, domain] of [
    ['a2b', data.a],
    ['b2a', data.b],
  ] as const) {
    const { images, labels } = await heldOut(domain)(0, cols);
    const there = translateUnit(session, direction, images);
    const back = translateUnit(session, direction === 'a2b' ? 'b2a' : 'a2b', there);
    for (const t of [images, there, back])
      rows.push((t.shape[3] === c ? tf.clone(t) : tf.tile(t, [1, 1, 1, c])) as tf.Tensor4D);
    tf.dispose([images, there, back, ...(labels ? [labels] : [])]);
  }
  const grid = tf.concat(rows, 0);
  tf.dispose(rows);
  const pixels = (await grid.data()) as Float32Array;
  const shape = grid.shape as [number, number, number, number];
  grid.dispose();
  return imageGrid(pixels, shape, cols, [0, 1], 2).png();
}

/** What an evaluation scores, for its console line. */
export function cycleEvaluationPhrase(session: CycleSession, count: number): string {
  const { a, b } = session.data;
  const n = (d: Domain) => Math.min(count, d.test.count).toLocaleString('en-US');
  return `${n(a)} ${a.heldOut ? 'held-out' : 'training'} A and ${n(b)} ${b.heldOut ? 'held-out' : 'training'} B images`;
}
