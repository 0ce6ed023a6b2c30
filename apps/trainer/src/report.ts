import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve, sep } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import { type AnyRunConfig, isCycle, isPaired } from './config.js';
import { phaseLabel, phaseMarks } from './growth.js';
import {
  escapeHtml,
  evaluationSection,
  header,
  inlineCode,
  type ReportSample,
  samplesSection,
  trainingSection,
} from './report-sections.js';
import type { EvalLine, MetricsLine, RunFolder, SampleLine, StepLine } from './run-folder.js';

/** What the report shows: the run's config, its metrics.jsonl lines and its sample PNGs. */
export type { ReportSample };

export interface ReportInput {
  config: AnyRunConfig;
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
export async function writeReport(folder: RunFolder, config: AnyRunConfig): Promise<void> {
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
      hooks: { draw: [markPhases] },
      series: [{ label: 'step' }].concat(series.map(function (s, i) {
        return { label: s.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: false, points: { show: points || x.length <= 40 } };
      })),
    };
    var u = new uPlot(opts, [x].concat(series.map(function (s) { return s.values; })), target);
    charts.push({ u: u, target: target });
  }
  var phaseSource = document.getElementById('gankit-phases');
  var phases = phaseSource ? JSON.parse(phaseSource.textContent || '[]') : [];
  // a grown run's phases: a dashed line and its label at each phase's first step
  function markPhases(u) {
    var ctx = u.ctx;
    ctx.save();
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = '#888';
    ctx.fillStyle = '#555';
    ctx.font = (10 * devicePixelRatio) + 'px sans-serif';
    phases.forEach(function (p) {
      var x = Math.round(u.valToPos(p.step, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillText(p.label, x + 3, u.bbox.top + 12 * devicePixelRatio);
    });
    ctx.restore();
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
      (e.records || []).forEach(function (r) {
        var key = r.settings && typeof r.settings.direction === 'string' ? r.metric + ' ' + r.settings.direction : r.metric;
        if (key === metric) { x.push(e.step); y.push(num(r.value)); }
      });
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
  const phases = isCycle(config)
    ? []
    : isPaired(config)
      ? config.train.pretrainSteps
        ? [
            { step: 0, label: 'G alone (pre-training)' },
            { step: config.train.pretrainSteps, label: 'adversarial' },
          ]
        : []
      : phaseMarks(config).map((p) => ({ step: p.start, label: phaseLabel(p) }));
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
${trainingSection(steps, phases)}
${evaluationSection(evals)}
${samplesSection(samples)}
<footer><p><small>Written by gankit. Self-contained: charts by uPlot, inlined with the metrics and samples.</small></p></footer>
<script type="application/json" id="gankit-metrics">${data}</script>
${phases.length ? `<script type="application/json" id="gankit-phases">${JSON.stringify(phases).replace(/</g, '\\u003c')}</script>` : ''}
<script>${inlineCode(js, 'script')}</script>
<script>${CLIENT}</script>
</body>
</html>
`;
}
