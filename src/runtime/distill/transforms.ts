// Teacher transforms of knowledge distillation (Tang et al. 2020, "Understanding and Improving
// Knowledge Distillation"; PAPERS.md §4). Takes the teacher's class probabilities (already at the
// distillation temperature τ) with each row's true class y, or for `sim` the teacher's output-layer
// weights; gives the distribution the student is distilled towards, each transform keeping one
// effect of the teacher's distribution and removing the others:
//   full             p                                     (everything)
//   label_smoothing  (1−ε)·onehot(y) + ε/C                 (no teacher at all: the "universe" effect)
//   pt               p_y at y, (1−p_y)/(C−1) elsewhere      (instance re-weighting only)
//   sim              p_k ∝ exp(cos(w_y, w_k)/ρ)             (class geometry only, no instance)
//   topk(k)          the k largest p kept, the remaining mass spread uniformly over the other C−k
// C counts the *valid* classes only: for item softmaxes column 0 is the padding item, which is never
// a target, so a `valid` mask (0 at padding) keeps it at probability 0 in every transform.
// Ties in topk are broken towards the lower column (what tf.topk does on cpu and wasm), so exactly
// k entries are kept.
//
// Candidate set: the columns of the student's own softmax. For a sequential student that is the
// whole item catalogue (12k columns on Beauty), never a sampled subset: a [P, C] float32 row block
// costs P·C·4 bytes, the same as the student's own logits, and the caller bounds P (the distill
// model through its micro-batch memory estimate, the analysis through explicit row chunks). For a
// two-tower student it is the batch's in-batch candidates (C = B, the teacher's softmax over them
// and its item vectors of them as the sim weights; two-tower-distill.ts).
//
// The mask may also be per row ([P, C]): an in-batch softmax has a different set of candidates per
// row (a duplicate of the row's own target is masked out), and C then counts each row's valid ones.
//
// Two forms: `transformRow` on one host row (the reference, used by tests and small analyses) and
// `transformTeacher` on a [P, C] tensor. Neither is differentiated: teacher outputs are constants.
import * as tf from "@tensorflow/tfjs-core";

export type TeacherTransform =
  | { type: "full" }
  | { type: "label_smoothing"; epsilon: number }
  | { type: "pt" }
  | { type: "sim"; rho: number }
  | { type: "topk"; k: number };

/** Checks a transform's parameters; throws with the offending value. */
export function checkTransform(t: TeacherTransform): void {
  switch (t.type) {
    case "full":
    case "pt":
      return;
    case "label_smoothing":
      if (!(t.epsilon >= 0 && t.epsilon <= 1)) throw new Error(`teacher_transform label_smoothing: epsilon must be in [0, 1], got ${t.epsilon}`);
      return;
    case "sim":
      if (!(t.rho > 0)) throw new Error(`teacher_transform sim: rho must be positive, got ${t.rho}`);
      return;
    case "topk":
      if (!(Number.isInteger(t.k) && t.k >= 1)) throw new Error(`teacher_transform topk: k must be a positive integer, got ${t.k}`);
      return;
    default:
      throw new Error(`unknown teacher_transform "${(t as { type: string }).type}"`);
  }
}

/** A short label such as `topk(k=10)`, for logs and analysis files. */
export function transformLabel(t: TeacherTransform): string {
  switch (t.type) {
    case "label_smoothing":
      return `label_smoothing(epsilon=${t.epsilon})`;
    case "sim":
      return `sim(rho=${t.rho})`;
    case "topk":
      return `topk(k=${t.k})`;
    default:
      return t.type;
  }
}

