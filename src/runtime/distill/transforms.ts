// Teacher transforms of knowledge distillation (Tang et al. 2020, "Understanding and Improving
// Knowledge Distillation"; PAPERS.md §4), one function each. Takes a block of P rows over C classes
// (each row's true class y, which columns are valid, and on demand the teacher's probabilities at
// the distillation temperature τ or its output-layer weights); gives the distribution [P, C] the
// student is distilled towards, each transform keeping one effect of the teacher's and removing the
// others:
//   fullTarget            p                                     (everything)
//   labelSmoothingTarget  (1−ε)·onehot(y) + ε/C                 (no teacher at all: the "universe" effect)
//   ptTarget              p_y at y, (1−p_y)/(C−1) elsewhere      (instance re-weighting only)
//   simTarget             p_k ∝ exp(cos(w_y, w_k)/ρ)             (class geometry only, no instance)
//   topkTarget            the k largest p kept, the remaining mass spread uniformly over the other C−k
// The compiler picks the function and its parameters (a TeacherTarget literal in the generated
// program); nothing here dispatches on a transform's name. A target reads the teacher only through
// the row block's `probabilities` / `weights` callbacks, so label smoothing never runs the teacher.
//
// C counts the *valid* classes only: for item softmaxes column 0 is the padding item, which is never
// a target, so a `valid` mask (0 at padding) keeps it at probability 0 in every transform. The mask
// may also be per row ([P, C]): an in-batch softmax has a different set of candidates per row (a
// duplicate of the row's own target is masked out), and C then counts each row's valid ones.
// Ties in topk are broken towards the lower column (what tf.topk does on cpu and wasm), so exactly
// k entries are kept.
//
// Candidate set: the columns of the student's own softmax. For a sequential student that is the
// whole item catalogue, never a sampled subset: a [P, C] float32 block costs P·C·4 bytes, the same as
// the student's own logits, and the caller bounds P (the distill model through its micro-batch memory
// estimate, the analysis through explicit row chunks). For a two-tower student it is the batch's
// in-batch candidates (C = B; two-tower-distill.ts). Nothing here is differentiated: teacher outputs
// are constants.
import * as tf from "@tensorflow/tfjs-core";

/** A block of P rows over C classes, and what of the teacher a transform may read for it. */
export interface TargetRows {
  /** True class (column) of each row [P]. */
  readonly targets: tf.Tensor1D;
  /** Number of columns C. */
  readonly columns: number;
  /** [C] (or per row [P, C]) 1 for valid classes, 0 for excluded columns (padding); default all valid. */
  readonly valid?: tf.Tensor1D | tf.Tensor2D;
  /** The teacher's probabilities at τ [P, C], zero at invalid columns (read by full, pt and topk). */
  readonly probabilities?: () => tf.Tensor2D;
  /** The teacher's output-layer weights, one row per column [C, D] (read by sim). */
  readonly weights?: () => tf.Tensor2D;
}

/** A teacher transform as the compiler chose it: the target function with its parameters bound. */
export interface TeacherTarget {
  /** How logs and analysis files name it: `full`, `topk(k=10)`. */
  readonly label: string;
  /** Whether it reads the teacher's probabilities (full, pt, topk), so a step runs the teacher. */
  readonly readsProbabilities: boolean;
  /** The target distribution [P, C] of a row block; every row sums to one. */
  readonly of: (rows: TargetRows) => tf.Tensor2D;
}

/** full: the teacher's probabilities as they are (zero at invalid columns by contract). */
export function fullTarget(rows: TargetRows): tf.Tensor2D {
  const p = rows.targets.shape[0];
  // A reshape is a view of the same buffer, so nothing is copied.
  return tf.tidy(() => tf.reshape(requireProbs(rows), [p, rows.columns]) as tf.Tensor2D);
}

/** label_smoothing(ε): (1−ε) on the true class and ε spread uniformly over the valid classes. */
export function labelSmoothingTarget(rows: TargetRows, epsilon: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { p, valid, count, at } = rowBlock(rows);
    // A fresh [P, C] buffer for the scatter: tensorScatterUpdate may write into its input on cpu.
    const base = tf.mul(tf.ones([p, 1]), tf.div(tf.mul(valid, epsilon), count)) as tf.Tensor2D;
    const onTarget = tf.add(tf.gatherND(base, at), 1 - epsilon) as tf.Tensor1D;
    return tf.tensorScatterUpdate(base, at, onTarget);
  });
}

