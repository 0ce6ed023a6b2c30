/** `gankit translate RUN --input FILE|FOLDER --out FILE|FOLDER`: an image-to-image run's generator on your images. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { decodeImageFile, fitImage, holeMask, translationSource, writeFileAtomic } from '@gankit/datasets';
import { loadTranslator, type TranslatorManifest, translateImages } from '@gankit/models';
import type { Direction } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import { COMMON_FLAGS, type Flags, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { checkBackend, startBackend } from '../backend.js';
import { isCycle, isPaired } from '../config.js';
import { openCycleTranslator, type Translating } from '../cycle-translate.js';
import { EXIT, UsageError } from '../errors.js';
import { Canvas } from '../images.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { RunFolder } from '../run-folder.js';

export const TRANSLATE_FLAGS: Flags = {
  input: {
    kind: 'string',
    value: 'FILE|FOLDER',
    help: 'a PNG or JPEG, or a folder of them: sources as the run’s task makes them (required)',
  },
  out: {
    kind: 'string',
    value: 'FILE|FOLDER',
    help: 'where to write (a .png for one input, a folder for a folder) (required)',
  },
  mask: {
    kind: 'string',
    value: 'FILE|centre',
    help: 'inpainting: a PNG whose white pixels are the hole (fitted like the inputs), or centre (default)',
  },
  scale: {
    kind: 'positive-int',
    value: 'N',
    help: 'enlarge each output N× (nearest) for viewing (default 1)',
  },
  direction: {
    kind: 'string',
    value: 'a2b|b2a',
    help: 'unpaired runs (CycleGAN, DiscoGAN): G (A → B) or F (B → A) (required there)',
  },
  force: { kind: 'boolean', help: 'overwrite existing outputs' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

const IMAGE = /\.(png|jpe?g)$/i;

function inputsOf(input: string): string[] {
  if (!existsSync(input)) throw new UsageError(`--input ${input} does not exist`);
  if (!statSync(input).isDirectory()) return [input];
  const files = readdirSync(input)
    .filter((f) => IMAGE.test(f))
    .sort()
    .map((f) => join(input, f));
  if (files.length === 0) throw new UsageError(`--input ${input} holds no PNG or JPEG images`);
  return files;
}

/**
 * One input as the generator's source `[1, …sourceShape]` in its range, fitted as the run's data were: resized to
 * the source size (centre crop, bilinear) and made grey or colour — for super-resolution, to the target size and
 * then area-averaged by the factor, as its low-resolution sources were made; edge maps binarised at half intensity;
 * for inpainting, the hole cut out and the mask appended. Returns what was done, for the user.
 */
