/** The report's sections as HTML: the header with the run's settings, training, evaluation and the sample timeline. */
import type { MetricRecord } from '@gankit/metrics';
import type { OptimizerConfig } from '@gankit/train';
import { type AnyRunConfig, isCycle, isPaired, type RunConfig } from './config.js';
import { type CycleRunConfig, describeDomain } from './cycle-run-config.js';
import type { PairedRunConfig } from './paired-config.js';
import type { EvalLine, StepLine } from './run-folder.js';

/** A sample grid for the report: its step, its file in the run folder, and its bytes as a data URI. */
export interface ReportSample {
  step: number;
  file: string;
  dataUri: string;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Text for a <script> or <style> element: no `</script` or `</style` can end it early. */
export const inlineCode = (code: string, tag: 'script' | 'style') =>
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

/** The settings rows of an image-to-image run. */
function pairedRows(config: PairedRunConfig): [string, string][] {
  const t = config.train;
  const terms = [
    t.reconstruction
      ? `${t.reconstruction.norm} × ${t.reconstruction.weight}${t.reconstruction.hole ? ' (hole only)' : ''}`
      : '',
    t.content ? `content × ${t.content.weight}` : '',
    `adversarial × ${t.adversarialWeight ?? 1}`,
  ].filter(Boolean);
  const rows: [string, string][] = [
    ['task', keyValues(config.data.task)],
    ['loss', `${t.loss} · D × ${t.discriminatorWeight ?? 1}`],
    ['G terms', terms.join(' + ')],
    ['batch', String(t.batchSize)],
    ['optimizers', `G ${optimizer(t.optimizers.generator)} · D ${optimizer(t.optimizers.discriminator)}`],
  ];
  if (t.pretrainSteps) rows.push(['pre-training', `${count(t.pretrainSteps)} steps of G alone`]);
  if (t.ema) rows.push(['extras', `EMA ${t.ema.decay}`]);
  return rows;
}

/** The settings rows of an unpaired run. */
function cycleRows(config: CycleRunConfig): [string, string][] {
  const t = config.train;
  const rows: [string, string][] = [
    ['loss', `${t.loss} · D × ${t.discriminatorWeight ?? 1}`],
    [
      'G terms',
      [
        `cycle ${t.cycle.norm} × ${t.cycle.weight}`,
        t.identity ? `identity × ${t.identity.weight}` : 'no identity term',
      ].join(' + '),
    ],
    ['pools', t.pool ? `${t.pool.size} past fakes per D, swapped in with p ${t.pool.probability}` : 'none'],
    ['batch', String(t.batchSize)],
    ['optimizers', `G ${optimizer(t.optimizers.generator)} · D ${optimizer(t.optimizers.discriminator)}`],
  ];
  if (t.lrSchedule?.kind === 'linear')
    rows.push(['learning rate', `linear to ${t.lrSchedule.final ?? 0} from step ${t.lrSchedule.start ?? 0}`]);
  return rows;
}

export function header(config: AnyRunConfig, steps: StepLine[]): string {
  const r = config.run;
  const common: [string, string][] = [
    ['source', config.source],
    ...(isCycle(config)
      ? ([
          ['domain A', describeDomain(config.data.a)],
          ['domain B', describeDomain(config.data.b)],
        ] as [string, string][])
      : ([['dataset', config.data.dataset]] as [string, string][])),
    ['model', `${config.model.family}${config.model.options ? ` · ${keyValues(config.model.options)}` : ''}`],
  ];
  const rows = isCycle(config)
    ? [...common, ...cycleRows(config)]
    : isPaired(config)
      ? [...common, ...pairedRows(config)]
      : [...common, ...ganRows(config)];
  const length = r.steps != null ? `${count(r.steps)} steps` : `${r.epochs} epochs`;
  rows.push(['run', `${length} · seed ${config.train.seed} · backend ${r.backend}`]);
  return headerHtml(config, steps, rows);
}

function ganRows(config: RunConfig): [string, string][] {
  const t = config.train;
  const rows: [string, string][] = [
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
  return rows;
}

function headerHtml(config: AnyRunConfig, steps: StepLine[], rows: [string, string][]): string {
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

/** A phase of a grown run as the report marks it on the curves. */
export interface PhaseMark {
  step: number;
  label: string;
}

export function trainingSection(steps: StepLine[], phases: readonly PhaseMark[] = []): string {
  if (steps.length === 0)
    return '<section><h2>Training</h2><p class="note">No training step was logged.</p></section>';
  const hasTerms = steps.some((s) => s.terms && Object.keys(s.terms).length > 0);
  const chart = (id: string, title: string) =>
    `<figure><figcaption><b>${title}</b></figcaption><div class="chart" data-chart="${id}"></div></figure>`;
  const marks = phases.length
    ? `<p class="note">Phases, marked on the curves by dashed lines: ${phases
        .map((p) => `${escapeHtml(p.label)} from step ${p.step}`)
        .join(' · ')}.</p>`
    : '';
  return `<section><h2>Training</h2>${marks}<div class="charts">${chart('loss', 'D and G loss')}${chart('d', 'D outputs on real and fake')}${hasTerms ? chart('terms', 'Loss terms') : ''}</div></section>`;
}

export function evaluationSection(evals: EvalLine[]): string {
  if (evals.length === 0)
    return '<section><h2>Evaluation</h2><p class="note">No evaluation was run.</p></section>';
  // an unpaired run's records come in two directions: a chart for each (`fid a2b`, `fid b2a`)
  const keyOf = (r: MetricRecord) => {
    const direction = r.settings?.direction;
    return typeof direction === 'string' ? `${r.metric} ${direction}` : r.metric;
  };
  const byMetric = new Map<string, MetricRecord[]>();
  for (const e of evals)
    for (const r of e.records) byMetric.set(keyOf(r), [...(byMetric.get(keyOf(r)) ?? []), r]);
  const figures = [...byMetric].map(([key, records]) => {
    const captions = [...new Set(records.map(describeRecord))];
    const caption = captions.at(-1)! + (captions.length > 1 ? ' (earlier points differ)' : '');
    const dir = DIRECTION[records[0]!.metric];
    return `<figure><figcaption><b>${escapeHtml(key)}</b>${dir ? ` <span title="${dir === '↓' ? 'lower is better' : 'higher is better'}">${dir}</span>` : ''}<br><small>${escapeHtml(caption)}</small></figcaption><div class="chart" data-metric="${escapeHtml(key)}"></div></figure>`;
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

export function samplesSection(samples: ReportSample[]): string {
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
