// Evaluation driver. Takes per-user top-K lists — all at once, or from a ranker called chunk by
// chunk so full-catalogue scores never exist for every user together — plus each user's target(s),
// user slices and metric names; gives a result table of {metric, slice, mean, low, high, n} rows
// with bootstrap intervals, and formats model-vs-baseline tables as aligned plain text.
import { textTable } from "../report/text-table.js";
import { bootstrapMean, sliceResampler, type BootstrapOptions } from "./bootstrap.js";
import { markSeen, parseMetricName, userMetric, type MetricSpec, type Relevant } from "./metrics.js";

export interface EvalRow {
  metric: string;
  slice: string;
  mean: number;
  /** Bootstrap interval bounds; NaN for coverage, which is not a mean over users. */
  low: number;
  high: number;
  /** Users in the slice (with a target and a ranking). */
  n: number;
}

/** User slices as produced by userSliceMasks: names in display order, a 0/1 mask per user for each. */
export interface UserSlices {
  names: string[];
  masks: Record<string, ArrayLike<number>>;
}

export interface EvaluateOptions {
  /** Metric names, e.g. ["recall@10", "ndcg@10", "mrr", "coverage@10"]. */
  metrics: string[];
  /** Per user: the held-out target id (0 = no target, user skipped), or an array of relevant ids. */
  targets: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
  /** Catalogue size including the pad id 0; the denominator of coverage is numItems - 1. */
  numItems: number;
  /** User slices; default a single "all" slice of every user with a target. */
  slices?: UserSlices;
  bootstrap?: BootstrapOptions;
}

/** Ranks users firstUser..firstUser+count-1 and returns their lists, best first. */
export type ChunkRanker = (firstUser: number, count: number) => Promise<ReadonlyArray<ArrayLike<number>>> | ReadonlyArray<ArrayLike<number>>;

/**
 * Collects per-user metric values chunk by chunk; coverage is kept as a seen-item mask per slice,
 * so the lists themselves can be dropped after each chunk.
 */
export class EvalAccumulator {
  private readonly specs: MetricSpec[];
  private readonly numUsers: number;
  private readonly values = new Map<string, Float64Array>();
  private readonly coverage = new Map<string, { seen: Uint8Array; distinct: number }>();
  private readonly ranked: Uint8Array;
  private readonly hasTarget: Uint8Array;
  private readonly slices: UserSlices;

  constructor(private readonly options: EvaluateOptions) {
    this.specs = options.metrics.map(parseMetricName);
    this.numUsers = options.targets.length;
    this.ranked = new Uint8Array(this.numUsers);
    this.hasTarget = new Uint8Array(this.numUsers);
    for (let u = 0; u < this.numUsers; u++) this.hasTarget[u] = hasAny(this.relevant(u)) ? 1 : 0;
    this.slices = options.slices ?? { names: ["all"], masks: { all: this.hasTarget } };
    for (const name of this.slices.names) {
      const mask = this.slices.masks[name];
      if (mask === undefined || mask.length !== this.numUsers) {
        throw new Error(`evaluate: slice "${name}" needs a mask over ${this.numUsers} users`);
      }
    }
    for (const spec of this.specs) {
      if (spec.kind === "coverage") {
        for (const slice of this.slices.names) {
          this.coverage.set(`${spec.name}|${slice}`, { seen: new Uint8Array(options.numItems), distinct: 0 });
        }
      } else {
        this.values.set(spec.name, new Float64Array(this.numUsers));
      }
    }
  }

  /** Scores the lists of users firstUser..firstUser+lists.length-1. */
  add(firstUser: number, lists: ReadonlyArray<ArrayLike<number>>): void {
    if (firstUser < 0 || firstUser + lists.length > this.numUsers) {
      throw new Error(`evaluate: users ${firstUser}..${firstUser + lists.length - 1} out of range`);
    }
    for (let i = 0; i < lists.length; i++) {
      const u = firstUser + i;
      if (this.hasTarget[u] === 0) continue;
      const list = lists[i];
      this.ranked[u] = 1;
      const rel = this.relevant(u);
      for (const spec of this.specs) {
        if (spec.kind === "coverage") {
          for (const slice of this.slices.names) {
            if (this.slices.masks[slice][u] === 0) continue;
            const c = this.coverage.get(`${spec.name}|${slice}`)!;
            c.distinct += markSeen(c.seen, list, spec.k!);
          }
        } else {
          this.values.get(spec.name)![u] = userMetric(spec, list, rel);
        }
      }
    }
  }

