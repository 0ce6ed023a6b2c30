import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve, sep } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import type { MetricRecord } from '@gankit/metrics';
import type { OptimizerConfig } from '@gankit/train';
import type { RunConfig } from './config.js';
import type { EvalLine, MetricsLine, RunFolder, SampleLine, StepLine } from './run-folder.js';

/** A sample grid for the report: its step, its file in the run folder, and its bytes as a data URI. */
export interface ReportSample {
  step: number;
  file: string;
  dataUri: string;
}

/** What the report shows: the run's config, its metrics.jsonl lines and its sample PNGs. */
export interface ReportInput {
  config: RunConfig;
  lines: MetricsLine[];
  samples: ReportSample[];
}

/**
 * Writes the run folder's `report.html` (atomically) from its config, metrics.jsonl and sample PNGs: a header
 * with the run's settings, uPlot charts of the losses, the discriminator's outputs and every evaluated metric,
 * a table of the last evaluation, and the sample timeline. The page is self-contained — uPlot, the metrics and
 * the PNGs (as data URIs) are inlined — so it opens offline, copied anywhere. Sample files that are missing are
 * left out; a run with no logged steps or no evaluations still gets a report.
 */
export async function writeReport(folder: RunFolder, config: RunConfig): Promise<void> {
  const lines = await folder.readMetrics();
  const samples: ReportSample[] = [];
  for (const line of latestSamples(lines)) {
    const path = resolve(folder.dir, line.file);
    if (!path.startsWith(folder.dir + sep)) continue;
    try {
      const bytes = await readFile(path);
      samples.push({
        step: line.step,
        file: line.file,
        dataUri: `data:image/png;base64,${bytes.toString('base64')}`,
      });
    } catch {
      // a sample the run never finished writing, or removed since: the timeline goes on without it
    }
  }
  const html = renderReport({ config, lines, samples });
  await writeFileAtomic(folder.reportPath, new TextEncoder().encode(html));
}

