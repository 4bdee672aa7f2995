// Number formatting for report tables. Takes a mean and interval bounds; gives "0.1234 [0.1100,
// 0.1350]", or just the mean when the bounds are missing (NaN/null), or "–" when the mean is.

/** True for a real number (metrics.jsonl writes non-finite values as null). */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

export function formatNumber(x: number | null | undefined, digits = 4): string {
  return isFiniteNumber(x) ? x.toFixed(digits) : "–";
}

export function formatInterval(value: { mean: number | null; low: number | null; high: number | null }, digits = 4): string {
  if (!isFiniteNumber(value.mean)) return "–";
  const mean = value.mean.toFixed(digits);
  if (!isFiniteNumber(value.low) || !isFiniteNumber(value.high)) return mean;
  return `${mean} [${value.low.toFixed(digits)}, ${value.high.toFixed(digits)}]`;
}
