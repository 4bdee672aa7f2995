// Public API of the ranking library that generated ranking models compose: item representations
// (hashed ids, Semantic-ID n-gram and SentencePiece-style tables, projected content vectors),
// history pooling, sampled negatives, pair scoring, and the evaluation by candidate rank and AUC.
export {
  randomIdRepresentation,
  ngramRepresentation,
  spmRepresentation,
  DenseRepresentation,
  SlotTableRepresentation,
  SpmRepresentation,
  ngramBucket,
  ngramItemRows,
  ngramRowsPerTable,
  type ItemRepresentation,
  type ItemRepresentationInputs,
  type RowBudget,
} from "./item-representations.js";
export { learnSpm, SpmVocabulary, type SpmPiece, type SpmOptions } from "./spm.js";
export { meanPool, attentionPool } from "./history-pool.js";
export { embedParts } from "./embed-parts.js";
export { pairFeatures } from "./pair-features.js";
export { NegativeSampler, trainingPairs, type TrainingPairs } from "./negative-sampler.js";
export { catalogueScores, repeatRows, PAIRS_PER_CALL } from "./pair-scores.js";
export { noSemanticIds } from "./no-semantic-ids.js";
export type { PairwiseRanker } from "./ranker.js";
export {
  evaluateRanking,
  standing,
  metricValue,
  parseRankingMetric,
  type CandidateScoringModel,
  type TargetStanding,
  type PerUserMetric,
} from "./evaluate-ranking.js";
