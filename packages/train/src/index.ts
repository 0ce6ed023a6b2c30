export { keyFor } from '@gankit/layers';
export type { AugmentPolicy } from './augment.js';
export { AUGMENT_POLICIES, diffAugment } from './augment.js';
export type { Checkpointable } from './checkpoint.js';
export { CHECKPOINT_FORMAT, configDifferences, restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
export type { PartialTrainConfig, TrainConfig } from './config.js';
export { DEFAULT_CONFIG, lossOf, resolveConfig, validateConfig } from './config.js';
export { configFields } from './config-fields.js';
export type { ConfigProblem } from './config-problems.js';
export {
  ConfigError,
  describeConfigIssues,
  parsePartialTrainConfig,
  parseTrainConfig,
  parseWithSchema,
  schemaProblems,
  trainConfigProblems,
} from './config-problems.js';
export { optimizerSchema, partialTrainConfigSchema, trainConfigSchema } from './config-schema.js';
export type { CycleTrainer, Direction } from './cycle.js';
export { CYCLE_NETWORKS, createCycleTrainer, cycleProblem } from './cycle.js';
export type { CycleConfig } from './cycle-config.js';
export { CYCLE_DEFAULTS, cycleConfigSchema, resolveCycleConfig } from './cycle-config.js';
export { Ema } from './ema.js';
export type { GrowthConfig, GrowthPhase } from './growth.js';
export { atDataSize, growReals, growthPlan, validateGrowth, withGrowth } from './growth.js';
export type { CheckpointStorage, LoopOptions, LoopResult } from './loop.js';
export { checkpointName, MemoryStorage, totalSteps, trainLoop, yieldToEventLoop } from './loop.js';
export type { LrSchedule, Optimizer, OptimizerConfig } from './optim.js';
export { clipByGlobalNorm, createOptimizer, learningRateAt } from './optim.js';
export type {
  Batch,
  DrawnCodes,
  Forward,
  GanProblem,
  GroupDef,
  LatentCodes,
  LossTerm,
  NetworkSlot,
  PhaseDef,
  ScheduleEntry,
  Stream,
  TermState,
  ValueDef,
} from './problem.js';
export { validateProblem } from './problem-check.js';
export { ReplayPool } from './replay.js';
export { imageSource, pairedSource, toySource, unpairedSource } from './sources.js';
export { ganProblem } from './standard.js';
export type { TrainState } from './state.js';
export { alphaAt, phaseAtStep, phaseStart, problemAt } from './state.js';
export type { DataSource, StepLogs } from './step.js';
export { trainStep } from './step.js';
export type { PathLengthConfig } from './terms.js';
export {
  adversarialD,
  adversarialG,
  auxiliaryClass,
  driftTerm,
  featureMatchingTerm,
  gradientPenaltyTerm,
  mutualInformation,
  pathLengthTerm,
  perceptual,
  r1Term,
  reconstruction,
} from './terms.js';
export type { ProblemTrainer, SampleOptions, Trainer, UpdateLogs } from './trainer.js';
export { createTrainer, trainProblem, updateD, updateG } from './trainer.js';
export type { TranslationExtras, TranslationTrainer } from './translation.js';
export { createTranslationTrainer, translationProblem } from './translation.js';
export type { TranslationConfig } from './translation-config.js';
export {
  resolveTranslationConfig,
  TRANSLATION_DEFAULTS,
  translationConfigSchema,
} from './translation-config.js';
export type { UpdateOptions } from './update.js';
