// Evaluation of a trained RecModel as an IR `evaluate` entry describes it. Takes the model, the
// prepared data and the entry; ranks every example of the split (full catalogue, pad excluded,
// optionally the history too — or the target against sampled negatives, labelled "sampled"),
// computes the listed metrics per slice (all; popularity → head/tail by training frequency;
// cold_start → targets never seen in training) with per-user bootstrap intervals, and the
// popularity baseline under the same protocol. Gives an EvaluationResult; formatEvaluation makes
// the plain-text table. Also gives rankingMetric, the validation metric the trainer stops on.
import { padHistory } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { evaluateLists, evaluateRanker, formatComparison, maxCutoff, type EvalRow, type UserSlices } from "../eval/evaluate.js";
import { parseMetricName, userMetric } from "../eval/metrics.js";
import { PopularityBaseline } from "../eval/popularity-baseline.js";
import { popularitySlices } from "../eval/slices.js";
import { topKOfTensor, type Exclusions } from "../eval/top-k.js";
import type { RecModel } from "../models/rec-model.js";
import { Rng } from "../random.js";
import type { PreparedData } from "./prepare-data.js";
import { sampleCandidates } from "../eval/sample-candidates.js";
import { metricName, type EvaluationSpec, type SliceSpec } from "./specs.js";

export interface EvaluationRow {
  metric: string;
  slice: string;
  /** Examples (users) in the slice. */
  n: number;
  value: number;
  /** Bootstrap interval; NaN without bootstrap and for coverage. */
  low: number;
  high: number;
  /** The popularity baseline on the same examples and candidates, when asked for. */
  baseline: { value: number; low: number; high: number } | null;
}

export interface EvaluationResult {
  model: string;
  dataset: string;
  split: "train" | "validation" | "test";
  /** "full": the whole catalogue was ranked; "sampled": the target against sampled negatives. */
  candidates: "full" | "sampled";
  /** E.g. "full catalogue (12101 items)" or "target + 99 popularity-sampled negatives". */
  protocol: string;
  excludeHistory: boolean;
  examples: number;
  rows: EvaluationRow[];
}

export interface EvaluateModelOptions {
  /** Overrides the entry's split. */
  split?: "train" | "valid" | "validation" | "test";
  /** Seed of negative sampling and the bootstrap (default 0). */
  seed?: number;
  /** Examples scored per forward pass (default 256). */
  chunkSize?: number;
}

export async function evaluateModel(
  model: RecModel,
  data: PreparedData,
  evaluation: EvaluationSpec,
  options: EvaluateModelOptions = {},
): Promise<EvaluationResult> {
  const split = splitName(options.split ?? evaluation.split);
  const examples = data.split[split];
  const seed = options.seed ?? 0;
  const metrics = evaluation.metrics.map(metricName);
  const targets = Int32Array.from(examples, (e) => e.target);
  const slices = buildSlices(evaluation.slices, targets, data);
  const exclude: Exclusions | undefined = evaluation.exclude_history ? examples.map((e) => e.history) : undefined;
  const bootstrap = { resamples: Math.max(1, evaluation.bootstrap), seed };
  const numItems = data.numItems + 1;
  const common = { metrics, targets, numItems, slices, bootstrap };
  const popularity = new PopularityBaseline(data.trainCounts);

  let modelRows: EvalRow[];
  let baselineRows: EvalRow[] | null = null;
  let protocol: string;
  if (evaluation.candidates.type === "full") {
    const k = cutoffFor(metrics, data.numItems);
    modelRows = await evaluateRanker(
      (first, count) => rankChunk(model, examples, first, count, k, exclude),
      { ...common, chunkSize: options.chunkSize ?? 256 },
    );
    if (evaluation.baseline) baselineRows = evaluateLists(popularity.rankUsers(k, examples.length, exclude), common);
    protocol = `full catalogue (${data.numItems} items${evaluation.exclude_history ? ", history excluded" : ""})`;
  } else {
    const { negatives, sampling } = evaluation.candidates;
    const candidates = sampleCandidates(examples, data, negatives, sampling, evaluation.exclude_history, new Rng(seed).fork("eval/candidates"));
    const lists = await rankCandidates(model, examples, candidates, options.chunkSize ?? 256);
    modelRows = evaluateLists(lists, common);
    if (evaluation.baseline) {
      const byPopularity = candidates.map((c) => sortBy(c, (i) => data.trainCounts[i]));
      baselineRows = evaluateLists(byPopularity, common);
    }
    protocol = `sampled: target + ${negatives} ${sampling}-sampled negatives`;
  }

  const noIntervals = evaluation.bootstrap === 0;
  const baselineOf = new Map((baselineRows ?? []).map((r) => [`${r.metric}|${r.slice}`, r]));
  const rows: EvaluationRow[] = modelRows.map((r) => {
    const b = baselineOf.get(`${r.metric}|${r.slice}`);
    return {
      metric: r.metric,
      slice: r.slice,
      n: r.n,
      value: r.mean,
      low: noIntervals ? NaN : r.low,
      high: noIntervals ? NaN : r.high,
      baseline: b === undefined ? null : { value: b.mean, low: noIntervals ? NaN : b.low, high: noIntervals ? NaN : b.high },
    };
  });
  return {
    model: model.name,
    dataset: data.name,
    split,
    candidates: evaluation.candidates.type,
    protocol,
    excludeHistory: evaluation.exclude_history,
    examples: examples.length,
    rows,
  };
}

