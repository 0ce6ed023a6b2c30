/** Image-to-image runs through the CLI: train, resume, evaluate, translate — and what they refuse. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@gankit/backends';
import { decodeFloat16, encodeFloat16, flattenTree } from '@gankit/layers';
import { loadTranslator } from '@gankit/models';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, lastEvalRecords, mainIn, metricsLines } from './cli.fixture.js';

const work = mkdtempSync(join(tmpdir(), 'gankit-paired-'));
const gankit = mainIn(work);
const TINY = ['--batch-size', '8', '--sample-every', '2', '--checkpoint-every', '2', '--log-every', '1'];
const EVAL = ['--eval-samples', '100', '--backend', 'wasm'];

const png = (file: string) => PNG.sync.read(readFileSync(join(work, file)));
/** A 56×56 PNG: a white ring (an edge drawing) on black. */
function ring(file: string): void {
  const p = new PNG({ width: 56, height: 56 });
  for (let i = 0; i < 56 * 56; i++) {
    const v = Math.abs(Math.hypot((i % 56) - 28, Math.floor(i / 56) - 28) - 16) < 2 ? 255 : 0;
    p.data.set([v, v, v, 255], i * 4);
  }
  writeFileSync(join(work, file), PNG.sync.write(p));
}
const evalRecords = (run: string) => lastEvalRecords(join(work, run));

