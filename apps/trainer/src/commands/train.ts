import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ADVERSARIAL_LOSSES, type AdversarialLossName } from '@gankit/losses';
import { COMMON_FLAGS, type Flags, type FlagValues, parseCommand, THREADS_FLAG } from '../args.js';
import { checkBackend, describeBackend, startBackend } from '../backend.js';
import {
  type AnyRunConfig,
  BACKENDS,
  isCycle,
  isPaired,
  merge,
  type PartialRunConfig,
  parsePartialConfig,
  type RunConfig,
  validateAnyRunConfig,
} from '../config.js';
import { isCycleConfig } from '../cycle-run-config.js';
import { openCycleSession } from '../cycle-session.js';
import { cycleHeader, trainCycleSession } from '../cycle-training.js';
import { checkDatasetSpec, DATASETS } from '../data.js';
import { EXIT, UsageError, unknownChoice } from '../errors.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { isPairedConfig } from '../paired-config.js';
import { openPairedSession } from '../paired-session.js';
import { pairedHeader, trainPairedSession } from '../paired-training.js';
import { DEFAULT_PRESET, getPreset } from '../presets.js';
import { RunFolder } from '../run-folder.js';
import { openSession } from '../session.js';
import { header, trainSession } from '../training.js';

export const TRAIN_FLAGS: Flags = {
  preset: {
    kind: 'string',
    value: 'NAME',
    help: `preset to start from (default ${DEFAULT_PRESET}; \`gankit presets\` lists them)`,
  },
  config: {
    kind: 'string',
    value: 'FILE',
    help: 'JSON file whose keys override the preset (same shape as config.json)',
  },
  steps: { kind: 'positive-int', value: 'N', help: 'train for N iterations (replaces --epochs)' },
  epochs: { kind: 'positive', value: 'E', help: 'train for E passes over the data (replaces --steps)' },
  'batch-size': { kind: 'positive-int', value: 'N', help: 'real (and fake) examples per D update' },
  'lr-d': { kind: 'positive', value: 'LR', help: "discriminator's learning rate" },
  'lr-g': { kind: 'positive', value: 'LR', help: "generator's learning rate" },
  'd-steps': { kind: 'positive-int', value: 'K', help: 'D updates per iteration (the k of Algorithm 1)' },
  loss: {
    kind: 'string',
    value: 'NAME',
    help: Object.keys(ADVERSARIAL_LOSSES).join(', '),
  },
  dataset: {
    kind: 'string',
    value: 'NAME',
    help: DATASETS.join(', '),
  },
  backend: {
    kind: 'string',
    value: 'NAME',
    help: `${BACKENDS.join(', ')} (default auto: the fastest available)`,
  },
  ...THREADS_FLAG,
  seed: { kind: 'int', value: 'N', help: 'seed of weights, data order and noise' },
  out: { kind: 'string', value: 'DIR', help: 'run folder (default runs/<preset>-<date>-<time>)' },
  force: { kind: 'boolean', help: 'replace a non-empty --out folder' },
  'log-every': { kind: 'positive-int', value: 'N', help: 'log a metrics line (and progress) every N steps' },
  'sample-every': { kind: 'positive-int', value: 'N', help: 'sample grid every N steps' },
  'checkpoint-every': { kind: 'positive-int', value: 'N', help: 'checkpoint every N steps' },
  'eval-every': { kind: 'int', value: 'N', help: 'evaluate every N steps (0: at the end only)' },
  'eval-samples': { kind: 'positive-int', value: 'N', help: 'generated samples per evaluation' },
  ...COMMON_FLAGS,
};

