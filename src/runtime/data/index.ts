// Public API of the data module: readers, the interaction store, splits, batching, content
// vectors and the synthetic generator. Generated code and library users import from here.

export { DataError, DataFileError } from "./data-error.js";
export {
  PAD_ITEM,
  buildInteractions,
  userItems,
  itemAttributeList,
  type InteractionStore,
  type ItemAttributes,
  type InteractionColumns,
  type BuildOptions,
} from "./interactions.js";
export { readAmazon } from "./read-amazon.js";
export { readMovieLens, MOVIELENS_GENRES } from "./read-movielens.js";
export { readInteractionsCsv, type CsvOptions } from "./read-csv.js";
export { readInteractionsJsonl, type JsonlOptions } from "./read-jsonl.js";
export type { ColumnNames } from "./named-columns.js";
export { leaveLastOut, temporalWindows, type Example, type Split, type WindowOptions } from "./split.js";
export { padHistory, makeBatch, batches, epochs, epochOrder, batchCount, slidingTargets, type Batch, type BatchOptions, type Epoch } from "./batching.js";
export { tfidf, type Tfidf, type TfidfOptions } from "./tfidf.js";
export { truncatedSvd, type TruncatedSvd, type SvdOptions } from "./truncated-svd.js";
export { csrFromDense, type CsrMatrix } from "./csr-matrix.js";
export {
  contentVectors,
  contentVectorsFromTokens,
  computeContentVectors,
  itemTokens,
  type ContentVectors,
  type ContentVectorOptions,
  type TokenSource,
} from "./content-vectors.js";
export { generateSynthetic, type SyntheticData, type SyntheticOptions } from "./synthetic.js";
export { printable, quoted, excerpt, type Excerpt } from "./printable.js";
export { MAX_TIMESTAMP, timestampProblem } from "./timestamp.js";
export { checkDataFits, dataMemoryBound } from "./memory-bound.js";
export { userCoverage, type UserCoverage } from "./split-coverage.js";
export { filterInteractions, describeFilter, type FilterOptions, type FilterSummary } from "./filter-interactions.js";
export { makeSplit, type SplitChoice, type SplitType } from "./make-split.js";
export { ratioSplit, randomSplit, heldOutCounts, type ShareOptions } from "./split-shares.js";
export { readMovieLensUsers, type UserFeatureRow, type UserFeatureTable } from "./movielens-users.js";
