/** Trains an image-to-image run in its run folder: logs, sample grids, evaluations, checkpoints, the exported generator. */
import { exportTranslator, TRANSLATOR_FORMAT, type TranslatorManifest } from '@gankit/models';
import type { Output } from './output.js';
import { evaluatePairedRun, evaluationPhrase, pairedSamplePng } from './paired-eval.js';
import type { PairedSession } from './paired-session.js';
import type { EvalLine, RunFolder } from './run-folder.js';
import { runLoop, stepGrids, type TrainingResult } from './run-loop.js';
import { trainUntilDone } from './training.js';

/** The exported generator's manifest: its model, shapes, range and the task its sources are made by. */
export function translatorManifest(
  session: PairedSession,
  extra: Record<string, unknown> = {},
): TranslatorManifest {
  const { config, def, trainer } = session;
  return {
    format: TRANSLATOR_FORMAT,
    model: config.model,
    architecture: def.architecture,
    sourceShape: [...def.sourceShape],
    targetShape: [...def.targetShape],
    dataRange: def.dataRange,
    task: { ...config.data.task },
    ema: trainer.state.ema.G != null,
    steps: trainer.state.counters.step,
    info: { preset: config.preset, dataset: config.data.dataset, ...extra },
  };
}

/** G's weights as sampling uses them: the EMA when the run keeps one. */
export const translatorWeights = (session: PairedSession) => {
  const { state } = session.trainer;
  return { params: state.ema.G?.params ?? state.networks.G!.params, state: state.networks.G!.state };
};

async function runPairedTraining(
  session: PairedSession,
  folder: RunFolder,
  out: Output,
  signal: AbortSignal,
): Promise<TrainingResult> {
  const { config, trainer, data } = session;
  return runLoop(trainer, data.source, config, folder, out, signal, {
    writeSamples: stepGrids(folder, () => pairedSamplePng(session)),
    evaluate: () => evaluatePairedRun(session, config.run.evalSamples),
    format: (e) => formatPaired(e.records),
    evaluating: evaluationPhrase(session, config.run.evalSamples),
    exportGenerator: (lastEval) =>
      exportTranslator(
        translatorWeights(session),
        translatorManifest(session, lastEval ? { metrics: lastEval.records } : {}),
      ),
  });
}

/** `psnr 24.1 (bilinear 21.3) · ssim 0.91 (0.85) · …` */
export function formatPaired(records: EvalLine['records']): string {
  return records
    .map((r) => {
      const v = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
      const base = r.details?.baseline;
      return `${r.metric} ${v(r.value)}${base != null ? ` (${r.settings?.baseline ?? 'baseline'} ${v(base)})` : ''}`;
    })
    .join(' · ');
}

export function trainPairedSession(
  session: PairedSession,
  folder: RunFolder,
  out: Output,
  cwd: string,
): Promise<number> {
  const run = (signal: AbortSignal) => runPairedTraining(session, folder, out, signal);
  return trainUntilDone(session.trainer, run, out, cwd, 'translate');
}

export function pairedHeader(out: Output, session: PairedSession, backend: string): void {
  const { config, def, trainer, data } = session;
  const count = (vars: { size: number }[]) => vars.reduce((s, v) => s + v.size, 0).toLocaleString('en-US');
  const n = trainer.state.networks;
  out.line(`preset: ${config.preset} — ${config.description}`);
  out.line(backend);
  out.line(`data: ${data.description}`);
  out.line(
    `model: ${def.architecture} — G ${count(n.G!.variables())} / D ${count(n.D!.variables())}${n.L ? ` + local D ${count(n.L.variables())}` : ''} parameters`,
  );
  const t = config.train;
  const terms = [
    t.reconstruction
      ? `${t.reconstruction.norm} × ${t.reconstruction.weight}${t.reconstruction.hole ? ' (hole)' : ''}`
      : '',
    t.content ? `content × ${t.content.weight}` : '',
    `adversarial × ${t.adversarialWeight ?? 1}`,
  ].filter(Boolean);
  out.line(
    `train: ${t.loss} loss, ${terms.join(' + ')}, D × ${t.discriminatorWeight ?? 1}, batch ${t.batchSize}, ` +
      `lr D ${t.optimizers.discriminator.learningRate} G ${t.optimizers.generator.learningRate}, seed ${t.seed}` +
      (t.pretrainSteps ? `, ${t.pretrainSteps} steps of G alone first` : '') +
      `; ${config.run.steps != null ? `${config.run.steps} steps` : `${config.run.epochs} epochs`}`,
  );
}
