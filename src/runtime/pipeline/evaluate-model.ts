// Evaluation of a trained RecModel as an IR `evaluate` entry describes it. Takes the model, the
// prepared data and the entry; ranks every example of the split (full catalogue, pad excluded,
// optionally the history too — or the target against sampled negatives, labelled "sampled"),
// computes the listed metrics per slice (all; popularity → head/tail by training frequency;
// cold_start → targets never seen in training) with per-user bootstrap intervals, and the
// baselines the entry lists (popularity, item-kNN) under the same protocol and the same bootstrap
// resamples, with each baseline's paired difference (model − baseline per user, its interval over
// those same resamples). `baselines`, when given, decides which; otherwise `baseline` means
// [popularity] or none. Gives an EvaluationResult with its protocol in words; formatEvaluation makes
// the plain-text table under that protocol, a column per baseline, and the differences under it.
// Also gives rankingMetric, the validation metric the trainer stops on.
import { padHistory } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { accumulateLists, accumulateRanker, formatComparison, maxCutoff, type EvalAccumulator, type EvalRow, type UserSlices } from "../eval/evaluate.js";
import { pairedDifference } from "../eval/paired-difference.js";
import { formatDifferences } from "../eval/format-differences.js";
import { parseMetricName, userMetric } from "../eval/metrics.js";
import { PopularityBaseline } from "../eval/popularity-baseline.js";
import { ItemKnnBaseline, trainingUserItems } from "../eval/item-knn.js";
import { popularitySlices } from "../eval/slices.js";
import { topKOfTensor, type Exclusions } from "../eval/top-k.js";
import type { RecModel } from "../models/rec-model.js";
import { Rng } from "../random.js";
import { textTable } from "../report/text-table.js";
import type { PreparedData } from "./prepare-data.js";
import { sampleCandidates } from "../eval/sample-candidates.js";
import type { BaselineOption, IREvaluation, SliceOption } from "../../ir/index.js";
import { metricName } from "./metric-name.js";
import { protocolText, resultProtocol } from "../eval/protocol.js";

export interface EvaluationRow {
  metric: string;
  slice: string;
  /** Examples (users) in the slice. */
  n: number;
  value: number;
  /** Bootstrap interval; NaN without bootstrap and for coverage. */
  low: number;
  high: number;
  /** The first listed baseline (popularity by default) on the same examples and candidates, when asked for. */
  baseline: { value: number; low: number; high: number } | null;
  /** Every listed baseline in order, the first being `baseline`; absent from results of older runs. */
  baselines?: { name: string; value: number; low: number; high: number }[];
  /**
   * Per listed baseline, the mean of model − baseline over the slice's users and its paired
   * bootstrap interval (the same resamples as the marginal ones); absent for coverage and in older runs.
   */
  differences?: { name: string; mean: number; low: number; high: number }[];
}

export interface EvaluationResult {
  model: string;
  dataset: string;
  split: "train" | "validation" | "test";
  /** "full": the whole catalogue was ranked; "sampled": the target against sampled negatives. */
  candidates: "full" | "sampled";
  /**
   * The whole protocol in words (eval/protocol.ts), e.g. "full catalogue (12101 items), history
   * excluded, leave_last_out split"; older runs wrote only the candidates.
   */
  protocol: string;
  excludeHistory: boolean;
  /** The data set's split method (leave_last_out, …); absent in older runs. */
  splitType?: string;
  examples: number;
  /** Names of the baselines reported, in order ("popularity", "item_knn"); absent in older runs. */
  baselineNames?: string[];
  rows: EvaluationRow[];
}

