/** How good the 2D playground's generated points are: modes covered, high-quality share, JS divergence. */
import { evaluateMixture } from '@gankit/metrics';
import { histogramGrid, type PlaygroundData } from './distributions.js';

export interface SampleQuality {
  /** Modes with at least one high-quality sample (within 3σ), PacGAN protocol. */
  modesCovered: number;
  modes: number;
  /** Share of samples within 3σ of a mode. */
  highQuality: number;
  /** Jensen–Shannon divergence (nats, ≤ ln 2) between 2-D histograms of real and generated samples. */
  js: number;
  samples: number;
}

/**
 * Scores generated points against the distribution with @gankit/metrics' `evaluateMixture`: modes covered
 * (the distribution's modes and σ; drawn points are the modes of a drawing) and the JS divergence of 2-D
 * histograms over the view.
 */
export function sampleQuality(
  generated: Float32Array,
  real: Float32Array,
  data: PlaygroundData,
  bins = 32,
): SampleQuality {
  const records = evaluateMixture({
    generated,
    dim: 2,
    mixture: { name: data.distribution.name, modes: data.modes, sigma: data.sigma },
    real,
    grid: histogramGrid(data, bins),
  });
  const value = (metric: string) => records.find((r) => r.metric === metric)!.value;
  return {
    modesCovered: value('modes-covered'),
    modes: data.modes.length,
    highQuality: value('high-quality'),
    js: value('js'),
    samples: generated.length / 2,
  };
}
