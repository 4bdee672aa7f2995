// The console block of paired differences under the results table. Takes an evaluation result's
// model name and rows (each with its per-baseline differences); gives one line per baseline and
// slice, e.g. "two_tower_ids − item_knn: recall@10 +.0290 [+.0120, +.0460], ndcg@10 …", or ""
// when there is no baseline to compare with.

export interface DifferenceRows {
  model: string;
  rows: { metric: string; slice: string; differences?: { name: string; mean: number; low: number; high: number }[] }[];
}

export function formatDifferences(result: DifferenceRows, digits = 4): string {
  const names: string[] = [];
  const slices: string[] = [];
  for (const r of result.rows) {
    if (!slices.includes(r.slice)) slices.push(r.slice);
    for (const d of r.differences ?? []) if (!names.includes(d.name)) names.push(d.name);
  }
  if (names.length === 0) return "";
  const lines: string[] = [];
  for (const name of names) {
    for (const slice of slices) {
      const parts = result.rows.flatMap((r) => {
        const d = r.slice === slice ? r.differences?.find((x) => x.name === name) : undefined;
        return d === undefined ? [] : [`${r.metric} ${formatDifference(d, digits)}`];
      });
      // The slice is named only when there are several, so the usual single-slice line stays short.
      const label = `${result.model} − ${name}${slices.length > 1 ? ` (${slice})` : ""}`;
      if (parts.length > 0) lines.push(`${label}: ${parts.join(", ")}`);
    }
  }
  return `paired differences (model − baseline, same bootstrap resamples):\n${lines.join("\n")}\n`;
}

/** "+.0290 [+.0120, +.0460]"; the mean alone without an interval, "-" when there is no mean. */
export function formatDifference(d: { mean: number; low: number; high: number }, digits = 4): string {
  if (Number.isNaN(d.mean)) return "-";
  const mean = signed(d.mean, digits);
  return Number.isNaN(d.low) || Number.isNaN(d.high) ? mean : `${mean} [${signed(d.low, digits)}, ${signed(d.high, digits)}]`;
}

/** Signed, without the leading zero of a value under 1: +.0290, -.0031, +1.2000. */
export function signed(v: number, digits: number): string {
  const text = Math.abs(v).toFixed(digits);
  // A value that rounds to zero gets "+" so that "-.0000" never suggests a sign it lacks.
  const sign = v < 0 && Number(text) !== 0 ? "-" : "+";
  return `${sign}${text.startsWith("0.") ? text.slice(1) : text}`;
}
