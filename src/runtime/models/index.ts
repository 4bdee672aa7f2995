// Public API of the models: the RecModel interface, SASRec and two-tower retrieval, their IR
// config types, and the building blocks they share.
export type { RecModel, LossContext } from "./rec-model.js";
export type {
  BlockRef,
  EncoderConfig,
  LossConfig,
  SoftmaxLossConfig,
  SampledSoftmaxLossConfig,
  SequentialConfig,
  ItemTowerConfig,
  SelfAttentionConfig,
  MultiInterestTowerConfig,
  SequenceEncoderTowerConfig,
  UserTowerSpec,
  ItemTowerSpec,
  WeightingConfig,
  TwoTowerConfig,
  ModelBlock,
} from "./config.js";
export { sequentialModel, SequentialModel, targetPositions, targetCount, type SequentialData } from "./sequential.js";
export { twoTowerModel, TwoTowerModel, type TowerSpecs, type TwoTowerData } from "./two-tower.js";
export { itemTower, userTower, selfAttentionLayer, interestDisagreement, multiInterestStepBytes, type ItemTower, type UserTower } from "./towers.js";
export { maxInterestTrainingScores } from "./max-interest-scores.js";
export { ItemDistribution, sampledSoftmaxLoss, sampledSoftmaxLogits, type CandidateScorer, type SampledSoftmaxArgs } from "./sampled-softmax.js";
export { encodeSequence, transformerConfig, transformerStepBytes, itemTable, type EncodedSequence } from "./sequence-encoder.js";
export { trimHistories, usedLength } from "./sequence-input.js";
export {
  semanticIdLayout,
  semanticIdsFor,
  sourceTokens,
  teacherForcing,
  decoderPositions,
  generativeStepBytes,
  PAD_TOKEN,
  START_TOKEN,
  SPECIAL_TOKENS,
  type SemanticIdLayout,
  type SourceTokens,
} from "./generative.js";