/** Sample lines in step order, the last one logged for each step. */
function latestSamples(lines: MetricsLine[]): SampleLine[] {
  const byStep = new Map<number, SampleLine>();
  for (const l of lines) if (l.type === 'sample') byStep.set(l.step, l);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

let uplotAssets: { js: string; css: string } | undefined;

/** uPlot's browser build and stylesheet, read once from the installed package. */
function uplot(): { js: string; css: string } {
  if (uplotAssets == null) {
    const require = createRequire(import.meta.url);
    uplotAssets = {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return uplotAssets;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Text for a <script> or <style> element: no `</script` or `</style` can end it early. */
const inlineCode = (code: string, tag: 'script' | 'style') =>
  code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A number for people: 4 significant digits, thousands separated; non-finite (null in the log) as a dash. */
function fmt(v: unknown): string {
  if (!isNumber(v)) return '—';
  if (Math.abs(v) >= 1000) return v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return String(Number(v.toPrecision(4)));
}

const count = (n: number) => n.toLocaleString('en-US');

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

const keyValues = (o: object | undefined) =>
  Object.entries(o ?? {})
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');

function optimizer(o: OptimizerConfig): string {
  const extra: string[] = [];
  if (o.beta1 != null) extra.push(`β₁ ${o.beta1}`);
  if (o.beta2 != null) extra.push(`β₂ ${o.beta2}`);
  if (o.momentum != null) extra.push(`momentum ${o.momentum}`);
  if (o.rho != null) extra.push(`ρ ${o.rho}`);
  return `${o.kind} lr ${o.learningRate}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** Whether a metric is better lower or higher, for the chart titles. */
const DIRECTION: Record<string, '↓' | '↑'> = {
  fid: '↓',
  kid: '↓',
  precision: '↑',
  recall: '↑',
  density: '↑',
  coverage: '↑',
  'classifier-score': '↑',
  'stacked-modes': '↑',
  'modes-covered': '↑',
  'high-quality': '↑',
  'reverse-kl': '↓',
  js: '↓',
  kl: '↓',
};

/** "10,000 generated vs 10,000 real · extractor@version · seed 1" for a record. */
export function describeRecord(r: MetricRecord): string {
  const parts = [
    r.samples.real != null
      ? `${count(r.samples.generated)} generated vs ${count(r.samples.real)} real`
      : `${count(r.samples.generated)} generated`,
  ];
  if (r.extractor) parts.push(`${r.extractor.name}@${r.extractor.version}`);
  parts.push(`seed ${r.seed}`);
  return parts.join(' · ');
}

function header(config: RunConfig, steps: StepLine[]): string {
  const t = config.train;
  const r = config.run;
  const rows: [string, string][] = [
    ['source', config.source],
    ['dataset', config.data.dataset],
    ['model', `${config.model.family}${config.model.options ? ` · ${keyValues(config.model.options)}` : ''}`],
    ['loss', `${t.loss}${t.realLabel != null ? ` · real label ${t.realLabel}` : ''}`],
    [
      'batch',
      `${t.batchSize}${t.generatorBatchSize != null ? ` (G ${t.generatorBatchSize})` : ''} · ${t.schedule.dSteps} D step${t.schedule.dSteps === 1 ? '' : 's'} per ${t.schedule.gSteps} G step${t.schedule.gSteps === 1 ? '' : 's'}`,
    ],
    ['optimizers', `G ${optimizer(t.optimizers.generator)} · D ${optimizer(t.optimizers.discriminator)}`],
  ];
  if (t.lrSchedule && t.lrSchedule.kind !== 'constant') rows.push(['lr schedule', keyValues(t.lrSchedule)]);
  const extras: string[] = [];
  if (t.penalties?.gradientPenalty) extras.push(`gradient penalty ${keyValues(t.penalties.gradientPenalty)}`);
  if (t.penalties?.r1) extras.push(`R1 γ ${t.penalties.r1.gamma}`);
  if (t.weightClip != null) extras.push(`weight clip ${t.weightClip}`);
  if (t.ema) extras.push(`EMA ${t.ema.decay}`);
  if (t.augment?.length) extras.push(`DiffAugment ${t.augment.join(', ')}`);
  if (t.instanceNoise) extras.push(`instance noise ${t.instanceNoise.initial}`);
  if (t.replay) extras.push(`replay ${t.replay.size}`);
  if (extras.length) rows.push(['extras', extras.join(' · ')]);
  const length = r.steps != null ? `${count(r.steps)} steps` : `${r.epochs} epochs`;
  rows.push(['run', `${length} · seed ${t.seed} · backend ${r.backend}`]);
  const last = steps.at(-1);
  rows.push([
    'progress',
    last
      ? `step ${count(last.step)} logged after ${duration(last.time)} · ${fmt(last.stepsPerSecond)} steps/s · D loss ${fmt(last.dLoss)} · G loss ${fmt(last.gLoss)}`
      : 'no training step logged',
  ]);
  return `<header>
<h1>${escapeHtml(config.preset)}</h1>
<p class="lead">${escapeHtml(config.description)}</p>
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<details><summary>config.json</summary><pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre></details>
</header>`;
}

function trainingSection(steps: StepLine[]): string {
  if (steps.length === 0)
    return '<section><h2>Training</h2><p class="note">No training step was logged.</p></section>';
  const hasTerms = steps.some((s) => s.terms && Object.keys(s.terms).length > 0);
  const chart = (id: string, title: string) =>
    `<figure><figcaption><b>${title}</b></figcaption><div class="chart" data-chart="${id}"></div></figure>`;
  return `<section><h2>Training</h2><div class="charts">${chart('loss', 'D and G loss')}${chart('d', 'D outputs on real and fake')}${hasTerms ? chart('terms', 'Loss terms') : ''}</div></section>`;
}

function evaluationSection(evals: EvalLine[]): string {
  if (evals.length === 0)
    return '<section><h2>Evaluation</h2><p class="note">No evaluation was run.</p></section>';
  const byMetric = new Map<string, MetricRecord[]>();
  for (const e of evals)
    for (const r of e.records) byMetric.set(r.metric, [...(byMetric.get(r.metric) ?? []), r]);
  const figures = [...byMetric].map(([metric, records]) => {
    const captions = [...new Set(records.map(describeRecord))];
    const caption = captions.at(-1)! + (captions.length > 1 ? ' (earlier points differ)' : '');
    const dir = DIRECTION[metric];
    return `<figure><figcaption><b>${escapeHtml(metric)}</b>${dir ? ` <span title="${dir === '↓' ? 'lower is better' : 'higher is better'}">${dir}</span>` : ''}<br><small>${escapeHtml(caption)}</small></figcaption><div class="chart" data-metric="${escapeHtml(metric)}"></div></figure>`;
  });
  const notes = evals
    .filter((e) => e.note)
    .map(
      (e) =>
        `<li>step ${count(e.step)}: ${e.records.length ? '' : 'not evaluated: '}${escapeHtml(e.note!)}</li>`,
    );
  const last = evals.findLast((e) => e.records.length > 0);
  const table = last
    ? `<h3>Last evaluation · step ${count(last.step)}</h3>
<table><thead><tr><th>metric</th><th>value</th><th>details</th><th>samples</th><th>extractor</th><th>settings</th><th>seed</th></tr></thead><tbody>
${last.records
  .map(
    (r) =>
      `<tr><td>${escapeHtml(r.metric)}</td><td class="num">${fmt(r.value)}</td><td>${escapeHtml(
        Object.entries(r.details ?? {})
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(' · '),
      )}</td><td>${escapeHtml(`${count(r.samples.generated)} generated${r.samples.real != null ? ` / ${count(r.samples.real)} real` : ''}`)}</td><td>${escapeHtml(r.extractor ? `${r.extractor.name}@${r.extractor.version}` : '')}</td><td>${escapeHtml(keyValues(r.settings))}</td><td class="num">${r.seed}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
    : '';
  return `<section><h2>Evaluation</h2>${notes.length ? `<ul class="note">${notes.join('')}</ul>` : ''}${figures.length ? `<div class="charts">${figures.join('')}</div>` : ''}${table}</section>`;
}

function samplesSection(samples: ReportSample[]): string {
  if (samples.length === 0)
    return '<section><h2>Samples</h2><p class="note">No sample was saved.</p></section>';
  const sorted = [...samples].sort((a, b) => a.step - b.step);
  return `<section><h2>Samples</h2><div class="samples">${sorted
    .map(
      (s) =>
        `<figure><img src="${escapeHtml(s.dataUri)}" alt="samples at step ${s.step}" title="${escapeHtml(s.file)}"><figcaption>step ${count(s.step)}</figcaption></figure>`,
    )
    .join('')}</div></section>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fafafa;margin:0 auto;padding:1.5rem;max-width:1200px}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .75rem;border-bottom:1px solid #ddd;padding-bottom:.25rem}h3{font-size:1rem}
.lead{margin:.25rem 0 1rem;color:#444}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 1rem}dt{color:#777}dd{margin:0}
pre{background:#f0f0f0;padding:.75rem;overflow:auto;font-size:12px}summary{cursor:pointer;color:#555}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:1rem}
figure{margin:0;background:#fff;border:1px solid #e3e3e3;border-radius:4px;padding:.5rem;min-width:0}
figcaption small{color:#666}.chart{min-height:40px}
.note{color:#8a5a00}footer{color:#888;margin-top:2rem}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #e3e3e3;padding:.25rem .5rem;text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}
.samples{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.75rem}
.samples img{display:block;width:100%;height:auto;image-rendering:pixelated;background:#000}
.samples figcaption{text-align:center;color:#555;margin-top:.25rem}
`;

/** The page's own script: reads the embedded metrics and draws the uPlot charts into the placeholders. */
const CLIENT = `
(function () {
  if (typeof uPlot === 'undefined') return;
  var source = document.getElementById('gankit-metrics');
  var lines = source ? JSON.parse(source.textContent || '[]') : [];
  var num = function (v) { return typeof v === 'number' && isFinite(v) ? v : null; };
  var byStep = function (a, b) { return a.step - b.step; };
  var of = function (type) { return lines.filter(function (l) { return l && l.type === type; }).sort(byStep); };
  var steps = of('step');
  var evals = of('eval');
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
  var charts = [];
  function draw(target, x, series, points) {
    var opts = {
      width: Math.max(260, target.clientWidth),
      height: 220,
      scales: { x: { time: false } },
      axes: [{ label: 'step', size: 40 }, { size: 60 }],
      series: [{ label: 'step' }].concat(series.map(function (s, i) {
        return { label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: false, points: { show: points || x.length <= 40 } };
      })),
    };
    var u = new uPlot(opts, [x].concat(series.map(function (s) { return s.values; })), target);
    charts.push({ u: u, target: target });
  }
  var stepX = steps.map(function (l) { return l.step; });
  var pick = function (key) { return steps.map(function (l) { return num(l[key]); }); };
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var kind = el.getAttribute('data-chart');
    if (kind === 'loss') draw(el, stepX, [{ label: 'D loss', values: pick('dLoss') }, { label: 'G loss', values: pick('gLoss') }]);
    if (kind === 'd') draw(el, stepX, [{ label: 'D(real)', values: pick('dReal') }, { label: 'D(fake)', values: pick('dFake') }]);
    if (kind === 'terms') {
      var keys = [];
      steps.forEach(function (l) { Object.keys(l.terms || {}).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
      draw(el, stepX, keys.map(function (k) {
        return { label: k, values: steps.map(function (l) { return num((l.terms || {})[k]); }) };
      }));
    }
  });
  document.querySelectorAll('[data-metric]').forEach(function (el) {
    var metric = el.getAttribute('data-metric');
    var x = [], y = [];
    evals.forEach(function (e) {
      (e.records || []).forEach(function (r) { if (r.metric === metric) { x.push(e.step); y.push(num(r.value)); } });
    });
    draw(el, x, [{ label: metric, values: y }], true);
  });
  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (c) { c.u.setSize({ width: Math.max(260, c.target.clientWidth), height: 220 }); });
    });
  });
})();
`;

/** The report as one self-contained HTML page (no network): the pure half of {@link writeReport}. */
export function renderReport(input: ReportInput): string {
  const { config, lines, samples } = input;
  const steps = lines.filter((l): l is StepLine => l.type === 'step').sort((a, b) => a.step - b.step);
  const evals = lines.filter((l): l is EvalLine => l.type === 'eval').sort((a, b) => a.step - b.step);
  const { js, css } = uplot();
  // JSON with every `<` escaped: nothing in it (notes, names) can close the script element.
  const data = JSON.stringify(lines).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`gankit · ${config.preset}`)}</title>
<style>${inlineCode(css, 'style')}</style>
<style>${CSS}</style>
</head>
<body>
${header(config, steps)}
${trainingSection(steps)}
${evaluationSection(evals)}
${samplesSection(samples)}
<footer><p><small>Written by gankit. Self-contained: charts by uPlot, inlined with the metrics and samples.</small></p></footer>
<script type="application/json" id="gankit-metrics">${data}</script>
<script>${inlineCode(js, 'script')}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
