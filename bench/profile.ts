// Where a training step's time goes on the fastest available path: runs one TIGER (paper size and
// small), one SASRec (full softmax; the recipe's sampled softmax, gBCE and full softmax), one two-tower and one
// SID-ranking step under tf.profile and prints time per kernel, matmul GFLOP/s and
// the share of the step spent outside any kernel (JavaScript: dropout masks, autodiff
// bookkeeping). --cpu times kernels by this process's CPU time instead of the clock: on a machine
// other jobs load, clock time mostly measures waiting for a core (pair it with
// OPENBLAS_NUM_THREADS=1 so helper threads' spinning does not count). Not a test.
// Run: npx tsx bench/profile.ts [--no-native] [--only=NAME] [--cpu] [--top=KERNELS]
import * as tf from "@tensorflow/tfjs-core";
import { profileRun } from "./lib/flops.js";
import { timeRuns } from "./lib/measure.js";
import { useVariant } from "./lib/variants.js";
import { sasrecStep } from "./models/sasrec.js";
import { sasrecRecipeStep } from "./models/sasrec-recipe.js";
import { TIGER_PAPER, TIGER_SMALL, tigerStep } from "./models/tiger.js";
import { rankingStep } from "./models/ranking.js";
import { twoTowerStep } from "./models/two-tower.js";

const variant = process.argv.includes("--no-native") || (await useVariant("native")) !== undefined ? "wasm-patched" : "native";
await useVariant(variant);
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const top = Number(process.argv.find((a) => a.startsWith("--top="))?.slice("--top=".length) ?? 14);
if (process.argv.includes("--cpu")) {
  // tf.profile and the backends read the time through the platform's now().
  const platform = tf.env().platform as unknown as { now(): number };
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  platform.now = cpuMs;
  performance.now = cpuMs;
}
for (const [name, build] of [
  ["train/tiger batch 64 (paper size)", () => tigerStep(TIGER_PAPER, 64)],
  ["train/tiger_small batch 64", () => tigerStep(TIGER_SMALL, 64)],
  ["train/sasrec batch 64", () => sasrecStep(64)],
  ["train/sasrec_sampled batch 128", () => sasrecRecipeStep("sampled", 128)],
  ["train/sasrec_gbce batch 128", () => sasrecRecipeStep("gbce", 128)],
  ["train/sasrec_recipe_softmax batch 128", () => sasrecRecipeStep("softmax", 128)],
  ["train/two_tower batch 512", () => twoTowerStep(512)],
  ["train/ranking batch 1024", () => rankingStep(1024)],
] as const) {
  if (only !== undefined && !name.includes(only)) continue;
  const step = build();
  await step.step();
  const samples = await timeRuns(() => step.step(), { warmup: 1, repeats: 3 });
  const stepMs = [...samples].sort((a, b) => a - b)[1] * 1000;
  const profile = await profileRun(() => step.step());
  const inKernels = profile.kernels.reduce((s, k) => s + k.ms, 0);
  const matmulMs = profile.kernels.filter((k) => k.name === "BatchMatMul" || k.name === "_FusedMatMul").reduce((s, k) => s + k.ms, 0);
  console.log(
    `\n${name} on ${variant}: step ${stepMs.toFixed(0)} ms unprofiled, ${profile.wallMs.toFixed(0)} ms profiled; ` +
      `kernels ${inKernels.toFixed(0)} ms, outside kernels ${(100 * (1 - inKernels / profile.wallMs)).toFixed(0)}%; ` +
      `matmul ${(profile.matmulFlops / 1e9).toFixed(2)} GFLOP at ${(profile.matmulFlops / matmulMs / 1e6).toFixed(1)} GFLOP/s`,
  );
  for (const k of profile.kernels.slice(0, top)) {
    console.log(
      `  ${k.name.padEnd(22)} ${k.ms.toFixed(1).padStart(8)} ms ${String(k.calls).padStart(6)} calls ${((100 * k.ms) / profile.wallMs).toFixed(1).padStart(5)}%`,
    );
  }
  step.dispose();
}
