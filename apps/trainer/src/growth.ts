/** What the CLI shows of a progressively grown run: its phases in the header and the report, and a grid per resolution. */
import { type GrowthPhase, growthPlan } from '@gankit/train';
import type { RunConfig } from './config.js';

/** The phases of a run's growth schedule (none without one), each with the step it starts at. */
export function phaseMarks(config: Pick<RunConfig, 'train'>): GrowthPhase[] {
  return growthPlan(config.train);
}

/** `fade in 14×14` / `14×14`: a phase as the header and the report name it. */
export function phaseLabel(p: Pick<GrowthPhase, 'resolution' | 'fade'>): string {
  return `${p.fade ? 'fade in ' : ''}${p.resolution}×${p.resolution}`;
}

/** The header's line: `growth: 7×7 from step 0, fade in 14×14 from 75, …` (undefined without growth). */
export function growthLine(config: Pick<RunConfig, 'train'>, totalSteps?: number): string | undefined {
  const plan = phaseMarks(config);
  if (plan.length === 0) return undefined;
  const parts = plan.map((p, i) => `${phaseLabel(p)} from ${i === 0 ? 'step ' : ''}${p.start}`);
  const last = plan.at(-1)!;
  const short =
    totalSteps != null && totalSteps <= last.start
      ? ` — this run (${totalSteps} steps) ends before it reaches ${last.resolution}×${last.resolution}`
      : '';
  return `growth: ${parts.join(', ')}${short}`;
}

/**
 * The resolution whose training ends with step `step` (1-based count of completed steps): the stable phase just
 * before a growth, or the last one when the run ends there — its grid is kept as `samples/res-<r>.png`.
 */
export function resolutionEndingAt(
  config: Pick<RunConfig, 'train'>,
  step: number,
  totalSteps: number,
): number | undefined {
  const plan = phaseMarks(config);
  if (plan.length === 0) return undefined;
  const next = plan.find((p) => p.start === step && p.fade);
  if (next) return plan[plan.indexOf(next) - 1]!.resolution;
  if (step === totalSteps) {
    const current = [...plan].reverse().find((p) => p.start < step);
    return current?.resolution;
  }
  return undefined;
}

export const resolutionSampleName = (resolution: number) => `res-${String(resolution).padStart(3, '0')}.png`;
