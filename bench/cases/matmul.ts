// matmul/<n>: float32 n×n products, plain and with a transposed operand, on each backend variant;
// reported as GFLOP/s (2n³ per product).
import * as tf from "@tensorflow/tfjs-core";
import { rateResult, skippedResult, timeRuns, type BenchResult } from "../lib/measure.js";
import { useVariant } from "../lib/variants.js";
import type { BenchContext } from "./context.js";

const FORMS: [string, boolean, boolean][] = [
  ["a·b", false, false],
  ["a·bᵀ", false, true],
  ["aᵀ·b", true, false],
];

export async function matmulGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const sizes = ctx.quick ? [256, 512] : [256, 512, 1024];
  for (const variant of ctx.variants) {
    const unavailable = await useVariant(variant);
    for (const n of sizes) {
      for (const [form, ta, tb] of FORMS) {
        const d = { case: `matmul/${n}`, backend: variant, config: form };
        if (unavailable !== undefined) {
          results.push(skippedResult(d, "GFLOP/s", unavailable));
          continue;
        }
        if (variant === "cpu" && n > 512) {
          results.push(skippedResult(d, "GFLOP/s", "cpu backend too slow at this size"));
          continue;
        }
        const a = tf.randomNormal([n, n]);
        const b = tf.randomNormal([n, n]);
        const flops = 2 * n ** 3;
        // Several products per sample at small n, so timer resolution and call overhead stay small.
        const inner = Math.max(1, Math.round(2e9 / flops / (variant === "cpu" ? 50 : 1)));
        const run = () => {
          for (let i = 0; i < inner; i++) {
            const out = tf.matMul(a, b, ta, tb);
            out.dataSync();
            out.dispose();
          }
        };
        const slow = variant === "cpu" || variant === "wasm-stock";
        const samples = await timeRuns(run, { warmup: 1, repeats: ctx.quick ? 3 : slow ? 5 : 10, budgetSeconds: ctx.quick ? 2 : 8 });
        const r = rateResult(d, samples, (flops * inner) / 1e9, "GFLOP/s");
        r.gflops = r.median;
        results.push(r);
        ctx.log(`matmul/${n} ${form} ${variant}: ${r.median.toFixed(1)} GFLOP/s`);
        tf.dispose([a, b]);
      }
    }
  }
  return results;
}
