// Two measurements of what distillation passes to the student (Tang et al. 2020, PAPERS.md §4),
// written as plot-ready data. Takes a teacher, a student, examples and the teacher transform (a
// TeacherTarget).
//
// (a) Instance re-weighting. At τ = 1 the distillation term's gradient on the true-class logit is
//     q_y − p^t_y where cross-entropy's is q_y − 1: relative to CE each example is weighted by
//     |q_y − p^t_y| / |q_y − 1|, which grows with the teacher's confidence p^t_y. We measure both
//     gradients per example by autodiff of the real loss pieces (losses/kd.ts, softmax CE) at the
//     last position, and bin the ratio by p^t_y of the (transformed) teacher. With `pt` the curve
//     is the full teacher's; with `label_smoothing` p^t_y is one constant, so it collapses to a point.
// (b) Output-layer geometry. The cosine-similarity matrices of a seeded sample of items under the
//     teacher's and the student's output layers (for SASRec the tied item tables) and the Pearson
//     correlation of their upper triangles: how much of the teacher's class structure the student
//     took on. Items are sampled among those seen in training and listed by popularity.
import * as tf from "@tensorflow/tfjs-core";
import { ensureGradients } from "../backend/register-gradients.js";
import { makeBatch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { distillationKlPerExample } from "../losses/kd.js";
import { softmaxCrossEntropyPerExample } from "../losses/softmax-cross-entropy.js";
import type { RecModel } from "../models/rec-model.js";
import { Rng } from "../random.js";
import { embeddingOf, outputTable, type SequenceNetwork } from "./sequence-network.js";
import { itemColumnsMask, teacherProbabilities, type TeacherTarget } from "./transforms.js";

/** Per-example true-class quantities at τ = 1. */
export interface TrueClassGradients {
  /** p^t_y of the (transformed) teacher. */
  teacherProb: Float32Array;
  /** q_y of the student. */
  studentProb: Float32Array;
  /** ∂KL(p^t ‖ q)/∂z_y = q_y − p^t_y, measured. */
  kdGrad: Float32Array;
  /** ∂CE(y, q)/∂z_y = q_y − 1, measured. */
  ceGrad: Float32Array;
  /** |kdGrad| / |ceGrad|. */
  ratio: Float32Array;
}

/**
 * Measures the true-class gradients of the distillation term and of CE for student logits
 * [B, C], teacher probabilities [B, C] and targets [B] (autodiff; call ensureGradients first).
 * Async: the four [B] results are read back awaited (a GPU backend has no synchronous read).
 */
export async function trueClassGradients(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D, targets: Int32Array): Promise<TrueClassGradients> {
  const b = targets.length;
  const values = tf.tidy(() => {
    const t = tf.tensor1d(targets, "int32");
    const at = tf.stack([tf.range(0, b, 1, "int32"), t], 1) as tf.Tensor2D;
    // Gradients of the *sums* of per-example losses: row i of the result is example i's gradient.
    const gKd = tf.grad((z: tf.Tensor) => tf.sum(distillationKlPerExample(z as tf.Tensor2D, teacherProbs, 1)))(studentLogits);
    const gCe = tf.grad((z: tf.Tensor) => tf.sum(softmaxCrossEntropyPerExample(z as tf.Tensor2D, t)))(studentLogits);
    return tf.stack([tf.gatherND(teacherProbs, at), tf.gatherND(tf.softmax(studentLogits), at), tf.gatherND(gKd, at), tf.gatherND(gCe, at)]);
  });
  const flat = (await values.data()) as Float32Array;
  values.dispose();
  const part = (k: number) => flat.slice(k * b, (k + 1) * b);
  const out = { teacherProb: part(0), studentProb: part(1), kdGrad: part(2), ceGrad: part(3), ratio: new Float32Array(b) };
  for (let i = 0; i < b; i++) out.ratio[i] = Math.abs(out.kdGrad[i]) / Math.max(Math.abs(out.ceGrad[i]), 1e-12);
  return out;
}

export interface ReweightingBin {
  /** Teacher-confidence interval [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  count: number;
  /** Mean p^t_y of the bin's examples (the bin's centre when empty). */
  meanTeacherProb: number;
  /** Means over the bin's examples; null when the bin is empty. */
  meanStudentProb: number | null;
  /** Mean |∂KL/∂z_y| / |∂CE/∂z_y| over the bin's examples; null when the bin is empty. */
  meanRatio: number | null;
  meanKdGrad: number | null;
  meanCeGrad: number | null;
}

/** Equal-width bins of p^t_y over [0, 1] with the mean ratio and gradients in each. */
export function binByTeacherConfidence(g: TrueClassGradients, bins = 10): ReweightingBin[] {
  const out: ReweightingBin[] = [];
  const acc = Array.from({ length: bins }, () => ({ n: 0, p: 0, q: 0, r: 0, kd: 0, ce: 0 }));
  for (let i = 0; i < g.ratio.length; i++) {
    const k = Math.min(bins - 1, Math.max(0, Math.floor(g.teacherProb[i] * bins)));
    const a = acc[k];
    a.n++;
    a.p += g.teacherProb[i];
    a.q += g.studentProb[i];
    a.r += g.ratio[i];
    a.kd += Math.abs(g.kdGrad[i]);
    a.ce += Math.abs(g.ceGrad[i]);
  }
  acc.forEach((a, k) => {
    const mean = (x: number) => (a.n === 0 ? null : x / a.n);
    out.push({
      from: k / bins,
      to: (k + 1) / bins,
      count: a.n,
      meanTeacherProb: a.n === 0 ? (k + 0.5) / bins : a.p / a.n,
      meanStudentProb: mean(a.q),
      meanRatio: mean(a.r),
      meanKdGrad: mean(a.kd),
      meanCeGrad: mean(a.ce),
    });
  });
  return out;
}

/**
 * Equal-count bins of p^t_y (from/to: the smallest and largest p^t_y in the bin). Over a large
 * catalogue p^t_y is nearly always below 0.1, where equal-width bins put everything in one.
 */
export function binByTeacherQuantile(g: TrueClassGradients, bins = 10): ReweightingBin[] {
  const n = g.teacherProb.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => g.teacherProb[a] - g.teacherProb[b] || a - b);
  const out: ReweightingBin[] = [];
  for (let k = 0; k < bins; k++) {
    const members = order.slice(Math.floor((k * n) / bins), Math.floor(((k + 1) * n) / bins));
    if (members.length === 0) continue;
    const avg = (xs: Float32Array, abs = false) => members.reduce((s, i) => s + (abs ? Math.abs(xs[i]) : xs[i]), 0) / members.length;
    out.push({
      from: g.teacherProb[members[0]],
      to: g.teacherProb[members[members.length - 1]],
      count: members.length,
      meanTeacherProb: avg(g.teacherProb),
      meanStudentProb: avg(g.studentProb),
      meanRatio: avg(g.ratio),
      meanKdGrad: avg(g.kdGrad, true),
      meanCeGrad: avg(g.ceGrad, true),
    });
  }
  return out;
}

