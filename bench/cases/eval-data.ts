// eval/full_rank: top-100 over 12,102 items for 1,000 users (src/runtime/eval topKByDotProduct);
// data/load: read and index the Amazon Beauty interactions and items (src/runtime/data readAmazon).
import * as tf from "@tensorflow/tfjs-core";
import { readAmazon } from "../../src/runtime/data/read-amazon.js";
import { topKByDotProduct } from "../../src/runtime/eval/top-k.js";
import { msResult, rateResult, skippedResult, timeRuns, type BenchResult } from "../lib/measure.js";
import { useVariant } from "../lib/variants.js";
import { SASREC_ITEMS } from "../models/sasrec.js";
import type { BenchContext } from "./context.js";

const USERS = 1000;
const DIM = 64;

export async function evalGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const variant of ctx.variants) {
    if (variant === "cpu" || (ctx.quick && variant !== "native")) continue;
    const d = { case: "eval/full_rank", backend: variant, config: `top-100, ${USERS} users × ${SASREC_ITEMS} items, d ${DIM}` };
    const unavailable = await useVariant(variant);
    if (unavailable !== undefined) {
      results.push(skippedResult(d, "users/s", unavailable));
      continue;
    }
    const users = tf.randomNormal([USERS, DIM]) as tf.Tensor2D;
    const items = tf.randomNormal([SASREC_ITEMS, DIM]) as tf.Tensor2D;
    const samples = await timeRuns(() => topKByDotProduct(users, items, 100), { warmup: 1, repeats: ctx.quick ? 2 : 5 });
    results.push(rateResult(d, samples, USERS, "users/s", 2 * USERS * SASREC_ITEMS * DIM));
    ctx.log(`eval/full_rank ${variant}: ${results.at(-1)!.median.toFixed(0)} users/s`);
    tf.dispose([users, items]);
  }
  return results;
}

export async function dataGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const d = { case: "data/load", backend: "node", config: "readAmazon data/amazon-beauty Beauty" };
  try {
    const samples = await timeRuns(() => readAmazon("data/amazon-beauty", "Beauty"), { warmup: 1, repeats: ctx.quick ? 2 : 5 });
    return [msResult(d, samples)];
  } catch (error) {
    return [skippedResult(d, "ms", error instanceof Error ? error.message : String(error))];
  }
}
