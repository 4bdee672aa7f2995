// train/rqvae: RQ-VAE training steps of the spec's RQ-VAE (256-d content vectors, encoder
// 512-256-128, latent 32, 3 levels × 256 codes, batch 1024) on fixed vectors for Beauty's 12,101 items;
// decode/beam: constrained beam search (width 20, prefix trie) of the CPU TIGER configuration over
// Beauty's catalogue with random Semantic IDs, timed per user. Weights are untrained: the search
// does the same work either way (fixed width, the trie of every item).
import * as tf from "@tensorflow/tfjs-core";
// The CPU configuration's model class, as the spec's generated program holds it.
import { RandomSidQuantizer, SidQuantizer, TigerModel } from "../../generated/tiger_beauty/model.js";
import { historiesOf } from "../../src/runtime/pipeline/evaluate-model.js";
import { readAmazon } from "../../src/runtime/data/read-amazon.js";
import { prepareInteractions } from "../../src/runtime/pipeline/prepare-data.js";
import { trainRqVae, type RqVaeTraining } from "../../src/runtime/quantizers/rqvae.js";
import { rateResult, skippedResult, timeRuns, type BenchResult } from "../lib/measure.js";
import { useVariant } from "../lib/variants.js";
import type { BenchContext } from "./context.js";

const ITEMS = 12_101;
const IN_DIM = 256;
const BATCH = 1024;

function rqvaeSteps(steps: number): RqVaeTraining {
  const optimizer = { type: "adamw", lr: 1e-3, weight_decay: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;
  return { optimizer, schedule: { type: "constant" }, epochs: null, steps, batch: BATCH, seed: 0, standardize: true, kmeansInit: true, deadCodeReset: true };
}

export async function rqvaeGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const steps = ctx.quick ? 3 : 10;
  for (const variant of ctx.variants) {
    if (variant === "cpu" || (ctx.quick && variant !== "native")) continue;
    const d = { case: "train/rqvae", backend: variant, config: `${IN_DIM}→512→256→128→32, 3 × 256 codes, batch ${BATCH}, ${ITEMS} items` };
    const unavailable = await useVariant(variant);
    if (unavailable !== undefined) {
      results.push(skippedResult(d, "examples/s", unavailable));
      continue;
    }
    const vectors = new Float32Array((ITEMS + 1) * IN_DIM);
    for (let i = IN_DIM; i < vectors.length; i++) vectors[i] = Math.sin(i * 12.9898) * 0.5;
    const features = { dim: IN_DIM, numItems: ITEMS, vectors };
    const model = new SidQuantizer(features);
    // One call trains `steps` steps (k-means initialisation on the first batch included once per call).
    const samples = await timeRuns(() => trainRqVae(model, features, rqvaeSteps(steps)), { warmup: 1, repeats: ctx.quick ? 1 : 3 });
    results.push(rateResult(d, samples, steps * BATCH, "examples/s"));
    ctx.log(`train/rqvae ${variant}: ${results.at(-1)!.median.toFixed(0)} examples/s`);
    model.dispose();
  }
  return results;
}

export async function decodeGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const users = ctx.quick ? 32 : 128;
  const store = await readAmazon("data/amazon-beauty", "Beauty");
  const data = prepareInteractions("beauty", { store }, { split: "leave_last_out", history: 20, window: 30, stride: 5, coldStart: 0, minLength: 1 });
  for (const variant of ctx.variants) {
    if (variant === "cpu" || (ctx.quick && variant !== "native")) continue;
    const d = { case: "decode/beam", backend: variant, config: `width 20, prefix trie, ${data.numItems} items, CPU TIGER (2+2 layers, d 64), ${users} users` };
    const unavailable = await useVariant(variant);
    if (unavailable !== undefined) {
      results.push(skippedResult(d, "users/s", unavailable));
      continue;
    }
    const quantizer = new RandomSidQuantizer(data.numItems);
    quantizer.table = quantizer.fit();
    const model = new TigerModel(data, quantizer);
    const histories = historiesOf(data.split.test, 0, users, data.history);
    const samples = await timeRuns(() => model.retrieval.retrieve(model, histories, users), { warmup: 1, repeats: ctx.quick ? 1 : 3 });
    results.push(rateResult(d, samples, users, "users/s"));
    ctx.log(`decode/beam ${variant}: ${results.at(-1)!.median.toFixed(1)} users/s`);
    model.dispose();
    tf.disposeVariables();
  }
  return results;
}
