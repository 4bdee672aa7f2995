// What a model must offer to be exported for a browser: its scores split into a query side and an
// item side, score(u, i) = max over the query's heads h of <q_h(u), v_i> (one head: a plain dot
// product). The generated classes of the two-tower, matrix factorisation and sequential families
// write these two methods beside `scoreItems`; models scored otherwise (beam search, a ranking
// network) do not, and cannot be exported. A distilled student scores through its student network,
// so its vectors are the student's. Takes a model; gives its vector scoring, or null.
import type * as tf from "@tensorflow/tfjs-core";
import { DistilledStudent } from "../distill/distilled-student.js";
import type { RecModel } from "../models/rec-model.js";

export interface VectorScoring {
  /** Query vectors [count, H, D] of `count` histories ([count, T] left-padded) or user indices, at inference. */
  queryVectors(histories: Int32Array, count: number, users?: Int32Array): tf.Tensor3D;
  /** Every item's vector [N + 1, D] (row 0 the padding item); the caller frees it. */
  catalogueVectors(): tf.Tensor2D;
}

function hasVectors(model: RecModel): model is RecModel & VectorScoring {
  const m = model as Partial<VectorScoring>;
  return typeof m.queryVectors === "function" && typeof m.catalogueVectors === "function";
}

export function vectorScoring(model: RecModel): VectorScoring | null {
  if (hasVectors(model)) return model;
  if (model instanceof DistilledStudent && hasVectors(model.student)) {
    const student = model.student;
    // As DistilledStudent.scoreItems: the student reads the histories only.
    return { queryVectors: (histories, count) => student.queryVectors(histories, count), catalogueVectors: () => student.catalogueVectors() };
  }
  return null;
}