export interface ReweightingAnalysis {
  temperature: 1;
  transform: string;
  examples: number;
  /** Equal-width bins of p^t_y over [0, 1]. */
  bins: ReweightingBin[];
  /** Equal-count bins (deciles by default): the readable curve for catalogue-sized softmaxes. */
  quantileBins: ReweightingBin[];
  /** Pearson correlation of p^t_y and the ratio over the examples. */
  correlation: number;
}

export interface ReweightingOptions {
  /** Examples analysed at most (a seeded subset; default 2000). */
  maxExamples?: number;
  seed?: number;
  bins?: number;
  /** Rows per forward pass (each a full-catalogue row; default 256). */
  batchSize?: number;
}

/**
 * (a) over examples: the student's last-position logits and the teacher's transformed distribution
 * at τ = 1, per-example gradients, binned.
 */
export async function gradientReweighting(
  student: RecModel,
  teacher: SequenceNetwork,
  target: TeacherTarget,
  examples: readonly Example[],
  options: ReweightingOptions = {},
): Promise<ReweightingAnalysis> {
  await ensureGradients();
  const chosen = sample(
    examples.filter((e) => e.history.length > 0),
    options.maxExamples ?? 2000,
    options.seed ?? 0,
  );
  const batchSize = options.batchSize ?? 256;
  const n = teacher.numItems;
  const valid = itemColumnsMask(n);
  const parts: TrueClassGradients[] = [];
  try {
    for (let start = 0; start < chosen.length; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, chosen.length - start) }, (_, i) => start + i);
      const batch = makeBatch(chosen, idx, student.historyLength);
      const teacherBatch = teacher.historyLength === student.historyLength ? batch : makeBatch(chosen, idx, teacher.historyLength);
      const studentLogits = await student.scoreItems(batch.histories, batch.size);
      const [z, p] = tf.tidy(() => {
        const transformed = target.of({
          targets: tf.tensor1d(batch.targets, "int32"),
          columns: n + 1,
          valid,
          probabilities: () => teacherProbabilities(teacher.scoreItems(teacherBatch.histories, batch.size), 1, valid),
          weights: () => outputTable(teacher) as tf.Tensor2D,
        });
        return [studentLogits, transformed];
      });
      try {
        parts.push(await trueClassGradients(z, p, batch.targets));
      } finally {
        tf.dispose([z, p]);
      }
    }
  } finally {
    valid.dispose();
  }
  const all = concatGradients(parts);
  return {
    temperature: 1,
    transform: target.label,
    examples: chosen.length,
    bins: binByTeacherConfidence(all, options.bins ?? 10),
    quantileBins: binByTeacherQuantile(all, options.bins ?? 10),
    correlation: pearson(all.teacherProb, all.ratio),
  };
}

