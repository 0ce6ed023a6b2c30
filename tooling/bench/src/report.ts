/** The benchmark's markdown report, from the JSON that run.ts writes (also usable on a saved bench.json). */

export interface Child {
  ok: boolean;
  result?: Record<string, unknown>;
  error?: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; torch?: unknown };
  settings: { quick: boolean; seconds: number; stabilitySteps: number; fidCount: number; cases: string[] };
  cases: Record<string, { title: string; unit: string }>;
  backends: Record<string, { available: boolean; detail?: string; reason?: string }>;
  training: Record<string, Record<string, Child>>;
  generation: Record<string, Record<string, Child>>;
  fid?: Child;
  /** Naeem et al.'s precision/recall/density/coverage example: values, time, peak tensor memory. */
  prdc?: Child;
  stability: Child[];
  profiles: Child[];
}

const num = (c: Child | undefined, key: string): number | undefined => {
  const v = c?.ok ? c.result?.[key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const fmt = (v: number | undefined, digits = 1) =>
  v == null ? '—' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(digits) : v.toPrecision(2 + digits - 1);
const cell = (c: Child | undefined, key: string, digits = 1) =>
  c == null ? '' : c.ok ? fmt(num(c, key), digits) : `failed: ${(c.error ?? '').slice(0, 60)}`;

/** The best of PyTorch's 1- and 2-thread runs, by a key. */
export function bestTorch(row: Record<string, Child>, key: string): { value?: number; threads?: number } {
  let best: { value?: number; threads?: number } = {};
  for (const t of [1, 2]) {
    const v = num(row[`torch-${t}t`], key);
    if (v != null && (best.value == null || v > best.value)) best = { value: v, threads: t };
  }
  return best;
}

/** The best tfjs number among the wasm variants, by a key. */
export function bestWasm(row: Record<string, Child>, key: string): { value?: number; variant?: string } {
  let best: { value?: number; variant?: string } = {};
  for (const variant of ['wasm', 'wasm-1t']) {
    const v = num(row[variant], key);
    if (v != null && (best.value == null || v > best.value)) best = { value: v, variant };
  }
  return best;
}

const ratio = (a?: number, b?: number) => (a != null && b != null && b > 0 ? `${(a / b).toFixed(1)}×` : '—');

/** Naeem et al.'s example: our four numbers beside the published ones, the time and the memory bound. */
export function renderPrdc(c: Child): string {
  if (!c.ok) return `Precision/recall/density/coverage: failed — ${c.error}`;
  const r = c.result!;
  const published = r.published as Record<string, number> | undefined;
  const values = (['precision', 'recall', 'density', 'coverage'] as const)
    .map((k) => `${k} ${fmt(num(c, k), 3)}${published?.[k] != null ? ` (published ${published[k]})` : ''}`)
    .join(', ');
  return (
    `Naeem et al.'s example, ${r.count} vs ${r.count} samples of N(0, I₁₀₀₀), k = 5, on ${r.backend}: ${values}; ` +
    `**${fmt(num(c, 'seconds'))} s**; peak tensor memory ${fmt(num(c, 'peakTensorMB'))} MB, of which the two ` +
    `inputs are ${fmt(num(c, 'inputMB'))} MB (one full distance matrix would be ${fmt(num(c, 'fullMatrixMB'), 0)} MB).`
  );
}

export function renderMarkdown(r: BenchReport): string {
  const out: string[] = [];
  const backends = Object.keys(r.backends).filter((b) => r.backends[b]!.available);
  out.push('# gankit benchmarks', '');
  out.push(
    `${r.startedAt.slice(0, 16).replace('T', ' ')} UTC · ${r.machine.cpu}, ${r.machine.cores} cores, ` +
      `${r.machine.memoryGiB} GiB · Node ${r.machine.node} · PyTorch ${r.machine.torch ?? 'not run'}` +
      `${r.settings.quick ? ' · **quick run (short budgets): not for comparison**' : ''}`,
    '',
  );
  out.push('Backends:', '');
  for (const [name, b] of Object.entries(r.backends))
    out.push(`- \`${name}\`: ${b.available ? b.detail : `not measured — ${b.reason}`}`);
  out.push('');

  out.push('## Training throughput', '');
  out.push(
    'One step = one D update + one G update with Adam, as the trainer runs it (losses read back every step). ' +
      'Samples/s = batch × steps/s; the ring-8 MLP in steps/s. PyTorch: the better of 1 and 2 threads.',
    '',
  );
  const head = [
    'case',
    'unit',
    ...backends,
    'PyTorch 1t',
    'PyTorch 2t',
    'best wasm ÷ best PyTorch',
    'best wasm ÷ cpu',
  ];
  out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const [id, row] of Object.entries(r.training)) {
    const w = bestWasm(row, 'throughput');
    const t = bestTorch(row, 'throughput');
    out.push(
      `| ${r.cases[id]?.title ?? id} | ${r.cases[id]?.unit ?? ''} | ${backends.map((b) => cell(row[b], 'throughput')).join(' | ')} | ` +
        `${cell(row['torch-1t'], 'throughput')} | ${cell(row['torch-2t'], 'throughput')} | ${ratio(w.value, t.value)} | ` +
        `${ratio(w.value, num(row.cpu, 'throughput'))} |`,
    );
  }
  out.push('');

  out.push('## Peak memory (MB)', '');
  out.push(
    'Peak resident set size of each measurement process (its own process), and tfjs tensor memory at its peak.',
    '',
  );
  const memHead = ['case', ...backends.map((b) => `${b} RSS / tensors`), 'PyTorch 1t RSS', 'PyTorch 2t RSS'];
  out.push(`| ${memHead.join(' | ')} |`, `| ${memHead.map(() => '---').join(' | ')} |`);
  for (const [id, row] of Object.entries(r.training)) {
    out.push(
      `| ${id} | ${backends.map((b) => `${fmt(num(row[b], 'peakRssMB'), 0)} / ${fmt(num(row[b], 'peakTensorMB'))}`).join(' | ')} | ` +
        `${fmt(num(row['torch-1t'], 'peakRssMB'), 0)} | ${fmt(num(row['torch-2t'], 'peakRssMB'), 0)} |`,
    );
  }
  out.push('');

  if (Object.keys(r.generation).length > 0) {
    out.push('## Generation throughput (images/s, batches of 256, inference mode)', '');
    const genBackends = backends.filter((b) => b !== 'cpu');
    const gh = ['generator', ...genBackends, 'PyTorch 1t', 'PyTorch 2t', 'best wasm ÷ best PyTorch'];
    out.push(`| ${gh.join(' | ')} |`, `| ${gh.map(() => '---').join(' | ')} |`);
    for (const [id, row] of Object.entries(r.generation)) {
      out.push(
        `| ${id} | ${genBackends.map((b) => cell(row[b], 'imagesPerSecond', 0)).join(' | ')} | ` +
          `${cell(row['torch-1t'], 'imagesPerSecond', 0)} | ${cell(row['torch-2t'], 'imagesPerSecond', 0)} | ` +
          `${ratio(bestWasm(row, 'imagesPerSecond').value, bestTorch(row, 'imagesPerSecond').value)} |`,
      );
    }
    out.push('');
  }

  if (r.fid) {
    out.push('## Metric cost', '');
    out.push(
      r.fid.ok
        ? `FID of ${r.fid.result!.count} generated seed-002 samples (generated on the fly) against as many MNIST ` +
            `training images with the shipped MNIST extractor, on ${r.fid.result!.backend} ` +
            `(${r.fid.result!.detail}): **${fmt(num(r.fid, 'seconds'))} s** in all (generation, features of both ` +
            `sets, moments, the matrix square root); peak RSS ${fmt(num(r.fid, 'peakRssMB'), 0)} MB.`
        : `FID: failed — ${r.fid.error}`,
      '',
    );
  }
  if (r.prdc) out.push(renderPrdc(r.prdc), '');

  if (r.stability.length > 0) {
    out.push('## Stability over a long run', '');
    for (const s of r.stability) {
      if (!s.ok) {
        out.push(`- failed: ${s.error}`);
        continue;
      }
      const samples = s.result!.samples as {
        step: number;
        numTensors: number;
        tensorMB: number;
        rssMB: number;
      }[];
      const tensors = samples.map((x) => x.numTensors);
      const rss = samples.map((x) => x.rssMB);
      out.push(
        `${s.result!.case}, ${s.result!.steps} steps on ${s.result!.backend}: numTensors ${tensors.join(' → ')} ` +
          `(${new Set(tensors).size === 1 ? 'flat' : 'NOT flat'}); RSS ${rss.map((v) => v.toFixed(0)).join(' → ')} MB ` +
          `(last − after step ${samples[1]?.step ?? 1}: ${((rss.at(-1) ?? 0) - (rss[1] ?? rss[0] ?? 0)).toFixed(0)} MB).`,
        '',
      );
    }
  }

  if (r.profiles.length > 0) {
    out.push("## Where a step's time goes", '');
    out.push(
      'One profiled step (tf.profile): time inside kernels against the median wall time of unprofiled steps; the ' +
        'difference is JavaScript (tfjs engine bookkeeping, autodiff tape, our trainer). Top kernels by time.',
      '',
    );
    for (const p of r.profiles) {
      if (!p.ok) {
        out.push(`- failed: ${p.error}`, '');
        continue;
      }
      const res = p.result!;
      const kernels = (res.kernels as { name: string; ms: number; calls: number }[]).slice(0, 8);
      out.push(
        `**${res.case}** on ${res.backend} (${res.detail}): step ${fmt(num(p, 'stepMs'))} ms, kernels ` +
          `${fmt(num(p, 'kernelMs'))} ms in ${res.kernelCalls} calls, JavaScript ≈ ${fmt(num(p, 'jsOverheadMs'))} ms. ` +
          kernels.map((k) => `${k.name} ${fmt(k.ms)} ms (${k.calls})`).join(', '),
        '',
      );
    }
  }

  out.push('## Targets (issue 10)', '');
  const check = (ok: boolean | undefined, text: string) =>
    out.push(`- ${ok == null ? '—' : ok ? '✓' : '✗'} ${text}`);
  for (const id of ['seed-64', 'seed-256']) {
    const row = r.training[id];
    if (row == null) continue;
    const w = bestWasm(row, 'throughput').value;
    const t = bestTorch(row, 'throughput').value;
    const c = num(row.cpu, 'throughput');
    check(w != null && t != null ? w >= 3 * t : undefined, `${id}: wasm ≥ 3× PyTorch CPU (${ratio(w, t)})`);
    check(
      w != null && c != null ? w >= 100 * c : undefined,
      `${id}: wasm ≥ 100× tfjs-backend-cpu (${c == null ? 'cpu not measured for this case: see --cpu-cases' : ratio(w, c)})`,
    );
  }
  const ring = r.training['ring8-mlp'];
  if (ring) {
    const w = bestWasm(ring, 'throughput').value;
    const t = bestTorch(ring, 'throughput').value;
    check(w != null && t != null ? w >= t : undefined, `ring8-mlp: steps/s ≥ PyTorch's (${ratio(w, t)})`);
  }
  for (const s of r.stability) {
    if (!s.ok) continue;
    const samples = s.result!.samples as { numTensors: number; rssMB: number }[];
    check(
      new Set(samples.map((x) => x.numTensors)).size === 1,
      `${s.result!.case}: numTensors flat over ${s.result!.steps} steps`,
    );
  }
  out.push('');
  return `${out.join('\n')}\n`;
}
