/**
 * One measurement in its own process (so that peak RSS and backend start-up belong to it alone), printed as one
 * JSON line on stdout. run.ts starts these; by hand:
 *
 *   node --conditions=@gankit/source --import tsx src/measure.ts train --backend wasm --case seed-64
 */
import { parseArgs } from 'node:util';
import { type NodeBackendName, useBackend } from '@gankit/backends';
import { loadMnist } from '@gankit/datasets';
import {
  datasetImages,
  evaluateImages,
  loadShippedExtractor,
  precisionRecallDensityCoverage,
} from '@gankit/metrics';
import { instantiate } from '@gankit/models';
import { createTrainer, type DataSource } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchCase, findCase } from './cases.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    case: { type: 'string', default: 'seed-64' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    'min-steps': { type: 'string', default: '3' },
    steps: { type: 'string', default: '1000' },
    count: { type: 'string', default: '10000' },
  },
});
const mode = positionals[0] ?? 'train';
const num = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a non-negative number, got ${values[name]}`);
  return n;
};
const rssMB = () => process.memoryUsage().rss / 2 ** 20;
const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

/** The real batch: synthetic values in the model's data range (throughput does not depend on the pixels). */
function syntheticSource(c: BenchCase, gan: ReturnType<BenchCase['gan']>): DataSource {
  const [lo, hi] = gan.dataRange ?? [-1, 1];
  const real = tf.randomUniform([c.config.batchSize, ...gan.dataShape], lo, hi, 'float32', 7);
  return {
    next: () => ({ x: tf.clone(real) }),
    state: () => ({}),
    restore: () => {},
  };
}

async function start() {
  const threads = values.threads == null ? undefined : Number(values.threads);
  const active = await useBackend(values.backend as NodeBackendName, threads ? { wasm: { threads } } : {});
  return { backend: active.name, detail: active.detail, warnings: active.warnings };
}

async function train() {
  const c = findCase(values.case);
  const backend = await start();
  const gan = c.gan();
  const trainer = createTrainer(gan, c.config);
  const data = syntheticSource(c, gan);
  for (let i = 0; i < num('warmup'); i++) await trainer.step(data);
  const tensorsBefore = tf.memory().numTensors;
  let peakTensorBytes = tf.memory().numBytes;
  const budgetMs = num('seconds') * 1000;
  const minSteps = num('min-steps');
  const stepMs: number[] = [];
  const t0 = performance.now();
  while (stepMs.length < minSteps || performance.now() - t0 < budgetMs) {
    const s = performance.now();
    await trainer.step(data);
    stepMs.push(performance.now() - s);
    peakTensorBytes = Math.max(peakTensorBytes, tf.memory().numBytes);
  }
  const seconds = (performance.now() - t0) / 1000;
  const stepsPerSecond = stepMs.length / seconds;
  return {
    ...backend,
    case: c.id,
    steps: stepMs.length,
    seconds,
    stepsPerSecond,
    throughput: stepsPerSecond * c.perStep,
    unit: c.unit,
    medianStepMs: median(stepMs),
    peakRssMB: peakRssMB(),
    peakTensorMB: peakTensorBytes / 2 ** 20,
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
  };
}

/** Images per second from G alone (inference mode), batches of 256. */
async function generate() {
  const c = findCase(values.case);
  const backend = await start();
  const gan = c.gan();
  const G = instantiate(gan.generator, 1);
  const batch = 256;
  const z = tf.randomNormal([batch, gan.latentDim], 0, 1, 'float32', 3);
  const once = async () => {
    const y = tf.tidy(() => G.apply(G.params, G.state, z, { training: false, rng: 0 }).out.images!);
    await y.data();
    y.dispose();
  };
  await once();
  let n = 0;
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < num('seconds') * 1000) {
    await once();
    n++;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ...backend, case: c.id, imagesPerSecond: (n * batch) / seconds, batch, peakRssMB: peakRssMB() };
}

/** The whole cost of FID on `count` generated seed-002 samples against as many MNIST images. */
async function fid() {
  const backend = await start();
  const count = num('count');
  const gan = findCase('seed-64').gan();
  const G = instantiate(gan.generator, 1);
  const extractor = await loadShippedExtractor('mnist');
  const train = await loadMnist({ split: 'train' });
  const t0 = performance.now();
  const records = await evaluateImages({
    extractor,
    metrics: ['fid'],
    count,
    generated: (startAt, size) =>
      tf.tidy(() => {
        const z = tf.randomNormal([size, gan.latentDim], 0, 1, 'float32', 11 + startAt);
        return G.apply(G.params, G.state, z, { training: false, rng: 0 }).out.images as tf.Tensor4D;
      }),
    real: datasetImages(train),
  });
  const seconds = (performance.now() - t0) / 1000;
  return { ...backend, count, seconds, fid: records[0]!.value, peakRssMB: peakRssMB() };
}

/** Naeem et al.'s published values for their README example (10,000 vs 10,000 from N(0, I₁₀₀₀), k = 5). */
const NAEEM_PUBLISHED = { precision: 0.477, recall: 0.471, density: 1.056, coverage: 0.974 };

/**
 * Naeem et al.'s example at `count` × `count` (the published figures hold at 10,000): precision, recall, density
 * and coverage in 1,000 dimensions, with the time and the peak tensor memory of the chunked distances (one full
 * 10,000 × 10,000 float32 matrix alone would be 400 MB).
 */
async function prdc() {
  const backend = await start();
  const count = num('count');
  const real = tf.randomNormal([count, 1000], 0, 1, 'float32', 1) as tf.Tensor2D;
  const fake = tf.randomNormal([count, 1000], 0, 1, 'float32', 2) as tf.Tensor2D;
  const t0 = performance.now();
  let result: Awaited<ReturnType<typeof precisionRecallDensityCoverage>> | undefined;
  const info = await tf.profile(async () => {
    result = await precisionRecallDensityCoverage(real, fake, { kPrecisionRecall: 5, kDensityCoverage: 5 });
  });
  const seconds = (performance.now() - t0) / 1000;
  const inputBytes = real.size * 4 * 2;
  tf.dispose([real, fake]);
  const { precision, recall, density, coverage } = result!;
  return {
    ...backend,
    count,
    seconds,
    precision,
    recall,
    density,
    coverage,
    published: count === 10_000 ? NAEEM_PUBLISHED : undefined,
    peakTensorMB: info.peakBytes / 2 ** 20,
    inputMB: inputBytes / 2 ** 20,
    fullMatrixMB: (count * count * 4) / 2 ** 20,
    peakRssMB: peakRssMB(),
  };
}

/** numTensors and RSS every 10 % of a long run: both must stay flat. */
async function stability() {
  const c = findCase(values.case);
  const backend = await start();
  const gan = c.gan();
  const trainer = createTrainer(gan, c.config);
  const data = syntheticSource(c, gan);
  const steps = num('steps');
  const every = Math.max(1, Math.round(steps / 10));
  const samples: { step: number; numTensors: number; tensorMB: number; rssMB: number }[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    await trainer.step(data);
    if (i === 1 || i % every === 0) {
      const m = tf.memory();
      samples.push({ step: i, numTensors: m.numTensors, tensorMB: m.numBytes / 2 ** 20, rssMB: rssMB() });
    }
  }
  return { ...backend, case: c.id, steps, seconds: (performance.now() - t0) / 1000, samples };
}

/** One step under tf.profile: time per kernel, against the step's wall time (the rest is JavaScript). */
async function profile() {
  const c = findCase(values.case);
  const backend = await start();
  const gan = c.gan();
  const trainer = createTrainer(gan, c.config);
  const data = syntheticSource(c, gan);
  for (let i = 0; i < 3; i++) await trainer.step(data);
  const walls: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await trainer.step(data);
    walls.push(performance.now() - s);
  }
  const info = await tf.profile(async () => {
    await trainer.step(data);
    return [];
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = Number(await k.kernelTimeMs);
    kernelMs += ms;
    const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += ms;
    e.calls++;
    byKernel.set(k.name, e);
  }
  const stepMs = median(walls);
  return {
    ...backend,
    case: c.id,
    stepMs,
    kernelMs,
    kernelCalls: info.kernels.length,
    jsOverheadMs: Math.max(0, stepMs - kernelMs),
    kernels: [...byKernel.entries()]
      .map(([name, e]) => ({ name, ms: e.ms, calls: e.calls }))
      .sort((a, b) => b.ms - a.ms),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Whether the backend starts here, and what it runs on. */
async function probe() {
  return start();
}

const modes: Record<string, () => Promise<unknown>> = {
  probe,
  train,
  generate,
  fid,
  prdc,
  stability,
  profile,
};
const run = modes[mode];
if (run == null) {
  console.error(`unknown mode '${mode}'; modes: ${Object.keys(modes).join(', ')}`);
  process.exit(2);
}
try {
  console.log(JSON.stringify(await run()));
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
