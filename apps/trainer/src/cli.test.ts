import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useBackend } from '@gankit/backends';
import { readSafetensors } from '@gankit/layers';
import { loadGenerator } from '@gankit/models';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, mainIn, type Run } from './cli.fixture.js';

const appDir = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'gankit-cli-'));
const gankitHere = mainIn(work);
// resolved here: the CLI runs from a scratch folder, where `--import tsx` would not find the package
const tsx = pathToFileURL(createRequire(join(appDir, 'package.json')).resolve('tsx')).href;

/** Runs the CLI as users do (a separate Node process), from `work`. */
function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(
    process.execPath,
    ['--conditions=@gankit/source', '--import', tsx, join(appDir, 'src/cli.ts'), ...args],
    {
      cwd: work,
      env: { ...process.env, INIT_CWD: work, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Run>((ok) => child.on('close', (code) => ok({ code, stdout, stderr })));
  return { child, done };
}

const gankit = (...args: string[]) => start(args).done;

/** The small, fast run every test starts from: the default preset, shortened. */
const TINY = [
  '--steps',
  '6',
  '--batch-size',
  '16',
  '--sample-every',
  '3',
  '--checkpoint-every',
  '2',
  '--log-every',
  '1',
  '--eval-samples',
  '200',
];

const stepLines = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => l.type === 'step')
    .map((l) => ({ step: l.step, dLoss: l.dLoss, gLoss: l.gLoss, dReal: l.dReal, dFake: l.dFake }));

const generatorParams = async (file: string) => {
  const { network } = loadGenerator(new Uint8Array(readFileSync(file)));
  const values = await Promise.all(network.variables().map((v) => v.data()));
  network.dispose();
  return values.map((v) => Array.from(v as Float32Array));
};

beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('gankit train', () => {
  it('a tiny run of the default preset writes every artefact', async () => {
    const r = await gankitHere('train', ...TINY, '--out', 'tiny', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ command: 'train', reason: 'done', step: 6, totalSteps: 6 });
    const dir = join(work, 'tiny');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ preset: 'quick', model: { family: 'cgan' }, data: { dataset: 'mnist' } });
    expect(config.run).toMatchObject({ steps: 6, sampleEvery: 3, checkpointEvery: 2 });
    expect(config.train.batchSize).toBe(16);
    // metrics.jsonl: a line per step with the losses and D outputs, the samples, an evaluation
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step').map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const l of lines.filter((x) => x.type === 'step')) {
      for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake', 'time']) expect(Number.isFinite(l[k])).toBe(true);
    }
    expect(lines.filter((l) => l.type === 'sample').map((l) => l.step)).toEqual([0, 3, 6]);
    expect(lines.filter((l) => l.type === 'eval').map((l) => l.step)).toEqual([6]);
    // samples are PNG grids: 10 class rows of 10 (28 px at 2× with a 2-px gutter)
    for (const f of ['step-0000000.png', 'step-0000003.png', 'step-0000006.png']) {
      const png = PNG.sync.read(readFileSync(join(dir, 'samples', f)));
      expect([png.width, png.height]).toEqual([10 * 58 + 2, 10 * 58 + 2]);
    }
    // the last 3 checkpoints, atomically written (no temporary files left)
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual([
      'ckpt-000000002.safetensors',
      'ckpt-000000004.safetensors',
      'ckpt-000000006.safetensors',
    ]);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).toContain('uPlot');
    expect(report).toContain('data:image/png;base64,');
    const g = loadGenerator(new Uint8Array(readFileSync(join(dir, 'generator.safetensors'))));
    expect(g.manifest).toMatchObject({
      architecture: 'cgan-28',
      classes: 10,
      steps: 6,
      info: { preset: 'quick' },
    });
    g.network.dispose();
  });

  it('resume after Ctrl-C, then after kill -9, continues exactly: the same losses and weights as an uninterrupted run', async () => {
    const args = ['train', ...TINY, '--steps', '8', '--eval-every', '0', '--json'];
    // the runs that are not interrupted run in this process; the interrupted ones are Node processes of their own
    const whole = await gankitHere(...args, '--out', 'whole');
    expect(whole.code, whole.stderr).toBe(0);

    const { child, done } = start([...args, '--out', 'cut']);
    let sent = false;
    child.stderr!.on('data', (d: Buffer) => {
      if (!sent && / 3\/8 /.test(d.toString())) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const cut = await done;
    expect(sent).toBe(true);
    expect(cut.code, cut.stderr).toBe(130);
    const interrupted = JSON.parse(cut.stdout);
    expect(interrupted.reason).toBe('aborted');
    expect(interrupted.step).toBeLessThan(8);
    expect(existsSync(join(work, 'cut', 'checkpoints', interrupted.lastCheckpoint))).toBe(true);
    expect(cut.stderr).toMatch(/continue with: gankit resume/);

    // the resumed run is killed (kill -9) after step 5: resumed again, it continues from its last checkpoint (step
    // 4) and ends exactly as the whole run
    const killed = start(['resume', 'cut', '--json']);
    let killedAt = false;
    killed.child.stderr!.on('data', (d: Buffer) => {
      if (!killedAt && / 5\/8 /.test(d.toString())) {
        killedAt = true;
        killed.child.kill('SIGKILL');
      }
    });
    expect((await killed.done).code).toBe(null); // no exit code: killed by a signal
    expect(killedAt).toBe(true);
    expect(readdirSync(join(work, 'cut', 'checkpoints'))).toContain('ckpt-000000004.safetensors');
    const recovered = await gankitHere('resume', 'cut', '--json');
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(JSON.parse(recovered.stdout)).toMatchObject({ reason: 'done', step: 8 });
    expect(stepLines(join(work, 'cut'))).toEqual(stepLines(join(work, 'whole')));
    expect(await generatorParams(join(work, 'cut', 'generator.safetensors'))).toEqual(
      await generatorParams(join(work, 'whole', 'generator.safetensors')),
    );

    // --steps extends a finished run
    const longer = await gankitHere('resume', 'whole', '--steps', '9', '--json');
    expect(longer.code, longer.stderr).toBe(0);
    expect(JSON.parse(longer.stdout)).toMatchObject({ step: 9 });
  });

  it('trains a toy preset and scores its modes', async () => {
    const r = await gankit(
      'train',
      '--preset',
      'ring8',
      '--steps',
      '20',
      '--eval-every',
      '10',
      '--out',
      'ring',
      '--backend',
      'wasm',
      '--threads',
      '2',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/backend: wasm \(WebAssembly SIMD with XNNPACK, 2 threads\)/);
    const result = JSON.parse(r.stdout);
    const metrics = result.evaluation.records.map((x: { metric: string }) => x.metric);
    expect(metrics).toEqual(['modes-covered', 'high-quality', 'reverse-kl', 'js', 'kl']);
    const png = PNG.sync.read(readFileSync(join(work, 'ring', 'samples', 'step-0000020.png')));
    expect(png.width).toBe(400);
  });
});