/** Whether the transform reads the teacher's probabilities (label_smoothing and sim do not). */
export function needsTeacherProbabilities(t: TeacherTransform): boolean {
  return t.type === "full" || t.type === "pt" || t.type === "topk";
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
  checkTransform(t);
  // Columns: the weight rows for sim, else the probabilities (or the mask, for label smoothing
  // called without probabilities).
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
      const wy = w[target];
      const logits = new Float64Array(c);
      let max = -Infinity;
      for (let k = 0; k < c; k++) {
        if (valid[k] !== 1) continue;
        logits[k] = cosine(wy, w[k]) / t.rho;
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

export interface TensorInputs {
  /** Teacher probabilities at τ [P, C], zero at invalid columns (needed by full, pt and topk);
   * `full` gives them back unchanged. */
  probs?: tf.Tensor2D;
  /** True class (column) of each row [P]. */
  targets: tf.Tensor1D;
  /** Number of columns C. */
  columns: number;
  /** [C] (or per row [P, C]) 1 for valid classes, 0 for excluded columns (padding); default all valid. */
  valid?: tf.Tensor1D | tf.Tensor2D;
  /** For sim: output-layer weights, one row per column [C, D]. */
  weights?: tf.Tensor2D;
}

/** The transformed teacher distribution [P, C] of a row block; every row sums to one. */
export function transformTeacher(t: TeacherTransform, inputs: TensorInputs): tf.Tensor2D {
  checkTransform(t);
  const { columns: c } = inputs;
  const p = inputs.targets.shape[0];
  return tf.tidy(() => {
    const targets = inputs.targets.dtype === "int32" ? inputs.targets : tf.cast(inputs.targets, "int32");
    const valid = validRows(inputs.valid ?? tf.ones([c]), c);
    // Valid classes per row: [1, 1] for a shared mask, [P, 1] for a per-row one.
    const count = tf.sum(valid, 1, true);
    // (row, target) coordinates of the P true-class entries.
    const at = tf.stack([tf.range(0, p, 1, "int32"), targets], 1) as tf.Tensor2D;
    switch (t.type) {
      case "full":
        // The probabilities as they are (zero at invalid columns by contract); a reshape is a
        // view of the same buffer, so nothing is copied.
        return tf.reshape(requireProbs(inputs), [p, c]);
      case "label_smoothing": {
        // A fresh [P, C] buffer for the scatter: tensorScatterUpdate may write into its input on cpu.
        const base = tf.mul(tf.ones([p, 1]), tf.div(tf.mul(valid, t.epsilon), count)) as tf.Tensor2D;
        const onTarget = tf.add(tf.gatherND(base, at), 1 - t.epsilon) as tf.Tensor1D;
        return tf.tensorScatterUpdate(base, at, onTarget);
      }
      case "pt": {
        const probs = requireProbs(inputs);
        const py = tf.gatherND(probs, at) as tf.Tensor1D;
        const rest = tf.div(tf.sub(1, tf.reshape(py, [p, 1])), tf.maximum(tf.sub(count, 1), 1));
        const base = tf.mul(rest, valid) as tf.Tensor2D;
        return tf.tensorScatterUpdate(base, at, py);
      }
      case "sim": {
        const w = requireWeightsTensor(inputs);
        if (w.shape[0] !== c) throw new Error(`transformTeacher sim: ${w.shape[0]} weight rows for ${c} columns`);
        const unit = tf.div(w, tf.maximum(tf.norm(w, 2, 1, true), 1e-12)) as tf.Tensor2D;
        const cos = tf.matMul(tf.gather(unit, targets) as tf.Tensor2D, unit, false, true);
        return maskedSoftmax(tf.div(cos, t.rho) as tf.Tensor2D, valid);
      }
      case "topk": {
        const probs = requireProbs(inputs);
        // k at least the number of valid classes: nothing to cut. (One read of a [C] mask; a
        // per-row mask only skips when k covers every column.)
        const shared = inputs.valid === undefined || inputs.valid.rank === 1;
        const validCount = inputs.valid === undefined ? c : shared ? tf.sum(inputs.valid).dataSync()[0] : c;
        if (t.k >= validCount) return tf.mul(probs, valid) as tf.Tensor2D;
        // Invalid columns below any probability, so they are never among the top k while a row
        // has k valid ones; a row with fewer keeps all of them, and its invalid picks get 0.
        const ranked = tf.sub(tf.mul(probs, valid), tf.sub(1, valid));
        const { values: ranks, indices } = tf.topk(ranked, t.k);
        const values = shared ? ranks : tf.relu(ranks);
        const kept = tf.reshape(tf.sum(values, 1), [p, 1]);
        const rest = tf.div(tf.sub(1, kept), tf.maximum(tf.sub(count, t.k), 1));
        const base = tf.mul(rest, valid) as tf.Tensor2D;
        const rows = tf.reshape(tf.tile(tf.reshape(tf.range(0, p, 1, "int32"), [p, 1]), [1, t.k]), [p * t.k]);
        const topAt = tf.stack([rows, tf.reshape(indices, [p * t.k])], 1) as tf.Tensor2D;
        return tf.tensorScatterUpdate(base, topAt, tf.reshape(values, [p * t.k]));
      }
    }
  });
}

/** Whether a transform has a form for a logistic head: full and label_smoothing. With two classes
 * pt and topk are the full teacher again, and one logit has no class geometry for sim. */
export function hasBinaryForm(t: TeacherTransform): boolean {
  return t.type === "full" || t.type === "label_smoothing";
}

/**
 * The transformed teacher of a logistic head: the probability of label 1 [P] the student is
 * distilled towards — full: σ(z_t/τ) of the teacher's logits; label_smoothing: (1−ε)·y + ε/2 over
 * the two classes, from the labels alone.
 */
export function transformBinaryTeacher(t: TeacherTransform, inputs: { logits?: tf.Tensor1D; labels: tf.Tensor1D; temperature: number }): tf.Tensor1D {
  checkTransform(t);
  return tf.tidy(() => {
    switch (t.type) {
      case "full": {
        if (inputs.logits === undefined) throw new Error("teacher transform full needs the teacher's logits");
        const z = inputs.temperature === 1 ? inputs.logits : tf.mul(inputs.logits, 1 / inputs.temperature);
        return tf.sigmoid(z) as tf.Tensor1D;
      }
      case "label_smoothing":
        return tf.add(tf.mul(inputs.labels, 1 - t.epsilon), t.epsilon / 2) as tf.Tensor1D;
      default:
        throw new Error(`teacher_transform ${t.type} has no form for a logistic head (full and label_smoothing only)`);
    }
  });
}

/** softmax(z) over the valid columns ([C] or per row [P, C]), exactly 0 at the others. */
export function maskedSoftmax(logits: tf.Tensor2D, valid?: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    if (valid === undefined) return tf.softmax(logits) as tf.Tensor2D;
    // −1e9 on invalid columns: they cannot set the row max, and exp underflows to exactly 0 there.
    // One broadcast add of a [1, C] row (or the [P, C] mask), not a mask multiply afterwards.
    const bias = tf.mul(tf.sub(validRows(valid, logits.shape[1]), 1), 1e9);
    return tf.softmax(tf.add(logits, bias)) as tf.Tensor2D;
  });
}