export interface EvaluateModelOptions {
  /** Overrides the entry's split. */
  split?: "train" | "valid" | "validation" | "test";
  /** Seed of negative sampling and the bootstrap (default 0). */
  seed?: number;
  /** Examples scored per forward pass (default 256). */
  chunkSize?: number;
  /** Told after each chunk how many of the split's users are ranked (progress for people). */
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateModel(
  model: RecModel,
  data: PreparedData,
  evaluation: IREvaluation,
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
  // A ratio or random split holds out several items per user: each is scored against all of them.
  const relevant = examples.some((e) => e.targets !== undefined) ? examples.map((e) => e.targets ?? Int32Array.of(e.target)) : targets;
  const common = { metrics, targets: relevant, numItems, slices, bootstrap };
  const baselines = listedBaselines(evaluation);
  const names = baselineNames(baselines);

  let modelAcc: EvalAccumulator;
  const baselineAccs: EvalAccumulator[] = [];
  if (evaluation.candidates.type === "full") {
    const k = cutoffFor(metrics, data.numItems);
    modelAcc = await accumulateRanker(
      async (first, count) => {
        const lists = await rankChunk(model, examples, first, count, k, exclude);
        options.onProgress?.(first + count, examples.length);
        return lists;
      },
      { ...common, chunkSize: options.chunkSize ?? 256 },
    );
    for (const b of baselines) baselineAccs.push(accumulateLists(baselineLists(b, data, examples, k, exclude), common));
  } else {
    const { negatives, sampling } = evaluation.candidates;
    const candidates = sampleCandidates(examples, data, negatives, sampling, evaluation.exclude_history, new Rng(seed).fork("eval/candidates"));
    const lists = await rankCandidates(model, examples, candidates, exclude, options.chunkSize ?? 256, options.onProgress);
    modelAcc = accumulateLists(lists, common);
    for (const b of baselines) {
      const score = baselineScorer(b, data);
      baselineAccs.push(
        accumulateLists(
          candidates.map((c, u) => sortBy(c, score(examples[u]))),
          common,
        ),
      );
    }
  }
  const protocol = protocolText(evaluation, { numItems: data.numItems, splitType: data.splitType });

  const modelRows = modelAcc.finish();
  const baselineRows = baselineAccs.map((acc) => acc.finish());
  const noIntervals = evaluation.bootstrap === 0;
  const interval = (b: EvalRow) => ({ value: b.mean, low: noIntervals ? NaN : b.low, high: noIntervals ? NaN : b.high });
  const baselineOf = baselineRows.map((table) => new Map(table.map((r) => [`${r.metric}|${r.slice}`, r])));
  const rows: EvaluationRow[] = modelRows.map((r) => {
    const listed = baselineOf.flatMap((table, i) => {
      const b = table.get(`${r.metric}|${r.slice}`);
      return b === undefined ? [] : [{ name: names[i], ...interval(b) }];
    });
    return {
      metric: r.metric,
      slice: r.slice,
      n: r.n,
      value: r.mean,
      low: noIntervals ? NaN : r.low,
      high: noIntervals ? NaN : r.high,
      baseline: listed.length === 0 || listed[0].name !== names[0] ? null : { value: listed[0].value, low: listed[0].low, high: listed[0].high },
      baselines: listed,
      ...differencesOf(r, modelAcc, baselineAccs, names, bootstrap, noIntervals),
    };
  });
  return {
    model: model.name,
    dataset: data.name,
    split,
    candidates: evaluation.candidates.type,
    protocol,
    excludeHistory: evaluation.exclude_history,
    splitType: data.splitType,
    examples: examples.length,
    baselineNames: names,
    rows,
  };
}

/** Paired differences model − baseline of one row; nothing for coverage (not a per-user mean). */
function differencesOf(
  row: EvalRow,
  model: EvalAccumulator,
  baselines: EvalAccumulator[],
  names: string[],
  bootstrap: { resamples: number; seed: number },
  noIntervals: boolean,
): Pick<EvaluationRow, "differences"> {
  const a = model.userValues(row.metric);
  if (a === undefined || baselines.length === 0) return {};
  const mask = model.usersOf(row.slice);
  const differences = baselines.flatMap((acc, i) => {
    const b = acc.userValues(row.metric);
    if (b === undefined) return [];
    const d = pairedDifference(a, b, mask, row.slice, bootstrap);
    return [{ name: names[i], mean: d.mean, low: noIntervals ? NaN : d.low, high: noIntervals ? NaN : d.high }];
  });
  return { differences };
}

/** The baselines an entry asks for: `baselines` when written, else popularity when `baseline` is on. */
export function listedBaselines(evaluation: IREvaluation): BaselineOption[] {
  return evaluation.baselines ?? (evaluation.baseline ? [{ type: "popularity" }] : []);
}

/** Column labels: the type, with its k when one list holds two item-kNN baselines. */
function baselineNames(baselines: readonly BaselineOption[]): string[] {
  const knns = baselines.filter((b) => b.type === "item_knn").length;
  return baselines.map((b) => (b.type === "item_knn" && knns > 1 ? `item_knn(k: ${b.k})` : b.type));
}

/** Full-catalogue top-K lists of a baseline for every example. */
function baselineLists(b: BaselineOption, data: PreparedData, examples: readonly Example[], k: number, exclude: Exclusions | undefined): Int32Array[] {
  if (b.type === "popularity") return new PopularityBaseline(data.trainCounts).rankUsers(k, examples.length, exclude);
  return new ItemKnnBaseline(trainingUserItems(data.trainTargets), data.numItems, b.k).rankExamples(k, examples, exclude);
}

/** A baseline's score of each item for an example, to order sampled candidates. */
function baselineScorer(b: BaselineOption, data: PreparedData): (example: Example) => (item: number) => number {
  if (b.type === "popularity") return () => (i) => data.trainCounts[i];
  const knn = new ItemKnnBaseline(trainingUserItems(data.trainTargets), data.numItems, b.k);
  return (example) => {
    const scores = knn.scores(example.history);
    return (i) => scores[i];
  };
}

/**
 * Plain-text table under a title naming the split, its users and the protocol: metric, slice, n,
 * model value [low, high], then each baseline's value [low, high].
 */
export function formatEvaluation(result: EvaluationResult, digits = 4): string {
  const title = `${result.model} on ${result.dataset}.${result.split === "validation" ? "valid" : result.split}: ${result.examples} users
protocol: ${resultProtocol(result)}`;
  const model = result.rows.map((r): EvalRow => ({ metric: r.metric, slice: r.slice, n: r.n, mean: r.value, low: r.low, high: r.high }));
  // Results written before `baselines` existed carry only the popularity column.
  const listed = result.rows.map((r) => r.baselines ?? (r.baseline ? [{ name: "popularity", ...r.baseline }] : []));
  const names = result.baselineNames ?? (listed.some((l) => l.length > 0) ? ["popularity"] : []);
  if (names.length <= 1) {
    const baseline =
      names.length === 0
        ? null
        : result.rows.flatMap((r, i) =>
            listed[i]
              .filter((b) => b.name === names[0])
              .map((b): EvalRow => ({ metric: r.metric, slice: r.slice, n: r.n, mean: b.value, low: b.low, high: b.high })),
          );
    return `${title}\n${formatComparison(model, baseline, { model: result.model, baseline: names[0] ?? "popularity", digits })}${formatDifferences(result, digits)}`;
  }
  return `${title}\n${formatBaselineColumns(result, listed, names, digits)}${formatDifferences(result, digits)}`;
}

/** The comparison table with one column per baseline, aligned like formatComparison's. */
function formatBaselineColumns(result: EvaluationResult, listed: NonNullable<EvaluationRow["baselines"]>[], names: string[], digits: number): string {
  const value = (v: { value: number; low: number; high: number } | undefined) => {
    if (v === undefined || Number.isNaN(v.value)) return "-";
    const mean = v.value.toFixed(digits);
    return Number.isNaN(v.low) || Number.isNaN(v.high) ? mean : `${mean} [${v.low.toFixed(digits)}, ${v.high.toFixed(digits)}]`;
  };
  const header = ["metric", "slice", "n", result.model, ...names];
  const body = result.rows.map((r, i) => [r.metric, r.slice, String(r.n), value(r), ...names.map((n) => value(listed[i].find((b) => b.name === n)))]);
  // Text columns (metric, slice) align left; numbers align right so decimals line up.
  return textTable(header, body, 2) + "\n";
}

/**
 * Mean of one ranking metric (e.g. "ndcg@10") over examples, full catalogue, pad excluded: the
 * validation signal for early stopping.
 */
export async function rankingMetric(
  model: RecModel,
  examples: readonly Example[],
  metric: string,
  chunkSize = 256,
  onProgress?: (done: number, total: number) => void,
  exclude?: Exclusions,
): Promise<number> {
  const spec = parseMetricName(metric);
  if (spec.kind === "coverage") throw new Error("rankingMetric: coverage is not a per-user metric");
  const k = spec.k ?? model.numItems;
  let total = 0;
  for (let first = 0; first < examples.length; first += chunkSize) {
    const count = Math.min(chunkSize, examples.length - first);
    const lists = await rankChunk(model, examples, first, count, k, exclude);
    for (let i = 0; i < count; i++) total += userMetric(spec, lists[i], examples[first + i].targets ?? examples[first + i].target);
    onProgress?.(first + count, examples.length);
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
  // A decoding model skips the seen items itself (a full list); the mask below covers the others.
  const seen = exclude?.slice(first, first + count).map((items) => items ?? []);
  const scores = await model.scoreItems(historiesOf(examples, first, count, model.historyLength), count, users, seen);
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
export function buildSlices(specs: readonly SliceOption[], targets: Int32Array, data: PreparedData): UserSlices {
  const names: string[] = [];
  const masks: Record<string, Uint8Array> = {};
  const add = (name: string, itemMask: (item: number) => boolean) => {
    names.push(name);
    masks[name] = Uint8Array.from(targets, (t) => (t > 0 && itemMask(t) ? 1 : 0));
  };
  const popularityCount = specs.filter((s) => s.type === "popularity").length;
  for (const s of specs) {
    if (s.type === "all") add("all", () => true);
    else if (s.type === "cluster") {
      // The checker admits `cluster` on synthetic data only (RS5008).
      const clusterOf = data.synthetic?.itemCluster;
      if (clusterOf === undefined) throw new Error("internal: a `cluster` slice on data without item clusters");
      const clusters = clusterOf.reduce((top, c) => Math.max(top, c), -1) + 1;
      for (let c = 0; c < clusters; c++) add(`cluster${c}`, (i) => clusterOf[i] === c);
    } else if (s.type === "cold_start") add("cold_start", (i) => data.trainCounts[i] === 0 || data.coldMask[i] === 1);
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

/** Each example's candidates ordered by the model's scores (best first, ties by lower id). The seen
 * items are passed on so a decoding model spends its beams on unseen items, as in full ranking. */
async function rankCandidates(
  model: RecModel,
  examples: readonly Example[],
  candidates: Int32Array[],
  exclude: Exclusions | undefined,
  chunkSize: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Int32Array[]> {
  const out: Int32Array[] = [];
  const width = model.numItems + 1;
  for (let first = 0; first < examples.length; first += chunkSize) {
    const count = Math.min(chunkSize, examples.length - first);
    const users = Int32Array.from({ length: count }, (_, i) => examples[first + i].user);
    const seen = exclude?.slice(first, first + count).map((items) => items ?? []);
    const scores = await model.scoreItems(historiesOf(examples, first, count, model.historyLength), count, users, seen);
    let host: Float32Array;
    try {
      host = (await scores.data()) as Float32Array;
    } finally {
      scores.dispose();
    }
    for (let i = 0; i < count; i++) out.push(sortBy(candidates[first + i], (item) => host[i * width + item]));
    onProgress?.(first + count, examples.length);
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