export interface SimilarityAnalysis {
  /** The sampled item ids, most popular first (when counts were given). */
  items: number[];
  /** Cosine similarity matrices [m][m] (rounded to 4 decimals). */
  teacher: number[][];
  student: number[][];
  /** Pearson correlation of the two matrices' upper triangles (i < j). */
  correlation: number;
  meanTeacherCosine: number;
  meanStudentCosine: number;
}

/**
 * (b) from output-layer weight tables ([rows, D] row-major): cosine matrices of `items` and their
 * correlation.
 */
export function similarityStructure(
  teacherWeights: Float32Array,
  teacherDim: number,
  studentWeights: Float32Array,
  studentDim: number,
  items: ArrayLike<number>,
): SimilarityAnalysis {
  const ct = cosineMatrix(teacherWeights, teacherDim, items);
  const cs = cosineMatrix(studentWeights, studentDim, items);
  const m = items.length;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      a.push(ct[i][j]);
      b.push(cs[i][j]);
    }
  }
  const round = (rows: number[][]) => rows.map((r) => r.map((x) => Math.round(x * 1e4) / 1e4));
  return {
    items: Array.from(items),
    teacher: round(ct),
    student: round(cs),
    correlation: pearson(a, b),
    meanTeacherCosine: mean(a),
    meanStudentCosine: mean(b),
  };
}

/** (b) for two SASRec-style models: a seeded sample of trained items, by popularity; the tables read back awaited. */
export async function outputSimilarity(
  teacher: SequenceNetwork,
  student: SequenceNetwork,
  options: { sample?: number; seed?: number; counts?: ArrayLike<number> } = {},
): Promise<SimilarityAnalysis> {
  const n = teacher.numItems;
  const counts = options.counts;
  const candidates = Array.from({ length: n }, (_, i) => i + 1).filter((i) => counts === undefined || counts[i] > 0);
  const chosen = sample(candidates, options.sample ?? 100, options.seed ?? 0);
  if (counts !== undefined) chosen.sort((x, y) => counts[y] - counts[x] || x - y);
  const read = async (m: SequenceNetwork) => (await outputTable(m).data()) as Float32Array;
  return similarityStructure(await read(teacher), embeddingOf(teacher), await read(student), embeddingOf(student), chosen);
}

function cosineMatrix(w: Float32Array, d: number, items: ArrayLike<number>): number[][] {
  const m = items.length;
  const unit = Array.from(items, (id) => {
    const row = w.subarray(id * d, (id + 1) * d);
    let norm = 0;
    for (let k = 0; k < d; k++) norm += row[k] * row[k];
    norm = Math.max(Math.sqrt(norm), 1e-12);
    return Array.from(row, (x) => x / norm);
  });
  const out = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += unit[i][k] * unit[j][k];
      out[i][j] = dot;
      out[j][i] = dot;
    }
  }
  return out;
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new Error(`pearson: ${n} vs ${b.length} values`);
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length === 0 ? NaN : s / a.length;
}

/** Up to n items, a seeded uniform subset in their original order. */
function sample<T>(xs: readonly T[], n: number, seed: number): T[] {
  if (xs.length <= n) return [...xs];
  const order = Int32Array.from({ length: xs.length }, (_, i) => i);
  new Rng(seed).fork("distill-analysis").shuffle(order);
  return Array.from(order.subarray(0, n))
    .sort((a, b) => a - b)
    .map((i) => xs[i]);
}

function concatGradients(parts: TrueClassGradients[]): TrueClassGradients {
  const cat = (key: keyof TrueClassGradients) => {
    const total = parts.reduce((s, p) => s + p[key].length, 0);
    const out = new Float32Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p[key], at);
      at += p[key].length;
    }
    return out;
  };
  return { teacherProb: cat("teacherProb"), studentProb: cat("studentProb"), kdGrad: cat("kdGrad"), ceGrad: cat("ceGrad"), ratio: cat("ratio") };
}
