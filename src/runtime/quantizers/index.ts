// What generated programs call to make Semantic IDs: the RQ-VAE's quantization and training, the
// other quantizers' codes, the table with its collision suffix, and the run step that saves it.
export { residualQuantize, residualQuantizeHost, nearestCodes, type TensorQuantization, type HostQuantization } from "./residual-quantize.js";
export { kMeans, nearestCode, squaredDistance, type KMeansOptions } from "./kmeans.js";
export {
  trainRqVae,
  rqVaeCodes,
  standardization,
  standardizedRows,
  type RqVaeNetwork,
  type RqVaeLoss,
  type RqVaeTraining,
  type RqVaeEpoch,
  type RqVaeTrainOptions,
  type Standardization,
} from "./rqvae.js";
export { lshCodes } from "./lsh.js";
export { randomIdCodes } from "./random-ids.js";
export {
  buildSemanticIdTable,
  codebookUsage,
  describeTable,
  saveSemanticIdTable,
  loadSemanticIdTable,
  tableItems,
  type SemanticIdTable,
  type CollisionMode,
  type CodebookUsage,
} from "./semantic-id-table.js";
export type { Quantizer } from "./quantizer.js";
export { fitSemanticIds, restoreSemanticIds, semanticIdFile } from "./semantic-id-stage.js";
