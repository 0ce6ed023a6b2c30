/** A progressively grown run through the CLI: bad growth schedules refused, grids per resolution, phases in the report. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGenerator } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { hashTree, mainIn } from './cli.fixture.js';
import type { RunConfig } from './config.js';
import { growthLine, resolutionEndingAt } from './growth.js';
import { getPreset } from './presets.js';

const work = mkdtempSync(join(tmpdir(), 'gankit-progan-'));
const gankit = mainIn(work);

/** progan-mnist at toy size: 4/2/2 feature maps, 32 images per phase at batch 16 (2 steps each). */
const tiny = (growth: Record<string, unknown> = {}) => {
  const file = join(work, `tiny-${Object.keys(growth).join('-') || 'ok'}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      model: { family: 'progan', options: { imageSize: 28, channels: 1, latentDim: 8, widths: [4, 2, 2] } },
      train: {
        batchSize: 16,
        growth: { resolutions: [7, 14, 28], stabiliseImages: 32, fadeImages: 32, ...growth },
      },
    }),
  );
  return ['train', '--preset', 'progan-mnist', '--config', file, '--backend', 'wasm'];
};

describe('progan through the CLI', () => {
  it('refuses a growth schedule that does not fit the data, or has zero images: exit 2, the run folder unchanged', async () => {
    const dir = join(work, 'existing');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'a run worth keeping');
    const before = hashTree(dir);
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { resolutions: [8, 16, 32] },
        /config.growth.resolutions must be consecutive resolutions of progan-28 ending at the data's 28×28 \(its stages: 7, 14, 28\), got \[8, 16, 32\]: use \[7, 14, 28\]/,
      ],
      [
        { stabiliseImages: 0 },
        /train.growth.stabiliseImages must be a positive whole number of images \(e.g. 20000\), got 0/,
      ],
      [
        { fadeImages: 8 },
        /config.growth.fadeImages is 8, less than one iteration's 16 real images .*: give at least 16/,
      ],
    ];
    for (const [growth, message] of cases) {
      const r = await gankit(...tiny(growth), '--out', 'existing', '--force', '--steps', '4');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(hashTree(dir)).toBe(before);
      const fresh = await gankit(...tiny(growth), '--out', 'never-made', '--steps', '4');
      expect(fresh.code).toBe(2);
      expect(existsSync(join(work, 'never-made'))).toBe(false);
    }
  });

  it('grows 7 → 14 → 28: a grid per resolution, phases in metrics and report, the grown generator exported at 28×28', async () => {
    const r = await gankit(
      ...tiny(),
      '--out',
      'grown',
      '--steps',
      '9',
      '--log-every',
      '1',
      '--sample-every',
      '4',
      '--checkpoint-every',
      '4',
      '--eval-samples',
      '100',
    );
    expect(r.code, r.stderr).toBe(0);
    const dir = join(work, 'grown');
    // every grid has 28×28 cells (a growing generator's output is upsampled): the same size as the last step's
    const width = (file: string) => PNG.sync.read(readFileSync(join(dir, 'samples', file))).width;
    for (const file of ['res-007.png', 'res-014.png', 'res-028.png'])
      expect(width(file), file).toBe(width('step-0000004.png'));
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.type === 'step');
    expect(lines.map((l) => [l.phase, l.alpha])).toEqual([
      ['stabilise-7', undefined],
      ['stabilise-7', undefined],
      ['fade-14', 0],
      ['fade-14', 0.5],
      ['stabilise-14', undefined],
      ['stabilise-14', undefined],
      ['fade-28', 0],
      ['fade-28', 0.5],
      ['stabilise-28', undefined],
    ]);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain(
      'Phases, marked on the curves by dashed lines: 7×7 from step 0 · fade in 14×14 from step 2 · 14×14 from step 4 · fade in 28×28 from step 6 · 28×28 from step 8.',
    );
    expect(report).toContain('<script type="application/json" id="gankit-phases">[{"step":0,"label":"7×7"}');
    const { network, manifest } = loadGenerator(
      new Uint8Array(readFileSync(join(dir, 'generator.safetensors'))),
    );
    expect(manifest.model.family).toBe('progan');
    expect(network.outputShapes.images).toEqual([28, 28, 1]);
    const z = tf.randomNormal([2, 8]);
    const images = network.apply(network.params, network.state, z, { training: false }).out.images!;
    expect(images.shape).toEqual([2, 28, 28, 1]);
    tf.dispose([z, images]);
    network.dispose();
  });

  it('the presets state their growth; a run too short to reach 28×28 is told so', () => {
    const preset = getPreset('progan-mnist') as RunConfig;
    expect(growthLine(preset)).toBe(
      'growth: 7×7 from step 0, fade in 14×14 from 75, 14×14 from 150, fade in 28×28 from 225, 28×28 from 300',
    );
    expect(growthLine(preset, 200)).toMatch(/this run \(200 steps\) ends before it reaches 28×28$/);
    expect(resolutionEndingAt(preset, 75, 400)).toBe(7);
    expect(resolutionEndingAt(preset, 225, 400)).toBe(14);
    expect(resolutionEndingAt(preset, 400, 400)).toBe(28);
    expect(resolutionEndingAt(preset, 100, 400)).toBeUndefined();
    expect((getPreset('progan-fashion').data as { dataset: string }).dataset).toBe('fashion-mnist');
  });
});
