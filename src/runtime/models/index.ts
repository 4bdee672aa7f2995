// Public API of the models: the RecModel interface and the building blocks generated models
// compose (target positions, sampled softmax, towers, semantic-ID layouts). The models themselves
// are classes in each program's model.ts.
export type { RecModel, LossContext } from "./rec-model.js";
export { targetPositions, targetCount } from "./target-positions.js";
export { selfAttentionLayer, interestDisagreement, multiInterestStepBytes } from "./towers.js";
export { maxInterestTrainingScores } from "./max-interest-scores.js";
export { ItemDistribution, sampledSoftmaxLoss, sampledSoftmaxLogits, type CandidateScorer, type SampledSoftmaxArgs } from "./sampled-softmax.js";
export { transformerStepBytes, type EncodedSequence } from "./sequence-encoder.js";
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
export { UserRows, userItemPairs, uniformNegatives } from "./user-ids.js";
