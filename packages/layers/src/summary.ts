import type { Shape, SummaryRow } from './types.js';

const fmt = (n: number) => n.toLocaleString('en-US');
const shapeText = (s: Shape) => `(None, ${s.join(', ')})`;

/**
 * A Keras-style model summary: one row per layer with its output shape and parameter count (trainable and
 * non-trainable together, as Keras counts them), then the totals.
 */
export function summary(modelName: string, rows: readonly SummaryRow[]): string {
  // Keras's column widths, widened (rather than truncated, as Keras does) to fit the longest entry
  const w = [
    Math.max(29, ...rows.map((r) => `${r.name} (${r.kind})`.length + 1)),
    Math.max(26, ...rows.map((r) => shapeText(r.outputShape).length + 1)),
    12,
  ];
  const line = (c: string) => c.repeat(w[0]! + w[1]! + w[2]!);
  const cell = (text: string, width: number) => text.padEnd(width);
  const out = [
    `Model: "${modelName}"`,
    line('_'),
    `${cell('Layer (type)', w[0]!)}${cell('Output Shape', w[1]!)}Param #`,
    line('='),
  ];
  rows.forEach((r, i) => {
    out.push(
      `${cell(`${r.name} (${r.kind})`, w[0]!)}${cell(shapeText(r.outputShape), w[1]!)}${r.trainable + r.nonTrainable}`,
    );
    out.push(i === rows.length - 1 ? line('=') : line('_'));
  });
  const trainable = rows.reduce((n, r) => n + r.trainable, 0);
  const nonTrainable = rows.reduce((n, r) => n + r.nonTrainable, 0);
  out.push(
    `Total params: ${fmt(trainable + nonTrainable)}`,
    `Trainable params: ${fmt(trainable)}`,
    `Non-trainable params: ${fmt(nonTrainable)}`,
    line('_'),
  );
  return out.join('\n');
}
