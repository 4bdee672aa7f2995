// Ranking metrics on top-K lists. Takes a user's ranked item ids (best first) and the relevant
// item(s) — the single held-out target, or every held-out item of a `ratio` or `random` split — and
// gives Recall/HR@K, NDCG@K, MRR; plus catalogue coverage@K over all users' lists, and a parser for
// metric names such as "ndcg@10". Ranks are 0-based here: the first item of a list has rank 0.
// With several relevant items (RecBole's conventions): recall@K = hits / |relevant| (so it cannot
// reach 1 when |relevant| > K), hr@K = 1 when any is in the top K, NDCG@K divides by the DCG of the
// ideal list (min(K, |relevant|) hits at the top), MRR reads the first relevant item.

export type MetricKind = "recall" | "hr" | "ndcg" | "mrr" | "coverage";

/** A parsed metric name. `k` is null only for "mrr", which then reads the whole list. */
export interface MetricSpec {
  name: string;
  kind: MetricKind;
  k: number | null;
}

/** The relevant items of one user: a single target id, or several ids. */
export type Relevant = number | ArrayLike<number>;

const METRIC_NAME = /^(recall|hr|ndcg|mrr|coverage)(?:@([1-9][0-9]*))?$/;

/** Parses "recall@10", "hr@10", "ndcg@5", "mrr", "mrr@20", "coverage@10" (case-insensitive). */
export function parseMetricName(name: string): MetricSpec {
  const m = METRIC_NAME.exec(name.trim().toLowerCase());
  if (m === null) {
    throw new Error(`unknown metric "${name}": expected recall@K, hr@K, ndcg@K, mrr, mrr@K or coverage@K`);
  }
  const kind = m[1] as MetricKind;
  const k = m[2] === undefined ? null : Number(m[2]);
  if (k === null && kind !== "mrr") throw new Error(`metric "${name}" needs a cutoff, e.g. ${kind}@10`);
  return { name: k === null ? kind : `${kind}@${k}`, kind, k };
}

/** 0-based rank of `target` among the first k entries of `list`, or -1 when it is not there. */
export function rankOf(list: ArrayLike<number>, target: number, k = list.length): number {
  const n = Math.min(k, list.length);
  for (let r = 0; r < n; r++) if (list[r] === target) return r;
  return -1;
}

/** HR@K: 1 when any relevant item is in the top K, else 0. */
export function hitAt(list: ArrayLike<number>, relevant: Relevant, k: number): number {
  return firstRelevantRank(list, relevant, k) >= 0 ? 1 : 0;
}

/**
 * Recall@K: the fraction of the (distinct) relevant items found in the top K. For a single target
 * this equals HR@K.
 */
export function recallAt(list: ArrayLike<number>, relevant: Relevant, k: number): number {
  const rel = relevantSet(relevant);
  if (rel.size === 0) return 0;
  let found = 0;
  const n = Math.min(k, list.length);
  const seen = new Set<number>();
  for (let r = 0; r < n; r++) {
    const id = list[r];
    if (rel.has(id) && !seen.has(id)) {
      seen.add(id);
      found++;
    }
  }
  return found / rel.size;
}

/** NDCG@K for one target: 1/log2(rank + 2) when it is in the top K, else 0 (its IDCG is 1). */
export function ndcgAt(list: ArrayLike<number>, target: number, k: number): number {
  const r = rankOf(list, target, k);
  return r < 0 ? 0 : 1 / Math.log2(r + 2);
}

/**
 * General NDCG@K: DCG = Σ_{r<K} gain(list[r]) / log2(r + 2), divided by the DCG of the ideal order.
 * `relevance` is either relevant ids (gain 1 each) or a map from id to a graded, linear gain.
 */
export function ndcgAtMulti(list: ArrayLike<number>, relevance: ArrayLike<number> | ReadonlyMap<number, number>, k: number): number {
  const gains = gainMap(relevance);
  const n = Math.min(k, list.length);
  let dcg = 0;
  const seen = new Set<number>();
  for (let r = 0; r < n; r++) {
    const id = list[r];
    // A repeated id earns its gain once, so a list cannot beat the ideal by repeating the target.
    if (seen.has(id)) continue;
    seen.add(id);
    const g = gains.get(id) ?? 0;
    if (g !== 0) dcg += g / Math.log2(r + 2);
  }
  const ideal = [...gains.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let r = 0; r < Math.min(k, ideal.length); r++) idcg += ideal[r] / Math.log2(r + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

/** Reciprocal rank of the first relevant item within the first k entries (default: whole list). */
export function reciprocalRank(list: ArrayLike<number>, relevant: Relevant, k = list.length): number {
  const r = firstRelevantRank(list, relevant, k);
  return r < 0 ? 0 : 1 / (r + 1);
}

/**
 * Coverage@K: the fraction of the catalogue that appears in at least one user's top K. `numItems`
 * counts ids 0..numItems-1 including the pad 0, which is neither counted nor in the denominator.
 */
export function coverageAt(lists: Iterable<ArrayLike<number>>, k: number, numItems: number): number {
  if (numItems <= 1) return 0;
  const seen = new Uint8Array(numItems);
  let distinct = 0;
  for (const list of lists) distinct += markSeen(seen, list, k);
  return distinct / (numItems - 1);
}

/**
 * Marks the non-pad ids among the first k of `list` in `seen` and returns how many were new; lets
 * coverage be accumulated chunk by chunk without keeping the lists.
 */
export function markSeen(seen: Uint8Array, list: ArrayLike<number>, k: number): number {
  let added = 0;
  const n = Math.min(k, list.length);
  for (let r = 0; r < n; r++) {
    const id = list[r];
    if (id > 0 && id < seen.length && seen[id] === 0) {
      seen[id] = 1;
      added++;
    }
  }
  return added;
}

/** The per-user value of a metric (not coverage, which is a property of the whole set of lists). */
export function userMetric(spec: MetricSpec, list: ArrayLike<number>, relevant: Relevant): number {
  const k = spec.k ?? list.length;
  switch (spec.kind) {
    case "hr":
      return hitAt(list, relevant, k);
    case "recall":
      return recallAt(list, relevant, k);
    case "ndcg":
      return typeof relevant === "number" ? ndcgAt(list, relevant, k) : ndcgAtMulti(list, relevant, k);
    case "mrr":
      return reciprocalRank(list, relevant, k);
    case "coverage":
      throw new Error("coverage is computed over all users' lists, not per user; use coverageAt");
  }
}

function firstRelevantRank(list: ArrayLike<number>, relevant: Relevant, k: number): number {
  if (typeof relevant === "number") return rankOf(list, relevant, k);
  const rel = relevantSet(relevant);
  const n = Math.min(k, list.length);
  for (let r = 0; r < n; r++) if (rel.has(list[r])) return r;
  return -1;
}

function relevantSet(relevant: Relevant): Set<number> {
  if (typeof relevant === "number") return new Set([relevant]);
  return new Set(Array.from(relevant));
}

function gainMap(relevance: ArrayLike<number> | ReadonlyMap<number, number>): Map<number, number> {
  if (isMap(relevance)) return new Map(relevance);
  const gains = new Map<number, number>();
  for (let i = 0; i < relevance.length; i++) gains.set(relevance[i], 1);
  return gains;
}

function isMap(x: ArrayLike<number> | ReadonlyMap<number, number>): x is ReadonlyMap<number, number> {
  return x instanceof Map;
}