// Commands that read a run folder or print: main() in this process (the process around it is the tiny run's,
// resume's and the exit-code test's).
describe('gankit generate, export, evaluate, presets', () => {
  it('generate writes PNG grids (a class, truncation, interpolation); export writes a loadable generator', async () => {
    const grid = await gankitHere(
      'generate',
      'tiny',
      '--n',
      '16',
      '--out',
      'g.png',
      '--class',
      '3',
      '--truncation',
      '0.7',
      '--json',
    );
    expect(grid.code, grid.stderr).toBe(0);
    expect(JSON.parse(grid.stdout)).toMatchObject({ n: 16, class: 3, truncation: 0.7, step: 6 });
    const png = PNG.sync.read(readFileSync(join(work, 'g.png')));
    expect([png.width, png.height]).toEqual([4 * 58 + 2, 4 * 58 + 2]);
    const walk = await gankitHere('generate', 'tiny', '--n', '16', '--out', 'walk.png', '--interpolate');
    expect(walk.code, walk.stderr).toBe(0);
    expect(PNG.sync.read(readFileSync(join(work, 'walk.png'))).width).toBe(8 * 58 + 2);

    const exp = await gankitHere('export', 'tiny', '--out', 'exported', '--json');
    expect(exp.code, exp.stderr).toBe(0);
    const g = loadGenerator(new Uint8Array(readFileSync(join(work, 'exported', 'generator.safetensors'))));
    expect(g.manifest).toMatchObject({
      format: 'gankit-generator/1',
      architecture: 'cgan-28',
      dataRange: [-1, 1],
    });
    expect(g.manifest.classNames).toHaveLength(10);
    g.network.dispose();
    const manifest = JSON.parse(readFileSync(join(work, 'exported', 'generator.json'), 'utf8'));
    expect(manifest.model).toEqual({ family: 'cgan', options: { imageSize: 28, width: 32, latentDim: 64 } });
  });

  it('presets lists every preset and shows one with parameter counts', async () => {
    const list = await gankitHere('presets', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).presets.map((p: { name: string }) => p.name)).toEqual([
      'quick',
      'seed-keras-mnist',
      'dcgan-mnist',
      'dcgan-fashion',
      'cgan-mnist',
      'acgan-mnist',
      'infogan-mnist',
      'lsgan-mnist',
      'wgan-gp-mnist',
      'hinge-sn-mnist',
      'ring8',
      'grid25',
      'gauss1d',
      'stacked-mnist',
      'stylegan-mnist',
      'stylegan-fashion',
      'progan-mnist',
      'progan-fashion',
      'pix2pix-edges2mnist',
      'pix2pix-edges2fashion',
      'inpaint-mnist',
      'srgan-mnist-x4',
      'srgan-fashion-x4',
      'cyclegan-mnist2styled',
      'discogan-mnist2styled',
    ]);
    const srgan = await gankitHere('presets', 'show', 'srgan-mnist-x4', '--json');
    expect(srgan.code, srgan.stderr).toBe(0);
    expect(srgan.stdout).toContain('"kind": "downscale"');
    const seed = await gankitHere('presets', 'show', 'seed-keras-mnist', '--json');
    expect(seed.code, seed.stderr).toBe(0);
    expect(JSON.parse(seed.stdout).parameters).toEqual({ generator: 1_164_289, discriminator: 40_705 });
    expect(seed.stderr).toContain('Total params: 1,164,289');
  });
});

