// Public API of the layers library: functional layers over tfjs-core with parameters held by name
// in a ParamStore.
export { ParamStore, type ParamStoreOptions } from "./params.js";
export { fans, glorotUniform, normal, ones, truncatedNormal, uniform, zeros, type Init } from "./initializers.js";
export { ACTIVATION_NAMES, activation, elu, gelu, geluTanh, relu, silu, type Activation, type ActivationName } from "./activations.js";
export { dropout, dropoutMask, INFERENCE, type ForwardContext } from "./dropout.js";
export { dense, type DenseOptions } from "./dense.js";
export { mlp, type MlpOptions } from "./mlp.js";
export { layerNorm, type LayerNormOptions } from "./layer-norm.js";
export {
  embedding,
  hashBucket,
  hashedEmbedding,
  hashIds,
  HASH_A,
  HASH_B,
  positionalEmbedding,
  type EmbeddingOptions,
  type HashedEmbeddingOptions,
} from "./embedding.js";
export { IncrementalDecoder } from "./incremental-decoder.js";
export { causalBias, combineBiases, maskFromIds, MASKED, paddingBias } from "./masks.js";
export { multiHeadAttention, scaledDotProductAttention, type AttentionConfig, type AttentionMasks } from "./attention.js";
export {
  feedForward,
  headDimOf,
  transformerDecoder,
  transformerEncoder,
  encoderLayer,
  encoderBias,
  decoderLayer,
  decoderBiases,
  type DecoderMasks,
  type EncoderMasks,
  type TransformerConfig,
} from "./transformer.js";
export { maxInterestScores, multiInterest, routeToTarget, targetInterestScores, type MultiInterestOptions } from "./multi-interest.js";
