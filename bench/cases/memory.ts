// memory: peak RSS of a TIGER training step (paper size, batch 256 in micro-batches of 64; TIGER
// small in --quick mode), measured in a child process so nothing else in the suite counts.
import { spawnSync } from "node:child_process";
import { rssMb, skippedResult, type BenchResult } from "../lib/measure.js";
import type { BenchContext } from "./context.js";

export async function memoryGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const variant = ctx.variants.includes("native") ? "native" : "wasm-patched";
  const args = ctx.quick ? ["small", "64", "64", variant] : ["paper", "256", "64", variant];
  const d = { case: "memory", backend: variant, config: ctx.quick ? "train/tiger_small, batch 64" : "train/tiger, batch 256" };
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/memory-child.ts", ...args], { encoding: "utf8", timeout: 600_000 });
  const line = r.stdout.split("\n").find((l) => l.startsWith("{"));
  if (r.status !== 0 || line === undefined) return [skippedResult(d, "MiB", `child failed: ${r.stderr.split("\n").slice(-3).join(" ")}`)];
  const out = JSON.parse(line) as { peakRssMb?: number; config?: string; error?: string };
  if (out.peakRssMb === undefined) return [skippedResult(d, "MiB", out.error ?? "no result")];
  ctx.log(`memory ${variant}: peak RSS ${out.peakRssMb} MiB (${out.config})`);
  const peak = out.peakRssMb;
  return [{ ...d, config: out.config ?? d.config, n: 1, median: peak, p10: peak, p90: peak, unit: "MiB", rss_mb: rssMb() }];
}