  /** The result table: one row per metric and slice, metrics in the order given, then slices. */
  finish(): EvalRow[] {
    for (let u = 0; u < this.numUsers; u++) {
      if (this.hasTarget[u] !== 0 && this.ranked[u] === 0) {
        throw new Error(`evaluate: user ${u} has a target but was never ranked`);
      }
    }
    const rows: EvalRow[] = [];
    for (const spec of this.specs) {
      for (const slice of this.slices.names) {
        const mask = this.sliceMask(slice);
        let n = 0;
        for (let u = 0; u < this.numUsers; u++) n += mask[u];
        if (spec.kind === "coverage") {
          const c = this.coverage.get(`${spec.name}|${slice}`)!;
          const items = this.options.numItems - 1;
          rows.push({ metric: spec.name, slice, mean: items > 0 ? c.distinct / items : 0, low: NaN, high: NaN, n });
        } else {
          // Each slice resamples from its own fork, so a model and its baseline evaluated with the
          // same seed draw the same users in every resample (a paired comparison).
          const base = sliceResampler(this.options.bootstrap?.seed ?? 0, slice);
          const ci = bootstrapMean(this.values.get(spec.name)!, { ...this.options.bootstrap, rng: base }, mask);
          rows.push({ metric: spec.name, slice, ...ci });
        }
      }
    }
    return rows;
  }

  /** Per-user values of a per-user metric (0 where a user has no target); undefined for coverage. */
  userValues(metric: string): Float64Array | undefined {
    return this.values.get(metric);
  }

  /** The 0/1 mask of the users a slice's mean is taken over (in the slice, with a target). */
  usersOf(slice: string): Uint8Array {
    return this.sliceMask(slice);
  }

  private relevant(u: number): Relevant {
    return this.options.targets[u] as Relevant;
  }

  private sliceMask(slice: string): Uint8Array {
    const raw = this.slices.masks[slice];
    const mask = new Uint8Array(this.numUsers);
    for (let u = 0; u < this.numUsers; u++) mask[u] = raw[u] !== 0 && this.hasTarget[u] !== 0 ? 1 : 0;
    return mask;
  }
}

/** Evaluates complete per-user top-K lists (lists[u] for user u). */
export function evaluateLists(lists: ReadonlyArray<ArrayLike<number>>, options: EvaluateOptions): EvalRow[] {
  return accumulateLists(lists, options).finish();
}

/** The accumulator of complete lists, for callers that also need the per-user values. */
export function accumulateLists(lists: ReadonlyArray<ArrayLike<number>>, options: EvaluateOptions): EvalAccumulator {
  const acc = new EvalAccumulator(options);
  acc.add(0, lists);
  return acc;
}

/** Evaluates a ranker called on consecutive chunks of `chunkSize` users (default 256). */
export async function evaluateRanker(ranker: ChunkRanker, options: EvaluateOptions & { chunkSize?: number }): Promise<EvalRow[]> {
  return (await accumulateRanker(ranker, options)).finish();
}

/** The accumulator filled by a chunked ranker, for callers that also need the per-user values. */
export async function accumulateRanker(ranker: ChunkRanker, options: EvaluateOptions & { chunkSize?: number }): Promise<EvalAccumulator> {
  const acc = new EvalAccumulator(options);
  const numUsers = options.targets.length;
  const chunk = Math.max(1, options.chunkSize ?? 256);
  for (let start = 0; start < numUsers; start += chunk) {
    const count = Math.min(chunk, numUsers - start);
    const lists = await ranker(start, count);
    if (lists.length !== count) {
      throw new Error(`evaluate: ranker returned ${lists.length} lists for ${count} users`);
    }
    acc.add(start, lists);
  }
  return acc;
}

/** The largest cutoff the metrics need: how long the ranked lists must be (0 if none has one). */
export function maxCutoff(metrics: string[]): number {
  return metrics.reduce((k, name) => Math.max(k, parseMetricName(name).k ?? 0), 0);
}

/**
 * Plain-text table of model results beside a baseline (usually popularity), matched by metric and
 * slice; columns are padded to align. Values are "mean [low, high]" to `digits` decimals.
 */
export function formatComparison(
  model: EvalRow[],
  baseline: EvalRow[] | null = null,
  names: { model?: string; baseline?: string; digits?: number } = {},
): string {
  const digits = names.digits ?? 4;
  const header = ["metric", "slice", "n", names.model ?? "model"];
  if (baseline !== null) header.push(names.baseline ?? "popularity");
  const byKey = new Map((baseline ?? []).map((r) => [`${r.metric}|${r.slice}`, r]));
  const body = model.map((r) => {
    const cells = [r.metric, r.slice, String(r.n), formatValue(r, digits)];
    if (baseline !== null) {
      const b = byKey.get(`${r.metric}|${r.slice}`);
      cells.push(b === undefined ? "-" : formatValue(b, digits));
    }
    return cells;
  });
  // Text columns (metric, slice) align left; numbers align right so decimals line up.
  return textTable(header, body, 2) + "\n";
}

function formatValue(r: EvalRow, digits: number): string {
  if (Number.isNaN(r.mean)) return "-";
  const mean = r.mean.toFixed(digits);
  if (Number.isNaN(r.low) || Number.isNaN(r.high)) return mean;
  return `${mean} [${r.low.toFixed(digits)}, ${r.high.toFixed(digits)}]`;
}

function hasAny(rel: Relevant): boolean {
  if (typeof rel === "number") return rel > 0;
  for (let i = 0; i < rel.length; i++) if (rel[i] > 0) return true;
  return false;
}