describe('bad input: a clear message, exit 2, nothing saved is lost', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'unknown preset',
      ['train', '--preset', 'dcgan-cifar'],
      /unknown preset 'dcgan-cifar'.*valid: quick, seed-keras-mnist/,
    ],
    [
      'unknown flag',
      ['train', '--step', '5'],
      /unknown flag .*'--step' \(did you mean '--steps'\?\).*valid: --preset/,
    ],
    [
      'unknown dataset',
      ['train', '--dataset', 'cifar10'],
      /unknown dataset 'cifar10'.*valid: mnist, fashion-mnist, ring8/,
    ],
    ['unknown command', ['trian'], /unknown command 'trian' \(did you mean 'train'\?\)/],
    ['unknown loss', ['train', '--loss', 'wgan'], /unknown loss 'wgan'.*wasserstein/],
    [
      'unknown backend',
      ['train', '--backend', 'cuda'],
      /unknown backend 'cuda'.*auto, tensorflow, webgpu, wasm, cpu/,
    ],
    [
      'negative learning rate',
      ['train', '--lr-d', '-0.001'],
      /--lr-d must be a positive number, got '-0.001'/,
    ],
    ['zero batch', ['train', '--batch-size', '0'], /--batch-size must be a positive integer, got '0'/],
    ['too many threads', ['train', '--threads', '9'], /--threads must be from 1 to 8, got 9/],
    ['zero threads', ['evaluate', 'tiny', '--threads', '0'], /--threads must be a positive integer, got '0'/],
    ['non-integer steps', ['train', '--steps', '2.5'], /--steps must be a positive integer, got '2.5'/],
    ['steps and epochs', ['train', '--steps', '2', '--epochs', '1'], /--steps or --epochs, not both/],
    [
      'model and data that do not fit',
      ['train', '--preset', 'ring8', '--dataset', 'mnist'],
      /dataset 'mnist' holds images but the model \(mlp\) makes 2-D points/,
    ],
    [
      'missing data file',
      ['train', '--dataset', 'idx:/nonexistent/images.idx'],
      /\/nonexistent\/images.idx does not exist/,
    ],
    ['not a run folder', ['resume', '.'], /is not a gankit run folder \(it has no config.json\)/],
    ['missing run folder', ['evaluate', 'nowhere'], /nowhere does not exist/],
    ['generate without --out', ['generate', 'tiny'], /needs --out FILE.png/],
    [
      'a class the model has not',
      ['generate', 'tiny', '--out', 'c.png', '--class', '12'],
      /--class 12: class must be an integer from 0 to 9/,
    ],
    [
      'unknown metric',
      ['evaluate', 'tiny', '--metrics', 'fid,is'],
      /unknown metric 'is'.*fid, kid, prdc, classifier-score/,
    ],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const r = await gankitHere(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    // a message, not a stack trace
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('the gankit process exits 2 with the message, and --json puts the error on stdout', async () => {
    const r = await gankit('train', '--step', '5', '--json');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/unknown flag .*'--step' \(did you mean '--steps'\?\)/);
    // a message, not a stack trace (Dawn may print its own adapter warnings before it)
    expect(r.stderr.slice(r.stderr.indexOf('gankit '))).not.toMatch(/\n\s+at /);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'train', exitCode: 2 });
  });

  it('a config file with unknown keys or wrong types is refused with the path of each problem', async () => {
    writeFileSync(
      join(work, 'bad.json'),
      JSON.stringify({ train: { batchSize: 'big', lr: 1 }, run: { steps: -1 } }),
    );
    const r = await gankitHere('train', '--config', 'bad.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad.json is not a valid gankit config:\n/);
    expect(r.stderr).toMatch(/\n {2}train.batchSize must be a positive integer, got 'big'\n/);
    expect(r.stderr).toMatch(/\n {2}train has an unknown key 'lr'; allowed: seed, batchSize, /);
    expect(r.stderr).toMatch(/\n {2}run.steps must be a positive integer, got -1\n/);
    writeFileSync(join(work, 'broken.json'), '{ "train": ');
    expect((await gankitHere('train', '--config', 'broken.json')).stderr).toMatch(
      /broken.json is not valid JSON/,
    );
  });

  it('an existing run folder is neither overwritten nor changed by a refused command', async () => {
    const dir = join(work, 'tiny');
    const before = hashTree(dir);
    const again = await gankitHere('train', '--steps', '2', '--out', 'tiny');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out tiny exists and is not empty; .* --force/);
    expect((await gankitHere('resume', 'tiny', '--steps', '3')).stderr).toMatch(
      /already at step 6; --steps must be larger/,
    );
    expect((await gankitHere('generate', 'tiny', '--out', 'g.png')).stderr).toMatch(
      /g.png exists; pass --force/,
    );
    expect(hashTree(dir)).toBe(before);
  });

  it('a corrupt or mismatched checkpoint is named and left as it is', async () => {
    const copy = join(work, 'corrupt');
    cpSync(join(work, 'tiny'), copy, { recursive: true });
    const last = join(copy, 'checkpoints', 'ckpt-000000006.safetensors');
    truncateSync(last, 100);
    const before = hashTree(copy);
    const r = await gankitHere('resume', 'corrupt', '--steps', '8');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ckpt-000000006.safetensors cannot be resumed: .*safetensors/);
    expect(hashTree(copy)).toBe(before);

    const other = join(work, 'mismatched');
    cpSync(join(work, 'tiny'), other, { recursive: true });
    const config = JSON.parse(readFileSync(join(other, 'config.json'), 'utf8'));
    config.train.optimizers.generator.learningRate = 0.1;
    writeFileSync(join(other, 'config.json'), JSON.stringify(config));
    const m = await gankitHere('resume', 'mismatched', '--steps', '8');
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/different config:\s+config.optimizers.generator.learningRate: 0.0005 → 0.1/);

    mkdirSync(join(work, 'empty-run', 'checkpoints'), { recursive: true });
    cpSync(join(work, 'tiny', 'config.json'), join(work, 'empty-run', 'config.json'));
    expect((await gankitHere('resume', 'empty-run')).stderr).toMatch(/has no checkpoint/);
    // the checkpoint itself is intact in the original
    expect(() =>
      readSafetensors(
        new Uint8Array(readFileSync(join(work, 'tiny', 'checkpoints', 'ckpt-000000006.safetensors'))),
      ),
    ).not.toThrow();
  });
});
