export type {
  AdversarialLossName,
  GanLoss,
  LeastSquaresOptions,
  MinimaxOptions,
  OutputKind,
} from './adversarial.js';
export {
  ADVERSARIAL_LOSSES,
  adversarialLoss,
  bceWithLogits,
  hinge,
  leastSquares,
  minimax,
  nonSaturating,
  relativisticAverage,
  wasserstein,
} from './adversarial.js';
export type { InfoGanTerms } from './conditional.js';
export {
  auxiliaryClassifierLoss,
  cycleConsistency,
  featureMatching,
  infoGanLoss,
  l1,
  l2,
  softmaxCrossEntropy,
} from './conditional.js';
export { requireGradients } from './gradients.js';
export { flipLabels, instanceNoise, instanceNoiseSigma, targets } from './labels.js';
export type { PathLength, PathLengthOptions, Synthesis } from './path-length.js';
export { pathLengthPenalty } from './path-length.js';
export type { Critic, GradientPenaltyOptions } from './penalties.js';
export { clipWeights, combine, draganPenalty, gradientPenalty, r1Penalty, r2Penalty } from './penalties.js';
