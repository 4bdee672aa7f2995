// Test helpers for the teacher transforms: a transform as the spec writes it (`{ type: "topk", k: 10 }`)
// turned into the TeacherTarget / BinaryTeacherTarget a generated program passes (the same choice
// codegen/blocks/distill.ts makes), the tensor form on eager inputs, and `transformRow`, the
// float64 host reference of one row the tensor forms are checked against.
import type * as tf from "@tensorflow/tfjs-core";
import { fullBinaryTarget, labelSmoothingBinaryTarget, type BinaryTeacherTarget } from "../../../src/runtime/distill/binary-targets.js";
import { fullTarget, labelSmoothingTarget, ptTarget, simTarget, topkTarget, type TeacherTarget } from "../../../src/runtime/distill/transforms.js";

export type TeacherTransform =
  { type: "full" } | { type: "label_smoothing"; epsilon: number } | { type: "pt" } | { type: "sim"; rho: number } | { type: "topk"; k: number };

/** The target a generated program passes for `t`. */
export function teacherTarget(t: TeacherTransform): TeacherTarget {
  switch (t.type) {
    case "full":
      return { label: "full", readsProbabilities: true, of: fullTarget };
    case "label_smoothing":
      return { label: `label_smoothing(epsilon=${t.epsilon})`, readsProbabilities: false, of: (rows) => labelSmoothingTarget(rows, t.epsilon) };
    case "pt":
      return { label: "pt", readsProbabilities: true, of: ptTarget };
    case "sim":
      return { label: `sim(rho=${t.rho})`, readsProbabilities: false, of: (rows) => simTarget(rows, t.rho) };
    case "topk":
      return { label: `topk(k=${t.k})`, readsProbabilities: true, of: (rows) => topkTarget(rows, t.k) };
  }
}

/** The binary target a generated ranking student passes for `t` (full or label_smoothing). */
export function binaryTarget(t: TeacherTransform, temperature: number): BinaryTeacherTarget {
  if (t.type === "full") return { label: "full", of: (pairs) => fullBinaryTarget(pairs, temperature) };
  if (t.type === "label_smoothing") return { label: `label_smoothing(epsilon=${t.epsilon})`, of: (pairs) => labelSmoothingBinaryTarget(pairs, t.epsilon) };
  throw new Error(`no binary form of ${t.type}`);
}

/** The tensor form of `t` on a row block whose teacher outputs are given up front. */
export function transformTeacher(
  t: TeacherTransform,
  inputs: { probs?: tf.Tensor2D; targets: tf.Tensor1D; columns: number; valid?: tf.Tensor1D | tf.Tensor2D; weights?: tf.Tensor2D },
): tf.Tensor2D {
  const { probs, weights } = inputs;
  return teacherTarget(t).of({
    targets: inputs.targets,
    columns: inputs.columns,
    ...(inputs.valid !== undefined ? { valid: inputs.valid } : {}),
    ...(probs !== undefined ? { probabilities: () => probs } : {}),
    ...(weights !== undefined ? { weights: () => weights } : {}),
  });
}

export interface RowOptions {
  /** Valid classes (1) and excluded columns such as padding (0); default all valid. */
  valid?: ArrayLike<number>;
  /** For sim: the output-layer weight vector of every column, weights[k] of length D. */
  weights?: ArrayLike<ArrayLike<number>>;
}

/**
 * The transformed distribution of one row (float64 on the host). `probs` must sum to one over the
 * valid columns (ignored by label_smoothing and sim, which may pass an empty array).
 */
export function transformRow(t: TeacherTransform, probs: ArrayLike<number>, target: number, options: RowOptions = {}): Float64Array {
  const c = t.type === "sim" ? requireWeights(options.weights).length : probs.length > 0 ? probs.length : (options.valid?.length ?? 0);
  const valid = options.valid ?? new Array<number>(c).fill(1);
  if (valid.length !== c) throw new Error(`transformRow: ${valid.length} valid flags for ${c} columns`);
  if (!(target >= 0 && target < c && valid[target] === 1)) throw new Error(`transformRow: target ${target} is not a valid column`);
  let count = 0;
  for (let k = 0; k < c; k++) count += valid[k] === 1 ? 1 : 0;
  const out = new Float64Array(c);
  switch (t.type) {
    case "full":
      for (let k = 0; k < c; k++) out[k] = valid[k] === 1 ? probs[k] : 0;
      return out;
    case "label_smoothing":
      for (let k = 0; k < c; k++) out[k] = valid[k] === 1 ? t.epsilon / count : 0;
      out[target] += 1 - t.epsilon;
      return out;
    case "pt": {
      const py = probs[target];
      const rest = count > 1 ? (1 - py) / (count - 1) : 0;
      for (let k = 0; k < c; k++) out[k] = valid[k] === 1 ? rest : 0;
      out[target] = count > 1 ? py : 1;
      return out;
    }
    case "sim": {
      const w = requireWeights(options.weights);
      const logits = new Float64Array(c);
      let max = -Infinity;
      for (let k = 0; k < c; k++) {
        if (valid[k] !== 1) continue;
        logits[k] = cosine(w[target], w[k]) / t.rho;
        max = Math.max(max, logits[k]);
      }
      let sum = 0;
      for (let k = 0; k < c; k++) {
        out[k] = valid[k] === 1 ? Math.exp(logits[k] - max) : 0;
        sum += out[k];
      }
      for (let k = 0; k < c; k++) out[k] /= sum;
      return out;
    }
    case "topk": {
      if (t.k >= count) return transformRow({ type: "full" }, probs, target, options);
      // Valid columns by probability, largest first; equal values keep column order.
      const order = Array.from({ length: c }, (_, k) => k).filter((k) => valid[k] === 1);
      order.sort((a, b) => probs[b] - probs[a] || a - b);
      let kept = 0;
      for (let i = 0; i < t.k; i++) kept += probs[order[i]];
      const rest = (1 - kept) / (count - t.k);
      for (let i = 0; i < order.length; i++) out[order[i]] = i < t.k ? probs[order[i]] : rest;
      return out;
    }
  }
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-12);
}

function requireWeights(w: ArrayLike<ArrayLike<number>> | undefined): ArrayLike<ArrayLike<number>> {
  if (w === undefined) throw new Error("transformRow: sim needs the output-layer weights");
  return w;
}