/** Plain-text table: metric, slice, n, model value [low, high], popularity value [low, high]. */
export function formatEvaluation(result: EvaluationResult, digits = 4): string {
  const toRow = (r: EvaluationRow, pick: "model" | "baseline"): EvalRow => {
    const v = pick === "model" ? r : r.baseline!;
    return { metric: r.metric, slice: r.slice, n: r.n, mean: pick === "model" ? r.value : r.baseline!.value, low: v.low, high: v.high };
  };
  const model = result.rows.map((r) => toRow(r, "model"));
  const hasBaseline = result.rows.some((r) => r.baseline !== null);
  const baseline = hasBaseline ? result.rows.filter((r) => r.baseline !== null).map((r) => toRow(r, "baseline")) : null;
  const title = `${result.model} on ${result.dataset}.${result.split === "validation" ? "valid" : result.split}: ${result.examples} users, ${result.protocol}`;
  return `${title}\n${formatComparison(model, baseline, { model: result.model, baseline: "popularity", digits })}`;
}

/**
 * Mean of one ranking metric (e.g. "ndcg@10") over examples, full catalogue, pad excluded: the
 * validation signal for early stopping.
 */
export async function rankingMetric(model: RecModel, examples: readonly Example[], metric: string, chunkSize = 256): Promise<number> {
  const spec = parseMetricName(metric);
  if (spec.kind === "coverage") throw new Error("rankingMetric: coverage is not a per-user metric");
  const k = spec.k ?? model.numItems;
  let total = 0;
  for (let first = 0; first < examples.length; first += chunkSize) {
    const count = Math.min(chunkSize, examples.length - first);
    const lists = await rankChunk(model, examples, first, count, k, undefined);
    for (let i = 0; i < count; i++) total += userMetric(spec, lists[i], examples[first + i].target);
  }
  return examples.length === 0 ? NaN : total / examples.length;
}

/** Left-padded histories [count, T] of examples first..first+count−1. */
export function historiesOf(examples: readonly Example[], first: number, count: number, t: number): Int32Array {
  const out = new Int32Array(count * t);
  for (let i = 0; i < count; i++) padHistory(examples[first + i].history, t, out, i * t);
  return out;
}

async function rankChunk(
  model: RecModel,
  examples: readonly Example[],
  first: number,
  count: number,
  k: number,
  exclude: Exclusions | undefined,
): Promise<Int32Array[]> {
  const users = Int32Array.from({ length: count }, (_, i) => examples[first + i].user);
  const scores = model.scoreItems(historiesOf(examples, first, count, model.historyLength), count, users);
  try {
    return await topKOfTensor(scores, k, { exclude, firstUser: first, excludePad: true });
  } finally {
    scores.dispose();
  }
}

/** The longest list the metrics read; the whole catalogue when one (mrr) has no cutoff. */
function cutoffFor(metrics: string[], numItems: number): number {
  const anyUncut = metrics.some((m) => parseMetricName(m).k === null);
  return anyUncut ? numItems : Math.min(numItems, Math.max(1, maxCutoff(metrics)));
}

export function splitName(s: string): "train" | "validation" | "test" {
  if (s === "valid" || s === "validation") return "validation";
  if (s === "train" || s === "test") return s;
  throw new Error(`unknown split "${s}" (train, valid, test)`);
}

/** User slices from the IR slice list; popularity gives head and tail, cold_start one slice. */
export function buildSlices(specs: readonly SliceSpec[], targets: Int32Array, data: PreparedData): UserSlices {
  const names: string[] = [];
  const masks: Record<string, Uint8Array> = {};
  const add = (name: string, itemMask: (item: number) => boolean) => {
    names.push(name);
    masks[name] = Uint8Array.from(targets, (t) => (t > 0 && itemMask(t) ? 1 : 0));
  };
  const popularityCount = specs.filter((s) => s.type === "popularity").length;
  for (const s of specs) {
    if (s.type === "all") add("all", () => true);
    else if (s.type === "cold_start") add("cold_start", (i) => data.trainCounts[i] === 0 || data.coldMask[i] === 1);
    else if (s.type === "popularity") {
      const items = popularitySlices(data.trainCounts, { headFraction: s.head });
      // Two popularity slices with different heads need distinguishable names.
      const suffix = popularityCount > 1 ? `@${s.head}` : "";
      add(`head${suffix}`, (i) => items.masks.head[i] === 1);
      add(`tail${suffix}`, (i) => items.masks.tail[i] === 1);
    } else {
      throw new Error(`unknown slice type "${(s as { type: string }).type}"`);
    }
  }
  if (names.length === 0) add("all", () => true);
  return { names, masks };
}


/** Each example's candidates ordered by the model's scores (best first, ties by lower id). */
async function rankCandidates(model: RecModel, examples: readonly Example[], candidates: Int32Array[], chunkSize: number): Promise<Int32Array[]> {
  const out: Int32Array[] = [];
  const width = model.numItems + 1;
  for (let first = 0; first < examples.length; first += chunkSize) {
    const count = Math.min(chunkSize, examples.length - first);
    const users = Int32Array.from({ length: count }, (_, i) => examples[first + i].user);
  const scores = model.scoreItems(historiesOf(examples, first, count, model.historyLength), count, users);
    let host: Float32Array;
    try {
      host = (await scores.data()) as Float32Array;
    } finally {
      scores.dispose();
    }
    for (let i = 0; i < count; i++) out.push(sortBy(candidates[first + i], (item) => host[i * width + item]));
  }
  return out;
}

function sortBy(items: Int32Array, score: (item: number) => number): Int32Array {
  const ids = Array.from(items);
  ids.sort((a, b) => {
    const sa = score(a);
    const sb = score(b);
    return sa !== sb ? (sb > sa ? 1 : -1) : a - b;
  });
  return Int32Array.from(ids);
}
