// train/rqvae: RQ-VAE training steps at the paper's dimensions (768-d inputs, encoder 512-256-128,
// latent 32, 3 levels × 256 codes, batch 1024) on random vectors for Beauty's 12,101 items;
// decode/beam: constrained beam search (width 20, prefix trie) of the CPU TIGER configuration over
// Beauty's catalogue with random Semantic IDs, timed per user. Weights are untrained: the search
// does the same work either way (fixed width, the trie of every item).
import * as tf from "@tensorflow/tfjs-core";
// The CPU configuration's model class, as the spec's generated program holds it.
import { TigerModel } from "../../generated/tiger_beauty/model.js";
import { historiesOf } from "../../src/runtime/pipeline/evaluate-model.js";
import type { TrainSpec } from "../../src/runtime/pipeline/specs.js";
import { prepareDataset } from "../../src/runtime/pipeline/prepare-data.js";
import { createQuantizer } from "../../src/runtime/quantizers/quantizer.js";
import { RqVae, type RqVaeConfig } from "../../src/runtime/quantizers/rqvae.js";
import { rateResult, skippedResult, timeRuns, type BenchResult } from "../lib/measure.js";
import { useVariant } from "../lib/variants.js";
import type { BenchContext } from "./context.js";

const ITEMS = 12_101;
const IN_DIM = 768;
const BATCH = 1024;

const RQVAE: RqVaeConfig = {
  encoder: { type: "mlp", layers: [512, 256, 128], activation: "relu", dropout: 0 },
  latent: 32,
  levels: 3,
  codebook: 256,
  collisions: "suffix_token",
  seed: 0,
  beta: 0.25,
  init: "kmeans",
  standardize: true,
  dead_code_reset: true,
};

function rqvaeSteps(steps: number): TrainSpec {
  return {
    optimizer: { type: "adamw", lr: 1e-3, weight_decay: 1e-4 },
    schedule: { type: "constant" },
    epochs: null,
    steps,
    batch: BATCH,
    seed: 0,
  } as unknown as TrainSpec;
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
    const model = new RqVae(RQVAE, IN_DIM);
    // One call trains `steps` steps (k-means initialisation on the first batch included once per call).
    const samples = await timeRuns(() => model.train(features, rqvaeSteps(steps)), { warmup: 1, repeats: ctx.quick ? 1 : 3 });
    results.push(rateResult(d, samples, steps * BATCH, "examples/s"));
    ctx.log(`train/rqvae ${variant}: ${results.at(-1)!.median.toFixed(0)} examples/s`);
    model.dispose();
  }
  return results;
}

export async function decodeGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const users = ctx.quick ? 32 : 128;
  const data = await prepareDataset({ name: "beauty", type: "amazon", attributes: { dir: "data/amazon-beauty", name: "Beauty", history: 20 } }, { baseDir: "." });
  for (const variant of ctx.variants) {
    if (variant === "cpu" || (ctx.quick && variant !== "native")) continue;
    const d = { case: "decode/beam", backend: variant, config: `width 20, prefix trie, ${data.numItems} items, CPU TIGER (2+2 layers, d 64), ${users} users` };
    const unavailable = await useVariant(variant);
    if (unavailable !== undefined) {
      results.push(skippedResult(d, "users/s", unavailable));
      continue;
    }
    const quantizer = createQuantizer("random_sid", "random_ids", { levels: 3, codebook: 256, collisions: "suffix_token", seed: 0 }, null);
    quantizer.fit({ features: null, numItems: data.numItems, train: null, options: {} });
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
