/**
 * The playground's data: toy distributions from @gankit/datasets, with the square of the plane the view shows and
 * the modes and σ of the PacGAN mode-coverage protocol.
 */
import { gaussianMixture, grid25, ring8, type ToyDistribution, userPoints } from '@gankit/datasets';
import type { DistributionKind, PlaygroundConfig } from './config.js';

/** A distribution the playground can train on: every one is a mixture of isotropic Gaussians. */
export interface PlaygroundData {
  kind: DistributionKind;
  distribution: ToyDistribution;
  modes: number[][];
  sigma: number;
  /** The view is the square [−extent, extent]². */
  extent: number;
}

/** The view of the drawing canvas: points are placed in [−DRAW_EXTENT, DRAW_EXTENT]². */
export const DRAW_EXTENT = 2;

/** An irregular 2-D mixture: seven modes at different distances, for G to spread over. */
export const MIXTURE_MEANS: readonly (readonly [number, number])[] = [
  [-1.2, -0.7],
  [-0.5, 1.1],
  [0.8, 1.0],
  [1.4, -0.3],
  [0.3, -1.3],
  [-1.5, 0.5],
  [0.3, 0.05],
];

/** The distribution `config` asks for, or an error for the page (no points drawn yet). */
export function makeData(
  config: Pick<PlaygroundConfig, 'distribution' | 'sigma' | 'points'>,
): PlaygroundData {
  const { sigma } = config;
  let distribution: ToyDistribution;
  let extent: number;
  switch (config.distribution) {
    case 'ring8':
      distribution = ring8({ sigma });
      extent = 1.6;
      break;
    case 'grid25':
      distribution = grid25({ sigma });
      extent = 5.6;
      break;
    case 'mixture':
      distribution = gaussianMixture(
        'mixture7',
        MIXTURE_MEANS.map((m) => [...m]),
        sigma,
      );
      extent = 2.2;
      break;
    case 'draw':
      distribution = userPoints(config.points, { sigma });
      extent = DRAW_EXTENT;
      break;
    default:
      throw new Error(`unknown distribution '${String(config.distribution)}'`);
  }
  return { kind: config.distribution, distribution, modes: distribution.modes!, sigma, extent };
}

/** The bounds of the histograms behind the JS divergence: the view square. */
export function histogramGrid(data: Pick<PlaygroundData, 'extent'>, bins = 32) {
  return { bins, lo: -data.extent, hi: data.extent };
}
