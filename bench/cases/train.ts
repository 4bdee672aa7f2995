// train/tiger (paper size and small), train/sasrec (full softmax), train/sasrec_sampled,
// train/sasrec_gbce and train/sasrec_recipe_softmax (the SASRec recipe's step with sampled softmax,
// with gBCE, and with the full softmax over the catalogue), train/two_tower,
// train/ranking: examples/s of whole training steps (forward, backward, Adam) per backend variant,
// with the achieved GFLOP/s of their matrix products (counted once per model with tf.profile, see
// lib/flops.ts).
import { profileRun } from "../lib/flops.js";
import { rateResult, skippedResult, timeRuns, type BenchResult } from "../lib/measure.js";
import { useVariant, type Variant } from "../lib/variants.js";
import { sasrecStep } from "../models/sasrec.js";
import { sasrecRecipeStep } from "../models/sasrec-recipe.js";
import { TIGER_PAPER, TIGER_SMALL, tigerStep } from "../models/tiger.js";
import type { TrainStep } from "../models/train-step.js";
import { rankingStep } from "../models/ranking.js";
import { twoTowerStep } from "../models/two-tower.js";
import type { BenchContext } from "./context.js";

interface TrainCase {
  name: string;
  /** Builds the step for a variant; slow variants may get a smaller batch (said in the config). */
  build(variant: Variant, quick: boolean): TrainStep;
  /** Variants measured in --quick mode. */
  quickVariants: Variant[];
  /** Left out entirely in --quick mode. */
  full?: boolean;
}

const isSlow = (v: Variant) => v === "wasm-stock" || v === "wasm-patched";

export const TRAIN_CASES: TrainCase[] = [
  {
    // Batch 256 does not fit the 4 GiB wasm heap in one pass (≈ 2.8 GiB at 64): micro-batches of 64.
    // The slower variants run one micro-batch (64) per step so the suite finishes in minutes.
    name: "train/tiger",
    build: (v) => (isSlow(v) ? tigerStep(TIGER_PAPER, 64) : tigerStep(TIGER_PAPER, 256, 64)),
    quickVariants: [],
    full: true,
  },
  {
    name: "train/tiger_small",
    build: (v, quick) => (quick || isSlow(v) ? tigerStep(TIGER_SMALL, 64) : tigerStep(TIGER_SMALL, 256, 128)),
    quickVariants: ["wasm-patched", "native"],
  },
  {
    name: "train/sasrec",
    build: (v, quick) => (quick || isSlow(v) ? sasrecStep(64) : sasrecStep(256, 128)),
    quickVariants: ["native"],
  },
  {
    name: "train/sasrec_sampled",
    build: () => sasrecRecipeStep("sampled", 128),
    quickVariants: ["native"],
  },
  {
    name: "train/sasrec_gbce",
    build: () => sasrecRecipeStep("gbce", 128),
    quickVariants: ["native"],
  },
  {
    name: "train/sasrec_recipe_softmax",
    build: () => sasrecRecipeStep("softmax", 128),
    quickVariants: ["native"],
  },
  {
    name: "train/two_tower",
    build: () => twoTowerStep(512),
    quickVariants: ["native"],
  },
  {
    name: "train/ranking",
    build: () => rankingStep(1024),
    quickVariants: ["native"],
  },
];

export async function trainGroup(ctx: BenchContext): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const c of TRAIN_CASES) {
    if (ctx.quick && c.full === true) continue;
    const flopsPerExample = new Map<string, number>();
    for (const variant of ctx.variants) {
      if (variant === "cpu") continue; // minutes per step: reference only
      if (ctx.quick && !c.quickVariants.includes(variant)) continue;
      const unavailable = await useVariant(variant);
      const step = unavailable === undefined ? c.build(variant, ctx.quick) : undefined;
      const d = { case: c.name, backend: variant, config: step?.config ?? "" };
      if (step === undefined) {
        results.push(skippedResult(d, "examples/s", unavailable ?? ""));
        continue;
      }
      try {
        await step.step(); // warm-up: builds variables, optimizer slots, kernels
        // Matmul work per example depends only on the model; count it once (profiling is slow).
        let perExample = flopsPerExample.get(step.config.replace(/, batch.*$/, ""));
        if (perExample === undefined) {
          perExample = (await profileRun(() => step.step())).matmulFlops / step.examples;
          flopsPerExample.set(step.config.replace(/, batch.*$/, ""), perExample);
        }
        const slow = isSlow(variant) && c.name === "train/tiger";
        const samples = await timeRuns(() => step.step(), {
          warmup: 0,
          repeats: ctx.quick ? 2 : slow ? 2 : 5,
          budgetSeconds: ctx.quick ? 6 : 60,
        });
        const r = rateResult(d, samples, step.examples, "examples/s", perExample * step.examples);
        results.push(r);
        ctx.log(`${c.name} ${variant}: ${r.median.toFixed(1)} examples/s, ${r.gflops?.toFixed(1)} GFLOP/s (${step.config})`);
      } finally {
        step.dispose();
      }
    }
  }
  return results;
}
