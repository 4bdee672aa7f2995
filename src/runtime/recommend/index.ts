// Recommending with a trained model: top-K items per user by raw id, seen items left out, streamed
// batch by batch; generative models add each item's Semantic ID.
export { scoredTopK, type ScoredList } from "./scored-top-k.js";
export { resolveUsers, paddedHistories, type KnownUser, type ResolvedUsers } from "./user-histories.js";
export { catalogueRecommender, generativeRecommender, type Recommender, type RecommendedList, type GenerativeRecModel } from "./recommender.js";
export {
  recommendItems,
  pickRecommender,
  isUnknownUser,
  type UserIds,
  type RecommendOptions,
  type RecommendedItem,
  type Recommendation,
  type UnknownUser,
  type UserRecommendation,
} from "./recommend-items.js";
export { jsonLine, csvHeader, csvRows, type RecommendationFormat } from "./format-recommendations.js";
export { trainedRun, type TrainedRunOptions } from "./trained-run.js";