/** The teacher's distribution at temperature τ: masked softmax of z/τ. */
export function teacherProbabilities(logits: tf.Tensor2D, temperature: number, valid?: tf.Tensor): tf.Tensor2D {
  if (!(temperature > 0)) throw new Error(`distill: temperature must be positive, got ${temperature}`);
  // Multiplying by 1/τ: a scalar multiply is much cheaper than a divide on the wasm backend.
  return tf.tidy(() => maskedSoftmax(temperature === 1 ? logits : (tf.mul(logits, 1 / temperature) as tf.Tensor2D), valid));
}

/** [C] mask with 0 at the padding column 0 and 1 at items 1..N. */
export function itemColumnsMask(numItems: number): tf.Tensor1D {
  const v = new Float32Array(numItems + 1).fill(1);
  v[0] = 0;
  return tf.tensor1d(v);
}

/** A [C] mask as a [1, C] row, a [P, C] mask as it is; float32 either way. */
function validRows(valid: tf.Tensor, columns: number): tf.Tensor2D {
  const rows = valid.rank === 1 ? tf.reshape(valid, [1, columns]) : valid;
  return tf.cast(rows, "float32") as tf.Tensor2D;
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
  if (w === undefined) throw new Error("teacher_transform sim needs the teacher's output-layer weights");
  return w;
}

function requireWeightsTensor(inputs: TensorInputs): tf.Tensor2D {
  if (inputs.weights === undefined) throw new Error("teacher_transform sim needs the teacher's output-layer weights");
  return inputs.weights;
}

function requireProbs(inputs: TensorInputs): tf.Tensor2D {
  if (inputs.probs === undefined) throw new Error("teacher transform needs the teacher's probabilities");
  if (inputs.probs.shape[1] !== inputs.columns) throw new Error(`teacher probabilities have ${inputs.probs.shape[1]} columns, expected ${inputs.columns}`);
  return inputs.probs;
}
