// Configuration types of the models, mirroring the compiler's IR attribute objects exactly
// (snake_case keys, every default filled), so generated code can pass IR data straight in.
// Takes nothing; gives types only. References to other blocks appear as {ref: name}.

/** A reference to another block, as the IR writes it. */
export interface BlockRef {
  ref: string;
}

/** `transformer(...)`: an encoder stack. head_dim, d_model and d_ff may be null (derived). */
export interface EncoderConfig {
  type: "transformer";
  layers: number;
  heads: number;
  head_dim: number | null;
  d_model: number | null;
  d_ff: number | null;
  dropout: number;
  causal: boolean;
  activation: "gelu" | "relu";
  norm: "pre" | "post";
  max_positions: number;
}

export interface SoftmaxLossConfig {
  type: "softmax";
  label_smoothing: number;
}

export interface SampledSoftmaxLossConfig {
  type: "sampled_softmax";
  negatives: "in_batch" | "uniform" | "popularity";
  /** Negatives per step when sampling (uniform, popularity); shared by every row of the batch. */
  count: number;
  logq: boolean;
  temperature: number;
}

export type LossConfig = SoftmaxLossConfig | SampledSoftmaxLossConfig;

/** `sequential(data) {...}`: SASRec. */
export interface SequentialConfig {
  data?: BlockRef;
  embedding: number;
  encoder: EncoderConfig;
  loss: LossConfig;
  positions: "all" | "last";
}

export interface ItemTowerConfig {
  data?: BlockRef;
  embedding: number;
  layers: number[];
  output: number | null;
}

export interface SelfAttentionConfig {
  type: "self_attention";
  layers: number;
  heads: number;
  dropout: number;
}

export interface MultiInterestTowerConfig {
  data?: BlockRef;
  embedding: number;
  attention: SelfAttentionConfig;
  interests: number;
  output: number | null;
  disagreement: number;
}

export interface SequenceEncoderTowerConfig {
  data?: BlockRef;
  embedding: number;
  encoder: EncoderConfig;
  output: number | null;
}

/** A tower block as the IR gives it: constructor name plus attributes. */
export type UserTowerSpec =
  | { type: "multi_interest"; attributes: MultiInterestTowerConfig }
  | { type: "sequence_encoder"; attributes: SequenceEncoderTowerConfig };

export interface ItemTowerSpec {
  type: "item_tower";
  attributes: ItemTowerConfig;
}

export type WeightingConfig =
  | { type: "none" }
  | { type: "inverse_frequency" }
  | {
      type: "idw";
      momentum: number;
      tolerance: number;
      iterations: number;
      epochs: number;
      sample: number;
      noise: number;
      calibrate: "none" | "user_tower";
    };

/** `two_tower(user, item) {...}`. */
export interface TwoTowerConfig {
  user?: BlockRef;
  item?: BlockRef;
  score: "dot" | "max_interest";
  loss: LossConfig;
  weighting: WeightingConfig;
}

/** A model block of the IR, as generated code may pass it whole. */
export interface ModelBlock<A> {
  name: string;
  attributes: A;
  train?: { seed?: number } | null;
  [key: string]: unknown;
}

/** Attributes, seed and name from either an attributes object or a whole block. */
export function unwrapBlock<A extends object>(
  config: A | ModelBlock<A>,
  seed: number | undefined,
  name: string | undefined,
  fallbackName: string,
): { attributes: A; seed: number; name: string } {
  if ("attributes" in config && typeof config.attributes === "object" && config.attributes !== null) {
    const block = config as ModelBlock<A>;
    return { attributes: block.attributes, seed: seed ?? block.train?.seed ?? 0, name: name ?? block.name };
  }
  return { attributes: config as A, seed: seed ?? 0, name: name ?? fallbackName };
}