async function sourceOf(
  file: string,
  manifest: TranslatorManifest,
  mask: Float32Array,
): Promise<{ source: tf.Tensor4D; done: string }> {
  let img: Awaited<ReturnType<typeof decodeImageFile>>;
  try {
    img = await decodeImageFile(file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [h, w, c] = manifest.sourceShape as [number, number, number];
  const task = {
    kind: String(manifest.task?.kind ?? 'given'),
    factor: manifest.task?.factor as number | undefined,
  };
  const channels = task.kind === 'inpaint' ? c - 1 : c;
  const colour = channels === 1 ? 'grey' : 'RGB';
  // super-resolution: the image at the target size, area-averaged by the factor as its sources were made
  const [fh, fw] = (task.kind === 'downscale' ? manifest.targetShape : manifest.sourceShape) as [
    number,
    number,
  ];
  const unit = Float32Array.from(fitImage(img, fh, fw, channels === 1 ? 1 : 3, 'center'), (v) => v / 255);
  let values: Float32Array;
  try {
    ({ values } = translationSource(task, unit, [fh, fw, channels], manifest.dataRange, mask));
  } catch (err) {
    throw new UsageError(
      `${basename(file)}: ${(err as Error).message} (the run's manifest and this input disagree)`,
    );
  }
  const steps = [`${img.width}×${img.height} → ${fw}×${fh} ${colour} (centre crop, bilinear)`];
  if (task.kind === 'downscale') steps[0] += `, area-averaged ×${task.factor} → ${w}×${h}`;
  if (task.kind === 'edges') steps.push('binarised at half intensity (edges white)');
  if (task.kind === 'inpaint')
    steps.push(`hole of ${mask.reduce((s, m) => s + m, 0)} pixels cut out, mask appended`);
  return { source: tf.tensor4d(values, [1, h, w, c]), done: steps.join(', ') };
}

/** The inpainting hole: the centre square the task trains with, or a PNG's white pixels (fitted like the inputs). */
async function maskOf(
  option: string | undefined,
  manifest: TranslatorManifest,
  cwd: string,
): Promise<Float32Array> {
  const [h, w] = manifest.sourceShape as [number, number];
  if (option == null || option === 'centre') {
    const size = (manifest.task as { size?: number } | undefined)?.size;
    return holeMask('centre', h, w, () => 0, size);
  }
  const path = resolve(cwd, option);
  if (!existsSync(path))
    throw new UsageError(`--mask ${option} does not exist; give a PNG (white = hole) or centre`);
  let img: Awaited<ReturnType<typeof decodeImageFile>>;
  try {
    img = await decodeImageFile(path);
  } catch (err) {
    throw new UsageError(`--mask: ${(err as Error).message}`);
  }
  const grey = fitImage(img, h, w, 1, 'center');
  const mask = Float32Array.from(grey, (v) => (v >= 128 ? 1 : 0));
  if (!mask.includes(1)) throw new UsageError(`--mask ${option} has no white pixels: nothing to inpaint`);
  return mask;
}

export async function translateCommand(argv: string[], io: MainIO): Promise<number> {
  const { cwd } = io;
  const parsed = parseCommand('translate', argv, {
    stdout: io.stdout,
    usage:
      'gankit translate DIR --input FILE|FOLDER --out FILE|FOLDER [--direction a2b|b2a] [--mask FILE|centre] [--scale N]',
    summary:
      'Applies an image-to-image run’s generator (pix2pix, inpainting, SRGAN), or one of an unpaired run’s (CycleGAN, DiscoGAN), to your images.',
    flags: TRANSLATE_FLAGS,
    positionals: { min: 1, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json), io);
  if (values.input == null || values.out == null)
    throw new UsageError('gankit translate needs --input and --out');
  const { folder, config } = await RunFolder.open(resolve(cwd, positionals[0]!));
  const direction = values.direction as string | undefined;
  if (isCycle(config)) {
    if (direction !== 'a2b' && direction !== 'b2a')
      throw new UsageError(
        `${positionals[0]} is an unpaired run with two generators: give --direction a2b (G: A → B) or b2a (F: B → A)${direction != null ? `, not '${direction}'` : ''}`,
      );
    if (values.mask != null) throw new UsageError('--mask is for inpainting runs; leave it out');
  } else if (direction != null && isPaired(config))
    throw new UsageError(
      `--direction picks a generator of an unpaired run (CycleGAN, DiscoGAN); ${positionals[0]} is an image-to-image run with one generator: leave --direction out`,
    );
  else if (!isPaired(config))
    throw new UsageError(
      `${positionals[0]} is a ${config.model.family} run, which makes images from noise: \`gankit generate\` samples it; translate works on image-to-image runs (pix2pix, inpainting, srgan) and unpaired ones (cyclegan, discogan, with --direction)`,
    );
  if (!existsSync(folder.generatorPath))
    throw new UsageError(
      `${positionals[0]} has no generator.safetensors yet (a run writes it when it finishes): \`gankit resume ${positionals[0]}\` to the end first`,
    );
  const inputs = inputsOf(resolve(cwd, values.input as string));
  const target = resolve(cwd, values.out as string);
  const many = inputs.length > 1 || statSync(resolve(cwd, values.input as string)).isDirectory();
  if (!many && !/\.png$/i.test(target))
    throw new UsageError(`--out ${values.out} must be a .png file for one input`);
  if (many && existsSync(target) && !statSync(target).isDirectory())
    throw new UsageError(`--out ${values.out} is a file; give a folder for a folder of inputs`);
  const outputs = inputs.map((f) => (many ? join(target, `${basename(f, extname(f))}.png`) : target));
  const twin = outputs.findIndex((f, i) => outputs.indexOf(f) !== i);
  if (twin >= 0)
    throw new UsageError(
      `${basename(inputs[outputs.indexOf(outputs[twin]!)]!)} and ${basename(inputs[twin]!)} would both be written to ${outputs[twin]}; rename one of them`,
    );
  const clash = outputs.find((f) => existsSync(f));
  if (clash && !values.force) throw new UsageError(`${clash} exists; pass --force to overwrite it`);
  await startBackend(checkBackend((values.backend as string | undefined) ?? config.run.backend));
  const bytes = new Uint8Array(readFileSync(folder.generatorPath));
  const translating = isCycle(config)
    ? openCycleTranslator(bytes, folder.generatorPath, direction as Direction)
    : await openPairedTranslator(bytes, folder.generatorPath, values.mask as string | undefined, cwd);
  const { network, architecture, dataRange } = translating;
  const scale = (values.scale as number | undefined) ?? 1;
  // every input is read and fitted before anything is written: a bad file stops the command with nothing half done
  const prepared: { source: tf.Tensor4D; done: string }[] = [];
  try {
    for (const file of inputs) prepared.push(await translating.prepare(file));
    const written: string[] = [];
    for (const [i, file] of inputs.entries()) {
      const { source, done } = prepared[i]!;
      const image = translateImages(network, source, dataRange);
      const pixels = (await image.data()) as Float32Array;
      const shape = image.shape as [number, number, number, number];
      image.dispose();
      await writeFileAtomic(outputs[i]!, imagePng(pixels, shape, scale));
      out.line(`${basename(file)}: ${done} → ${architecture} → ${outputs[i]}`);
      written.push(outputs[i]!);
    }
    out.result({ command: 'translate', architecture, outputs: written });
    return EXIT.ok;
  } finally {
    tf.dispose(prepared.map((p) => p.source));
    translating.dispose();
  }
}

/** An image-to-image run's generator, its sources made as its task made them (with the inpainting hole). */
async function openPairedTranslator(
  bytes: Uint8Array,
  path: string,
  maskOption: string | undefined,
  cwd: string,
): Promise<Translating> {
  let loaded: ReturnType<typeof loadTranslator>;
  try {
    loaded = loadTranslator(bytes, path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { manifest, network } = loaded;
  let mask: Float32Array;
  try {
    mask = await maskOf(maskOption, manifest, cwd);
  } catch (err) {
    network.dispose();
    throw err;
  }
  return {
    architecture: manifest.architecture,
    dataRange: manifest.dataRange,
    network,
    prepare: (file) => sourceOf(file, manifest, mask),
    dispose: () => network.dispose(),
  };
}

/** One image `[1, h, w, c]` in [0, 1] as a PNG, each pixel an N×N block (no margins: the image itself). */
function imagePng(
  pixels: Float32Array,
  [, h, w, c]: [number, number, number, number],
  scale: number,
): Buffer {
  const canvas = new Canvas(w * scale, h * scale);
  const byte = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  for (let y = 0; y < h * scale; y++)
    for (let x = 0; x < w * scale; x++) {
      const at = (Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
      const rgb =
        c === 1
          ? [byte(pixels[at]!), byte(pixels[at]!), byte(pixels[at]!)]
          : [0, 1, 2].map((k) => byte(pixels[at + k]!));
      canvas.set(x, y, rgb as [number, number, number]);
    }
  return canvas.png();
}
