// Prints benchmark results as one table: a row per case and config, a column per backend variant
// (median and, for matmul-bound cases, achieved GFLOP/s), so variants compare side by side.
import type { BenchResult } from "./measure.js";

function cell(r: BenchResult | undefined): string {
  if (r === undefined) return "";
  if (r.n === 0) return "skipped";
  const digits = r.median >= 100 ? 0 : r.median >= 10 ? 1 : 2;
  const gf = r.gflops !== undefined && r.unit !== "GFLOP/s" ? ` (${r.gflops.toFixed(1)} GF/s)` : "";
  return `${r.median.toFixed(digits)}${gf}`;
}

export function formatTable(results: BenchResult[]): string {
  const backends = [...new Set(results.map((r) => r.backend))];
  const rows = new Map<string, BenchResult[]>();
  for (const r of results) {
    const key = `${r.case}\u0000${r.config}`;
    rows.set(key, [...(rows.get(key) ?? []), r]);
  }
  const header = ["case", "config", "unit", ...backends];
  const lines = [...rows.values()].map((rs) => [
    rs[0].case,
    rs[0].config.length > 60 ? `${rs[0].config.slice(0, 57)}...` : rs[0].config,
    rs[0].unit,
    ...backends.map((b) => cell(rs.find((r) => r.backend === b))),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [fmt(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(fmt)].join("\n");
}