function readConfigFile(path: string): unknown {
  if (!existsSync(path)) throw new UsageError(`--config ${path} does not exist`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--config ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Preset, then the config file, then the flags; the result is validated as a whole. */
export function resolveConfig(values: FlagValues, cwd: string): AnyRunConfig {
  const fromFile = values.config != null ? readConfigFile(resolve(cwd, values.config as string)) : undefined;
  const named = (fromFile as { preset?: unknown } | undefined)?.preset;
  const presetName =
    (values.preset as string | undefined) ??
    (typeof named === 'string' ? named : undefined) ??
    DEFAULT_PRESET;
  const preset = getPreset(presetName);
  // an image-to-image or unpaired run's file is checked whole, with the preset, by its own schema (below)
  const fileModel = (fromFile ?? {}) as { model?: { family?: unknown } };
  const unpaired = isCycleConfig(preset) || isCycleConfig(fileModel);
  const paired = isPairedConfig(preset) || isPairedConfig(fileModel) || unpaired;
  if (paired && fromFile != null && (typeof fromFile !== 'object' || Array.isArray(fromFile)))
    throw new UsageError(`--config ${values.config} must hold a JSON object of config keys`);
  if (unpaired && !isCycleConfig(preset))
    throw new UsageError(
      `--config ${values.config} describes an unpaired translation run, which starts from an unpaired preset: give --preset (cyclegan-mnist2styled, discogan-mnist2styled) or "preset" in the file`,
    );
  if (paired && !unpaired && !isPairedConfig(preset))
    throw new UsageError(
      `--config ${values.config} describes an image-to-image run, which starts from an image-to-image preset: give --preset (pix2pix-edges2mnist, inpaint-mnist, srgan-mnist-x4, …) or "preset" in the file`,
    );
  const partial = (
    fromFile != null && !paired ? parsePartialConfig(fromFile, String(values.config)) : (fromFile ?? {})
  ) as PartialRunConfig;
  let config = merge(preset, { ...partial, preset: presetName }) as RunConfig;
  // an image-to-image file's task and model replace the preset's whole (their keys depend on their kind)
  const file = partial as { data?: { task?: unknown }; model?: { family?: unknown } };
  if (paired && file.data?.task != null) (config.data as { task?: unknown }).task = file.data.task;
  if (paired && file.model != null && file.model.family !== preset.model.family)
    config.model = file.model as RunConfig['model'];
  if (partial.run?.steps != null && partial.run.epochs == null) config.run.epochs = undefined;
  if (partial.run?.epochs != null && partial.run.steps == null) config.run.steps = undefined;
  config = structuredClone(config);
  const v = values;
  if (v.steps != null && v.epochs != null) throw new UsageError('give --steps or --epochs, not both');
  const presetSteps = config.run.steps;
  if (v.steps != null) {
    config.run.steps = v.steps as number;
    config.run.epochs = undefined;
    // a learning-rate decay that spanned the preset's run (or its second half) spans the new one's
    const s = config.train.lrSchedule;
    if (s?.kind === 'linear' && s.totalSteps === presetSteps) {
      s.totalSteps = v.steps as number;
      if (presetSteps != null && s.start === Math.floor(presetSteps / 2))
        s.start = Math.floor(s.totalSteps / 2);
    }
  }
  if (v.epochs != null) {
    config.run.epochs = v.epochs as number;
    config.run.steps = undefined;
  }
  if (paired && v['d-steps'] != null)
    throw new UsageError(
      `--d-steps: ${unpaired ? 'an unpaired' : 'an image-to-image'} run updates D once per G update; leave the flag out`,
    );
  if (unpaired && v.dataset != null)
    throw new UsageError(
      '--dataset: an unpaired run has two domains; set them in --config as { "data": { "a": { "dataset": … }, "b": { "dataset": … } } }',
    );
  if (v['batch-size'] != null) {
    const ratio = (config.train.generatorBatchSize ?? config.train.batchSize) / config.train.batchSize;
    config.train.batchSize = v['batch-size'] as number;
    if (config.train.generatorBatchSize != null)
      config.train.generatorBatchSize = Math.round(ratio * config.train.batchSize);
  }
  if (v['lr-d'] != null) config.train.optimizers.discriminator.learningRate = v['lr-d'] as number;
  if (v['lr-g'] != null) config.train.optimizers.generator.learningRate = v['lr-g'] as number;
  if (v['d-steps'] != null) config.train.schedule.dSteps = v['d-steps'] as number;
  if (v.loss != null) {
    const losses = Object.keys(ADVERSARIAL_LOSSES);
    if (!losses.includes(v.loss as string)) throw unknownChoice('loss', v.loss as string, losses);
    config.train.loss = v.loss as AdversarialLossName;
  }
  if (v.dataset != null) {
    checkDatasetSpec(v.dataset as string);
    config.data.dataset = v.dataset as string;
  }
  if (v.backend != null) config.run.backend = checkBackend(v.backend as string);
  if (v.seed != null) {
    if ((v.seed as number) < 0) throw new UsageError(`--seed must be an integer ≥ 0, got ${v.seed}`);
    config.train.seed = v.seed as number;
  }
  if (v['log-every'] != null) config.run.logEvery = v['log-every'] as number;
  if (v['sample-every'] != null) config.run.sampleEvery = v['sample-every'] as number;
  if (v['checkpoint-every'] != null) config.run.checkpointEvery = v['checkpoint-every'] as number;
  if (v['eval-every'] != null) {
    if ((v['eval-every'] as number) < 0)
      throw new UsageError(`--eval-every must be ≥ 0, got ${v['eval-every']}`);
    config.run.evalEvery = v['eval-every'] as number;
  }
  if (v['eval-samples'] != null) config.run.evalSamples = v['eval-samples'] as number;
  const where =
    paired && values.config != null
      ? `the resolved config (preset + ${values.config})`
      : 'the resolved config';
  const valid = validateAnyRunConfig(JSON.parse(JSON.stringify(config)), where);
  if (isCycle(valid)) for (const d of [valid.data.a, valid.data.b]) checkDatasetSpec(d.dataset);
  else checkDatasetSpec(valid.data.dataset);
  return valid;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export async function trainCommand(argv: string[], io: MainIO): Promise<number> {
  const { cwd } = io;
  const parsed = parseCommand('train', argv, {
    stdout: io.stdout,
    usage: 'gankit train [--preset NAME] [--config FILE] [flags]',
    summary: 'Trains a GAN into a run folder.',
    flags: TRAIN_FLAGS,
  });
  if (parsed == null) return EXIT.ok;
  const { values } = parsed;
  const out = new Output(Boolean(values.json), io);
  const config = resolveConfig(values, cwd);
  const dir = resolve(cwd, (values.out as string | undefined) ?? `runs/${config.preset}-${stamp()}`);
  const folder = RunFolder.checkNew(dir, Boolean(values.force), (values.out as string | undefined) ?? dir);
  // everything that can be refused is checked before the folder is touched
  const backend = await startBackend(config.run.backend);
  if (isCycle(config)) {
    const session = await openCycleSession(config);
    cycleHeader(out, session, describeBackend(backend));
    await folder.create(config, Boolean(values.force));
    out.line(`run folder: ${folder.dir}`);
    return trainCycleSession(session, folder, out, cwd);
  }
  if (isPaired(config)) {
    const session = await openPairedSession(config);
    pairedHeader(out, session, describeBackend(backend));
    await folder.create(config, Boolean(values.force));
    out.line(`run folder: ${folder.dir}`);
    return trainPairedSession(session, folder, out, cwd);
  }
  const session = await openSession(config);
  header(out, session, describeBackend(backend));
  await folder.create(config, Boolean(values.force));
  out.line(`run folder: ${folder.dir}`);
  return trainSession(session, folder, out, cwd);
}
