// Evaluation of a model by the rank of each held-out target among its candidates, with AUC.
// Takes a RecModel (a ranking model's scoreCandidates is used when present), the prepared data and
// an IR `evaluate` entry; gives the same EvaluationResult as pipeline/evaluate-model.ts (rows per
// metric and slice, bootstrap intervals, popularity baseline under the same protocol).
// Candidates per example: the target plus every other item (full) or the target plus `negatives`
// distinct sampled items (sampled, ∝ training frequency or uniform); never the pad, and not the
// history when exclude_history is set. From the scores, with G = candidates scored above the target,
// E = other candidates tied with it, E< = those of them with a lower id, and N = other candidates:
//   AUC     = (N − G − E/2) / N            (the share of negatives ranked below the target)
//   rank    = G + E<                       (0-based; ties go to the lower id, as top-K does)
//   NDCG@k  = 1/log2(rank + 2) if rank < k; recall@k = hr@k = [rank < k]; MRR = 1/(rank + 1).
// No sorting: one pass over each row, so full-catalogue AUC costs no more than scoring.
import * as tf from "@tensorflow/tfjs-core";
import type { Example } from "../data/split.js";
import { bootstrapMean } from "../eval/bootstrap.js";
import { parseMetricName } from "../eval/metrics.js";
import type { RecModel } from "../models/rec-model.js";
import {
  buildSlices,
  historiesOf,
  listedBaselines,
  splitName,
  type EvaluationResult,
  type EvaluationRow,
  type EvaluateModelOptions,
} from "../pipeline/evaluate-model.js";
import { sampleCandidates } from "../eval/sample-candidates.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { IREvaluation } from "../../ir/index.js";
import { metricName } from "../pipeline/metric-name.js";
import { Rng } from "../random.js";
import { protocolText } from "../eval/protocol.js";

/** A model that can score each history against its own candidates (the sampled protocol). */
export interface CandidateScoringModel extends RecModel {
  scoreCandidates?(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor2D;
}

/** Metrics this evaluation computes per user. */
export type PerUserMetric = { name: string; kind: "auc" } | { name: string; kind: "ndcg" | "recall" | "hr" | "mrr"; k: number | null };

export function parseRankingMetric(name: string): PerUserMetric {
  if (name.trim().toLowerCase() === "auc") return { name: "auc", kind: "auc" };
  const spec = parseMetricName(name);
  if (spec.kind === "coverage") throw new Error(`metric ${name}: coverage needs top-K lists; evaluate it with evaluateModel`);
  return { name: spec.name, kind: spec.kind, k: spec.k };
}

/** The target's standing among scored candidates (see the header). */
export interface TargetStanding {
  above: number;
  tied: number;
  tiedLower: number;
  others: number;
}

/** Standing of `target` given candidate ids and their scores (the target among them). */
export function standing(target: number, ids: ArrayLike<number>, scores: ArrayLike<number>): TargetStanding {
  let s = NaN;
  for (let i = 0; i < ids.length; i++) if (ids[i] === target) s = scores[i];
  if (Number.isNaN(s)) throw new Error(`standing: target ${target} is not among the candidates`);
  const out = { above: 0, tied: 0, tiedLower: 0, others: 0 };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === target) continue;
    out.others++;
    const x = Number.isNaN(scores[i]) ? -Infinity : scores[i];
    if (x > s) out.above++;
    else if (x === s) {
      out.tied++;
      if (id < target) out.tiedLower++;
    }
  }
  return out;
}

export function metricValue(metric: PerUserMetric, st: TargetStanding): number {
  if (metric.kind === "auc") return st.others === 0 ? 1 : (st.others - st.above - st.tied / 2) / st.others;
  const rank = st.above + st.tiedLower;
  const inside = metric.k === null || rank < metric.k;
  switch (metric.kind) {
    case "ndcg":
      return inside ? 1 / Math.log2(rank + 2) : 0;
    case "recall":
    case "hr":
      return inside ? 1 : 0;
    case "mrr":
      return inside ? 1 / (rank + 1) : 0;
  }
}

