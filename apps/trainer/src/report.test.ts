import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricRecord } from '@gankit/metrics';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from './config.js';
import { getPreset } from './presets.js';
import { renderReport, writeReport } from './report.js';
import { type EvalLine, RunFolder, type SampleLine, type StepLine } from './run-folder.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gankit-report-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A 4×4 grey-gradient PNG. */
function tinyPng(): Buffer {
  const png = new PNG({ width: 4, height: 4 });
  for (let i = 0; i < 16; i++) png.data.set([i * 16, i * 16, i * 16, 255], i * 4);
  return PNG.sync.write(png);
}

const extractor = { name: 'gankit-mnist-classifier', version: '2-seed1-e8-shift2' };
const fid = (value: number): MetricRecord => ({
  metric: 'fid',
  value,
  samples: { real: 10_000, generated: 10_000 },
  extractor,
  settings: { featureDim: 128 },
  seed: 1,
});

const step = (n: number, over: Partial<StepLine> = {}): StepLine => ({
  type: 'step',
  step: n,
  dLoss: 1.2 - n / 1000,
  gLoss: 0.8 + n / 1000,
  dReal: 0.6,
  dFake: 0.4,
  time: n / 10,
  stepsPerSecond: 10,
  ...over,
});

/** The embedded metrics: the `application/json` script, parsed back. */
function embedded(html: string): unknown {
  const m = /<script type="application\/json" id="gankit-metrics">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

async function newFolder(name: string): Promise<{ folder: RunFolder; config: RunConfig }> {
  const config = getPreset('quick') as RunConfig;
  const folder = new RunFolder(join(tmp, name));
  await folder.create(config, false);
  return { folder, config };
}

describe('writeReport', () => {
  it('writes a self-contained page: uPlot inlined, metrics as JSON, samples as data URIs, captions', async () => {
    const { folder, config } = await newFolder('full');
    writeFileSync(join(folder.samplesDir, 'step-0000000.png'), tinyPng());
    const evalWithNote: EvalLine = {
      type: 'eval',
      step: 200,
      time: 20,
      records: [],
      note: 'the classifier </script><script>alert(1)</script> is missing',
    };
    await folder.appendMetrics([
      { type: 'sample', step: 0, file: 'samples/step-0000000.png' } satisfies SampleLine,
      step(10),
      step(20, { dLoss: Number.NaN, gLoss: Number.POSITIVE_INFINITY, terms: { gradientPenalty: 0.1 } }),
      step(30),
      { type: 'eval', step: 100, time: 10, records: [fid(42.5)] } satisfies EvalLine,
      evalWithNote,
      { type: 'eval', step: 300, time: 30, records: [fid(21.25)] } satisfies EvalLine,
      // written to the log but never to disk: left out of the timeline
      { type: 'sample', step: 100, file: 'samples/step-0000100.png' } satisfies SampleLine,
    ]);

    await writeReport(folder, config);
    expect(existsSync(folder.reportPath)).toBe(true);
    const html = await readFile(folder.reportPath, 'utf8');

    // nothing to load from the network
    expect(html).not.toMatch(/src\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/<link[^>]+href\s*=\s*["']?https?:/i);
    expect(html).not.toMatch(/@import/);
    // uPlot's code and stylesheet inlined
    expect(html).toContain('var uPlot=function()');
    expect(html).toContain('.uplot');
    // the metrics, parsed back, are the log (NaN and Infinity were written as null)
    expect(embedded(html)).toEqual(await folder.readMetrics());
    // the note's `</script>` did not end the script element early; it shows as text
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
    expect(html).toContain('not evaluated: the classifier &lt;/script&gt;');
    // the sample, inline; the missing one skipped
    const png = tinyPng().toString('base64');
    expect(html).toContain(`src="data:image/png;base64,${png}"`);
    expect(html).toContain('step 0</figcaption>');
    expect(html).not.toContain('step 100</figcaption>');
    expect(html).toContain('image-rendering:pixelated');
    // charts and the metric caption with counts, extractor and seed
    expect(html).toContain('data-chart="loss"');
    expect(html).toContain('data-chart="terms"');
    expect(html).toContain('data-metric="fid"');
    expect(html).toContain(
      '10,000 generated vs 10,000 real · gankit-mnist-classifier@2-seed1-e8-shift2 · seed 1',
    );
    // the last evaluation's table, and the header
    expect(html).toContain('Last evaluation · step 300');
    expect(html).toContain('<td class="num">21.25</td>');
    expect(html).toContain(`<h1>${config.preset}</h1>`);
    expect(html).toContain('<details><summary>config.json</summary>');
  });

  it('renders a run interrupted before its first logged step (empty metrics file)', async () => {
    const { folder, config } = await newFolder('empty');
    writeFileSync(folder.metricsPath, '');
    await writeReport(folder, config);
    const html = await readFile(folder.reportPath, 'utf8');
    expect(embedded(html)).toEqual([]);
    expect(html).toContain('No training step was logged.');
    expect(html).toContain('No evaluation was run.');
    expect(html).toContain('No sample was saved.');
  });
});

describe('renderReport', () => {
  it('shows steps without evaluations, and escapes what it is given', () => {
    const config = { ...getPreset('quick'), description: 'a <b>bold</b> run' };
    const html = renderReport({ config, lines: [step(10), step(20)], samples: [] });
    expect(html).toContain('a &lt;b&gt;bold&lt;/b&gt; run');
    expect(html).toContain('data-chart="d"');
    expect(html).not.toContain('data-chart="terms"');
    expect(html).toContain('No evaluation was run.');
    expect(embedded(html)).toEqual([step(10), step(20)]);
  });
});
