// What the generated history encoders (SASRec, sequence_encoder towers, distilled students) share
// from the library: the shape of their output, and the memory estimate of a transformer step the
// micro-batch planner reads. Takes a layers-library TransformerConfig; gives the estimate in bytes.
import type * as tf from "@tensorflow/tfjs-core";
import type { TransformerConfig } from "../layers/transformer.js";

export interface EncodedSequence {
  /** [B, L, E]. */
  hidden: tf.Tensor3D;
  /** Host copy of the trimmed ids [B, L]. */
  ids: Int32Array;
  length: number;
}

/** Rough bytes of activations a transformer step keeps for backprop, for B rows of L positions over embeddings of width `embedding`. */
export function transformerStepBytes(b: number, l: number, cfg: TransformerConfig, embedding: number): number {
  const d = cfg.dModel;
  const inner = cfg.heads * (cfg.headDim ?? d / cfg.heads);
  // Per layer: q, k, v, merged, output, residuals, norms (~12·d) plus the feed-forward (3·dFF)
  // per position; attention scores, softmax, dropout mask and its gradient (4 × H·L²) per row.
  const perLayer = b * l * (12 * Math.max(d, inner) + 3 * cfg.dFF) * 4 + b * cfg.heads * l * l * 4 * 4;
  // Autodiff keeps inputs and outputs of most kernels: count everything twice.
  return 2 * (cfg.layers * perLayer + b * l * (d + embedding) * 4 * 4);
}
