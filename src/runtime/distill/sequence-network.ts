// What distillation needs of a SASRec-style network, teacher or student (a generated sequential
// model or student network class): hidden states of histories, and the tied item table
// ("item_embedding/table" [N + 1, E]) they are scored against. Takes nothing; gives the interface
// and `outputTable`, which reads that table (and so E) from the network's parameters.
import type * as tf from "@tensorflow/tfjs-core";
import type { ForwardContext } from "../layers/dropout.js";
import type { RecModel } from "../models/rec-model.js";
import type { EncodedSequence } from "../models/sequence-encoder.js";

export interface SequenceNetwork extends RecModel {
  /** Hidden states [B, L, E] of the L used history columns. */
  encode(histories: Int32Array, count: number, ctx: ForwardContext): EncodedSequence;
  /** A sequence network scores in one forward pass, without reading back. */
  scoreItems(histories: Int32Array, count: number, users?: Int32Array): tf.Tensor2D;
}

/** The network's item table [N + 1, E] (its output layer). */
export function outputTable(network: SequenceNetwork): tf.Variable {
  const table = network.params.variables().get("item_embedding/table");
  if (table === undefined) throw new Error(`${network.name}: no item_embedding/table parameter`);
  return table;
}

/** E: the width of the network's item vectors. */
export function embeddingOf(network: SequenceNetwork): number {
  return outputTable(network).shape[1] as number;
}
