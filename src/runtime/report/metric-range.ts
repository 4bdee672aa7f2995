// The range a metric's value can take, and intervals clamped to it. Every metric recspec reports
// (recall, hr, ndcg, mrr, auc, coverage, precision, …@K) is a share in [0, 1], but a mean ± t·s/√n
// over a few seeds can reach past either end (−0.002 for a tail slice near zero), which no
// configuration can score. Takes a metric name ("ndcg@10") and an interval; gives it clamped.
import type { IntervalValue } from "./report-data.js";

/** Metrics whose every value is a share in [0, 1]. */
const SHARES = new Set(["recall", "hr", "ndcg", "mrr", "auc", "coverage", "precision", "map"]);

/** [low, high] of a metric's values: [0, 1] for the shares, unbounded for a name not known here. */
export function metricRange(metric: string): readonly [number, number] {
  const name = metric.replace(/@.*$/, "");
  return SHARES.has(name) ? [0, 1] : [-Infinity, Infinity];
}

/** The interval with its bounds kept inside the metric's range (NaN bounds stay NaN: no interval). */
export function clampToMetricRange<T extends IntervalValue>(metric: string, value: T): T {
  const [lo, hi] = metricRange(metric);
  const clamp = (x: number) => (Number.isNaN(x) ? x : Math.min(hi, Math.max(lo, x)));
  return { ...value, low: clamp(value.low), high: clamp(value.high) };
}