export async function evaluateRanking(
  model: CandidateScoringModel,
  data: PreparedData,
  evaluation: IREvaluation,
  options: EvaluateModelOptions = {},
): Promise<EvaluationResult> {
  const split = splitName(options.split ?? evaluation.split);
  const examples = data.split[split].filter((e) => e.target > 0);
  const seed = options.seed ?? 0;
  const metrics = evaluation.metrics.map((m) => parseRankingMetric(metricName(m)));
  const chunk = options.chunkSize ?? 256;
  const n = examples.length;
  const modelValues = metrics.map(() => new Float64Array(n));
  const baseValues = metrics.map(() => new Float64Array(n));
  const popularity = data.trainCounts;
  const record = (values: Float64Array[], u: number, st: TargetStanding) => metrics.forEach((m, k) => (values[k][u] = metricValue(m, st)));
  /** Example u's metrics for the model's scores of its candidates `ids`, and for popularity's. */
  const recordExample = (u: number, target: number, ids: ArrayLike<number>, scores: Float32Array) => {
    record(modelValues, u, standing(target, ids, scores));
    record(
      baseValues,
      u,
      standing(
        target,
        ids,
        Float32Array.from(ids, (id) => popularity[id]),
      ),
    );
  };

  if (evaluation.candidates.type === "full") {
    const all = Int32Array.from({ length: data.numItems }, (_, i) => i + 1);
    for (let first = 0; first < n; first += chunk) {
      const count = Math.min(chunk, n - first);
      const scores = await model.scoreItems(historiesOf(examples, first, count, model.historyLength), count);
      let host: Float32Array;
      try {
        host = (await scores.data()) as Float32Array;
      } finally {
        scores.dispose();
      }
      const width = data.numItems + 1;
      for (let i = 0; i < count; i++) {
        const e = examples[first + i];
        const ids = evaluation.exclude_history ? withoutHistory(all, e) : all;
        const row = host.subarray(i * width + 1, (i + 1) * width);
        const own = ids === all ? row : Float32Array.from(ids, (id) => host[i * width + id]);
        recordExample(first + i, e.target, ids, own);
      }
    }
  } else {
    const { negatives, sampling } = evaluation.candidates;
    const candidates = sampleCandidates(examples, data, negatives, sampling, evaluation.exclude_history, new Rng(seed).fork("eval/candidates"));
    for (let first = 0; first < n; first += chunk) {
      const count = Math.min(chunk, n - first);
      const histories = historiesOf(examples, first, count, model.historyLength);
      const rows = candidates.slice(first, first + count);
      const scores = await scoreRows(model, histories, count, rows);
      for (let i = 0; i < count; i++) {
        const e = examples[first + i];
        const ids = rows[i];
        recordExample(first + i, e.target, ids, scores[i]);
      }
    }
  }
  const protocol = protocolText(evaluation, { numItems: data.numItems, splitType: data.splitType });

  const userSlices = buildSlices(
    evaluation.slices,
    Int32Array.from(examples, (e) => e.target),
    data,
  );
  const slices = new Map(userSlices.names.map((name) => [name, userSlices.masks[name]]));
  const resamples = Math.max(1, evaluation.bootstrap);
  const noIntervals = evaluation.bootstrap === 0;
  const rows: EvaluationRow[] = [];
  metrics.forEach((m, k) => {
    for (const [slice, mask] of slices) {
      // The same fork for model and baseline: both see the same resampled users (paired).
      const ci = bootstrapMean(modelValues[k], { resamples, rng: new Rng(seed).fork(slice) }, mask);
      const b = bootstrapMean(baseValues[k], { resamples, rng: new Rng(seed).fork(slice) }, mask);
      rows.push({
        metric: m.name,
        slice,
        n: ci.n,
        value: ci.mean,
        low: noIntervals ? NaN : ci.low,
        high: noIntervals ? NaN : ci.high,
        // Of the listed baselines a ranker reports popularity alone (see docs/reference.md).
        baseline: listedBaselines(evaluation).some((l) => l.type === "popularity")
          ? { value: b.mean, low: noIntervals ? NaN : b.low, high: noIntervals ? NaN : b.high }
          : null,
      });
    }
  });
  return {
    model: model.name,
    dataset: data.name,
    split,
    candidates: evaluation.candidates.type,
    protocol,
    excludeHistory: evaluation.exclude_history,
    splitType: data.splitType,
    examples: n,
    rows,
  };
}

async function scoreRows(model: CandidateScoringModel, histories: Int32Array, count: number, rows: Int32Array[]): Promise<Float32Array[]> {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  if (model.scoreCandidates !== undefined && rows.every((r) => r.length === width)) {
    const flat = new Int32Array(count * width);
    rows.forEach((r, i) => flat.set(r, i * width));
    const scores = model.scoreCandidates(histories, count, flat);
    try {
      const host = (await scores.data()) as Float32Array;
      return rows.map((_, i) => host.slice(i * width, (i + 1) * width));
    } finally {
      scores.dispose();
    }
  }
  const scores = await model.scoreItems(histories, count);
  try {
    const host = (await scores.data()) as Float32Array;
    const stride = model.numItems + 1;
    return rows.map((r, i) => Float32Array.from(r, (id) => host[i * stride + id]));
  } finally {
    scores.dispose();
  }
}

function withoutHistory(all: Int32Array, e: Example): Int32Array {
  const banned = new Set<number>(e.history);
  banned.delete(e.target);
  return all.filter((id) => !banned.has(id));
}
