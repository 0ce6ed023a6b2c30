/** The quality-against-time benchmark's record and table (src/quality.ts runs it). */

/** One evaluation of a run: FID after `trainSeconds` of training (evaluations left out), at `step`. */
export interface QualityPoint {
  step: number;
  trainSeconds: number;
  fid: number;
}

export interface QualityRun {
  preset: string;
  steps: number;
  samples: number;
  /** The whole run's wall time, evaluations, samples and start-up included. */
  wallSeconds: number;
  points: QualityPoint[];
}

export interface QualityReport {
  date: string;
  threads: number | string;
  runs: QualityRun[];
}

interface Line {
  type: string;
  step: number;
  time?: number;
  records?: { metric: string; value: number }[];
}

/**
 * FID against training time from a run's metrics.jsonl lines: an evaluation's training time is its step's time less
 * the time every earlier evaluation took (an evaluation line's time is taken when it ends; its step line's just
 * before it starts). An evaluation between logged steps takes the last logged step's time before it (short by less
 * than one log interval; the benchmark evaluates on logged steps).
 */
export function trainingTimeline(lines: readonly Line[]): QualityPoint[] {
  let last: { step: number; time: number } | undefined;
  const points: QualityPoint[] = [];
  let evaluating = 0;
  for (const l of lines) {
    if (l.type === 'step' && l.time != null) last = { step: l.step, time: l.time };
    if (l.type !== 'eval' || l.time == null) continue;
    const fid = l.records?.find((r) => r.metric === 'fid')?.value;
    const at = last != null && last.step <= l.step ? last.time : undefined;
    if (fid == null || at == null) continue;
    points.push({ step: l.step, trainSeconds: at - evaluating, fid });
    evaluating += l.time - at;
  }
  return points;
}

/** The lowest FID a run had reached by `seconds` of training, or undefined before its first evaluation. */
export function fidBy(run: QualityRun, seconds: number): number | undefined {
  const reached = run.points.filter((p) => p.trainSeconds <= seconds).map((p) => p.fid);
  return reached.length ? Math.min(...reached) : undefined;
}

const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;

export function renderQuality(report: QualityReport): string {
  const marks = [5, 10, 15].map((m) => m * 60);
  const out = [
    `# FID against wall time (${report.date.slice(0, 10)}, wasm, threads: ${report.threads})`,
    '',
    'Best FID (shipped classifier features, generated vs real test images) reached by each mark of training time:',
    '',
    `| preset | steps | ${marks.map((m) => `by ${minutes(m)}`).join(' | ')} | last FID | training | whole run |`,
    `| --- | --- | ${marks.map(() => '---').join(' | ')} | --- | --- | --- |`,
  ];
  for (const r of report.runs) {
    const last = r.points.at(-1);
    out.push(
      `| ${r.preset} | ${r.steps} | ${marks.map((m) => fidBy(r, m)?.toFixed(0) ?? '—').join(' | ')} | ` +
        `${last ? last.fid.toFixed(0) : '—'} | ${last ? minutes(last.trainSeconds) : '—'} | ${minutes(r.wallSeconds)} |`,
    );
  }
  out.push('', 'Every evaluation (step, training time, FID on the samples counted):', '');
  for (const r of report.runs)
    out.push(
      `- ${r.preset} (${r.samples} samples): ${r.points.map((p) => `${p.step} @ ${minutes(p.trainSeconds)}: ${p.fid.toFixed(0)}`).join(' · ')}`,
    );
  return `${out.join('\n')}\n`;
}