/** pt: the teacher's probability of the true class kept, the rest spread uniformly over the others. */
export function ptTarget(rows: TargetRows): tf.Tensor2D {
  return tf.tidy(() => {
    const { p, valid, count, at } = rowBlock(rows);
    const probs = requireProbs(rows);
    const py = tf.gatherND(probs, at) as tf.Tensor1D;
    const rest = tf.div(tf.sub(1, tf.reshape(py, [p, 1])), tf.maximum(tf.sub(count, 1), 1));
    const base = tf.mul(rest, valid) as tf.Tensor2D;
    return tf.tensorScatterUpdate(base, at, py);
  });
}

/** sim(ρ): softmax over the valid classes of cos(w_y, w_k)/ρ, from the teacher's output-layer weights. */
export function simTarget(rows: TargetRows, rho: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { c, targets, valid } = rowBlock(rows);
    if (rows.weights === undefined) throw new Error("teacher transform sim needs the teacher's output-layer weights");
    const w = rows.weights();
    if (w.shape[0] !== c) throw new Error(`teacher transform sim: ${w.shape[0]} weight rows for ${c} columns`);
    const unit = tf.div(w, tf.maximum(tf.norm(w, 2, 1, true), 1e-12)) as tf.Tensor2D;
    const cos = tf.matMul(tf.gather(unit, targets) as tf.Tensor2D, unit, false, true);
    return maskedSoftmax(tf.div(cos, rho) as tf.Tensor2D, valid);
  });
}

/** topk(k): the teacher's k largest probabilities kept, the remaining mass spread uniformly over the other valid classes. */
export function topkTarget(rows: TargetRows, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { p, c, valid, count } = rowBlock(rows);
    const probs = requireProbs(rows);
    // k covering every column: nothing to cut. Decided from the shape alone: counting a mask's valid
    // columns would need a read back inside the step, which a GPU backend cannot do synchronously.
    if (k >= c) return tf.mul(probs, valid) as tf.Tensor2D;
    // Invalid columns below any probability, so they are never among the top k while a row has k
    // valid ones; a row with fewer keeps all of them, its invalid picks get 0 (relu leaves the valid
    // probabilities as they are), and the remaining mass then goes nowhere: the same target as the
    // shortcut above.
    const ranked = tf.sub(tf.mul(probs, valid), tf.sub(1, valid));
    const { values: ranks, indices } = tf.topk(ranked, k);
    const values = tf.relu(ranks);
    const kept = tf.reshape(tf.sum(values, 1), [p, 1]);
    const rest = tf.div(tf.sub(1, kept), tf.maximum(tf.sub(count, k), 1));
    const base = tf.mul(rest, valid) as tf.Tensor2D;
    const rowIds = tf.reshape(tf.tile(tf.reshape(tf.range(0, p, 1, "int32"), [p, 1]), [1, k]), [p * k]);
    const topAt = tf.stack([rowIds, tf.reshape(indices, [p * k])], 1) as tf.Tensor2D;
    return tf.tensorScatterUpdate(base, topAt, tf.reshape(values, [p * k]));
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

/** What every transform reads of a row block: sizes, int32 targets, the float mask as rows, valid classes per row, (row, target) coordinates. Call inside a tidy. */
function rowBlock(rows: TargetRows) {
  const c = rows.columns;
  const p = rows.targets.shape[0];
  const targets = rows.targets.dtype === "int32" ? rows.targets : (tf.cast(rows.targets, "int32") as tf.Tensor1D);
  const valid = validRows(rows.valid ?? tf.ones([c]), c);
  // Valid classes per row: [1, 1] for a shared mask, [P, 1] for a per-row one.
  const count = tf.sum(valid, 1, true);
  // (row, target) coordinates of the P true-class entries.
  const at = tf.stack([tf.range(0, p, 1, "int32"), targets], 1) as tf.Tensor2D;
  return { p, c, targets, valid, count, at };
}

function requireProbs(rows: TargetRows): tf.Tensor2D {
  if (rows.probabilities === undefined) throw new Error("teacher transform needs the teacher's probabilities");
  const probs = rows.probabilities();
  if (probs.shape[1] !== rows.columns) throw new Error(`teacher probabilities have ${probs.shape[1]} columns, expected ${rows.columns}`);
  return probs;
}