beforeAll(async () => {
  await useBackend('cpu');
  ring('ring.png');
  mkdirSync(join(work, 'inputs'));
  ring('inputs/a.png');
  ring('inputs/b.png');
  const p2p = await gankit(
    'train',
    '--preset',
    'pix2pix-edges2mnist',
    '--steps',
    '2',
    ...TINY,
    ...EVAL,
    '--out',
    'p2p',
  );
  expect(p2p.code, p2p.stderr).toBe(0);
  writeFileSync(join(work, 'sr.json'), JSON.stringify({ train: { pretrainSteps: 2 } }));
  const sr = await gankit(
    'train',
    '--preset',
    'srgan-mnist-x4',
    '--config',
    'sr.json',
    '--steps',
    '2',
    ...TINY,
    ...EVAL,
    '--out',
    'sr',
  );
  expect(sr.code, sr.stderr).toBe(0);
  const hole = await gankit(
    'train',
    '--preset',
    'inpaint-mnist',
    '--steps',
    '2',
    ...TINY,
    ...EVAL,
    '--out',
    'hole',
  );
  expect(hole.code, hole.stderr).toBe(0);
  const gan = await gankit('train', '--preset', 'quick', '--steps', '1', ...TINY, ...EVAL, '--out', 'gan');
  expect(gan.code, gan.stderr).toBe(0);
}, 600_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('image-to-image runs', () => {
  it('pix2pix: source | generated | target grids, PSNR / SSIM / class preservation / FID, an exported generator', async () => {
    const grid = png('p2p/samples/step-0000002.png');
    expect([grid.width, grid.height]).toEqual([3 * 56 + 4 * 2, 8 * 56 + 9 * 2]); // 8 pairs: source | output | target, ×2
    expect(evalRecords('p2p').map((r) => r.metric)).toEqual(['psnr', 'ssim', 'class-preservation', 'fid']);
    const { manifest } = loadTranslator(
      new Uint8Array(readFileSync(join(work, 'p2p', 'generator.safetensors'))),
    );
    expect(manifest).toMatchObject({
      architecture: 'pix2pix-28',
      sourceShape: [28, 28, 1],
      task: { kind: 'edges' },
      steps: 2,
    });
    expect(readFileSync(join(work, 'p2p', 'report.html'), 'utf8')).toContain('l1 × 100 + adversarial × 1');
  });

  it('SRGAN: G alone first, then adversarial; resumed across the change; evaluated beside bilinear upsampling', async () => {
    const resumed = await gankit('resume', 'sr', '--steps', '4');
    expect(resumed.code, resumed.stderr).toBe(0);
    const steps = metricsLines(join(work, 'sr'), 'step');
    expect(steps.map((l) => [l.step, l.phase])).toEqual([
      [1, 'pretrain'],
      [2, 'pretrain'],
      [3, 'adversarial'],
      [4, 'adversarial'],
    ]);
    const e = await gankit('evaluate', 'sr', '--samples', '100', '--json');
    expect(e.code, e.stderr).toBe(0);
    const psnr = JSON.parse(e.stdout).records.find((r: { metric: string }) => r.metric === 'psnr');
    expect(psnr.settings.baseline).toBe('bilinear');
    expect(psnr.details.baseline).toBeGreaterThan(10); // bilinear ×4 on MNIST: ~16 dB
  });

  it('export: the generator as a translator file with its manifest, for the demo', async () => {
    const r = await gankit('export', 'p2p', '--out', 'exported', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { manifest, network } = loadTranslator(
      new Uint8Array(readFileSync(join(work, 'exported', 'generator.safetensors'))),
    );
    expect(manifest).toMatchObject({
      format: 'gankit-translator/1',
      architecture: 'pix2pix-28',
      task: { kind: 'edges' },
    });
    expect(manifest.info?.exportedFrom).toMatch(/p2p$/);
    // the run's last evaluation was at the exported step: its numbers travel with the file
    expect(((manifest.info?.metrics ?? []) as { metric: string }[]).map((m) => m.metric)).toContain('psnr');
    expect(JSON.parse(readFileSync(join(work, 'exported', 'generator.json'), 'utf8')).architecture).toBe(
      'pix2pix-28',
    );
    // in float16: half the weights' bytes, each weight the nearest half of the float32 one
    const h = await gankit('export', 'p2p', '--out', 'exported16', '--float16', '--json');
    expect(h.code, h.stderr).toBe(0);
    expect(JSON.parse(h.stdout).bytes).toBeLessThan(JSON.parse(r.stdout).bytes * 0.55);
    const half = loadTranslator(
      new Uint8Array(readFileSync(join(work, 'exported16', 'generator.safetensors'))),
    );
    const [a] = flattenTree(network.params);
    const [b] = flattenTree(half.network.params);
    const exact = await a![1].data();
    const rounded = Array.from(decodeFloat16(encodeFloat16(exact as Float32Array)));
    expect(Array.from(await b![1].data())).toEqual(rounded);
    expect(rounded).not.toEqual(Array.from(exact));
    half.network.dispose();
    network.dispose();
  });

  it('translate: a file or a folder, fitted as the run’s data were and said so', async () => {
    const one = await gankit(
      'translate',
      'p2p',
      '--input',
      'ring.png',
      '--out',
      'ring-out.png',
      '--scale',
      '2',
    );
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/56×56 → 28×28 grey \(centre crop, bilinear\), binarised at half intensity/);
    expect([png('ring-out.png').width, png('ring-out.png').height]).toEqual([56, 56]);
    const many = await gankit('translate', 'p2p', '--input', 'inputs', '--out', 'outputs', '--json');
    expect(many.code, many.stderr).toBe(0);
    expect(JSON.parse(many.stdout).outputs).toHaveLength(2);
    expect(existsSync(join(work, 'outputs', 'a.png'))).toBe(true);
    const sr = await gankit('translate', 'sr', '--input', 'ring.png', '--out', 'ring-sr.png');
    expect(sr.code, sr.stderr).toBe(0);
    expect(sr.stdout).toMatch(/56×56 → 28×28 grey \(centre crop, bilinear\), area-averaged ×4 → 7×7/);
    expect([png('ring-sr.png').width, png('ring-sr.png').height]).toEqual([28, 28]);
  });

  it('inpainting: the hole from a mask PNG (white) is filled, the rest of the image kept', async () => {
    const m = new PNG({ width: 28, height: 28 });
    for (let i = 0; i < 28 * 28; i++) {
      const v = i % 28 >= 8 && i % 28 < 20 && Math.floor(i / 28) >= 8 && Math.floor(i / 28) < 20 ? 255 : 0;
      m.data.set([v, v, v, 255], i * 4);
    }
    writeFileSync(join(work, 'hole.png'), PNG.sync.write(m));
    const r = await gankit(
      'translate',
      'hole',
      '--input',
      'ring.png',
      '--mask',
      'hole.png',
      '--out',
      'filled.png',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hole of 144 pixels cut out, mask appended/);
    // outside the hole the output is the (fitted) input: the ring's pixels far from the hole are white
    const out = png('filled.png');
    expect([out.width, out.height]).toEqual([28, 28]);
    expect(out.data[(14 * 28 + 6) * 4]).toBeGreaterThan(200); // (14, 6) lies on the ring, outside the hole
    expect(out.data[(14 * 28 + 2) * 4]).toBeLessThan(50); // (14, 2) is background, outside the hole
    const blank = new PNG({ width: 28, height: 28 });
    blank.data.fill(0);
    for (let i = 3; i < blank.data.length; i += 4) blank.data[i] = 255;
    writeFileSync(join(work, 'blank.png'), PNG.sync.write(blank));
    const none = await gankit(
      'translate',
      'hole',
      '--input',
      'ring.png',
      '--mask',
      'blank.png',
      '--out',
      'x.png',
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--mask blank\.png has no white pixels: nothing to inpaint/);
  });

  it('your own pairs: a pairs: dataset of side-by-side A|B images, task given; evaluated on them, said so', async () => {
    mkdirSync(join(work, 'mine'));
    for (let i = 0; i < 10; i++) {
      // left: a ring of radius 6 + i/2 (the source); right: the filled disc (the target)
      const p = new PNG({ width: 56, height: 28 });
      for (let k = 0; k < 56 * 28; k++) {
        const [x, y] = [k % 56, Math.floor(k / 56)];
        const r = Math.hypot((x % 28) - 14, y - 14);
        const v = x < 28 ? (Math.abs(r - (6 + i / 2)) < 1 ? 255 : 0) : r < 6 + i / 2 ? 255 : 0;
        p.data.set([v, v, v, 255], k * 4);
      }
      writeFileSync(join(work, 'mine', `${i}.png`), PNG.sync.write(p));
    }
    writeFileSync(join(work, 'given.json'), JSON.stringify({ data: { task: { kind: 'given' } } }));
    // no classifier ships for your pairs: SRGAN's content term is turned off by null
    writeFileSync(
      join(work, 'given-sr.json'),
      JSON.stringify({ data: { task: { kind: 'given' } }, train: { content: null } }),
    );
    const r = await gankit(
      'train',
      ...[
        '--preset',
        'pix2pix-edges2mnist',
        '--dataset',
        `pairs:${join(work, 'mine')}`,
        '--config',
        'given.json',
        '--steps',
        '2',
      ],
      ...TINY,
      ...EVAL,
      '--out',
      'mine-run',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/10 pairs from .*mine, fitted to 28×28×1 → 28×28×1 \(no held-out split/);
    expect(evalRecords('mine-run').map((e) => e.metric)).toEqual(['psnr', 'ssim']);
    // SRGAN on the same pairs: the task replaces the preset's whole, the sources are fitted to 7×7
    const sr = await gankit(
      'train',
      ...[
        '--preset',
        'srgan-mnist-x4',
        '--dataset',
        `pairs:${join(work, 'mine')}`,
        '--config',
        'given-sr.json',
      ],
      ...['--steps', '2', ...TINY, ...EVAL, '--out', 'mine-sr'],
    );
    expect(sr.code, sr.stderr).toBe(0);
    expect(sr.stdout).toMatch(/fitted to 7×7×1 → 28×28×1/);
    writeFileSync(join(work, 'nopreset.json'), JSON.stringify({ model: { family: 'pix2pix' } }));
    const bare = await gankit('train', '--config', 'nopreset.json', '--out', 'x');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(
      /describes an image-to-image run, which starts from an image-to-image preset: give --preset/,
    );
    const wrong = await gankit(
      'train',
      '--preset',
      'pix2pix-edges2mnist',
      '--dataset',
      'pairs:mine',
      '--out',
      'x',
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /dataset 'pairs:mine' holds \(source, target\) pairs: set data\.task to \{ "kind": "given" \}/,
    );
  });

  const refused: [string, string[], RegExp, string?][] = [
    [
      'generate on an image-to-image run',
      ['generate', 'p2p', '--out', 'x.png'],
      /is an image-to-image run \(pix2pix\).*`gankit translate/,
      'p2p',
    ],
    [
      'translate a file that is not an image',
      ['translate', 'p2p', '--input', 'sr.json', '--out', 'x.png'],
      /sr\.json: not a readable/,
      'p2p',
    ],
    [
      'translate on a GAN run',
      ['translate', 'gan', '--input', 'ring.png', '--out', 'x.png'],
      /makes images from noise: `gankit generate` samples it/,
    ],
    [
      '--d-steps on an image-to-image preset',
      ['train', '--preset', 'srgan-mnist-x4', '--d-steps', '2', '--out', 'x'],
      /--d-steps: an image-to-image run updates D once per G update/,
    ],
    [
      'a GAN key in an image-to-image config',
      ['train', '--preset', 'pix2pix-edges2mnist', '--config', 'gan.json', '--out', 'x'],
      /train has an unknown key 'schedule'/,
    ],
    [
      'a model that does not fit the task',
      ['train', '--preset', 'srgan-mnist-x4', '--config', 'x2.json', '--out', 'x'],
      /makes 14×14×1 sources but the model \(srgan-x4-28\) takes 7×7×1/,
    ],
  ];
  it.each(refused)(
    '%s: exit 2, a message, nothing written',
    async (_, args, message, run) => {
      writeFileSync(join(work, 'gan.json'), JSON.stringify({ train: { schedule: { dSteps: 2 } } }));
      writeFileSync(
        join(work, 'x2.json'),
        JSON.stringify({ data: { task: { kind: 'downscale', factor: 2 } } }),
      );
      const before = run ? hashTree(join(work, run)) : undefined;
      const r = await gankit(...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(work, 'x.png')) || existsSync(join(work, 'x'))).toBe(false);
      if (run) expect(hashTree(join(work, run))).toBe(before);
    },
    120_000,
  );
});
