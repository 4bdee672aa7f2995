/**
 * Generated from specs/two_tower_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * The program's entry: `recspec run|train|eval` call `main`.
 */
import { finishRun, startRun, type RunOptions } from "recspec/runtime";
import { evaluate, restore } from "./infer.js";
import { train } from "./train.js";

/** Trains (or restores, with `stage: "eval"`), evaluates and writes the run's report. */
export async function main(options: RunOptions): Promise<void> {
  const run = await startRun("two_tower_beauty", options);
  const trained = options.stage === "eval" ? await restore(run) : await train(run);
  const results = options.stage === "train" ? [] : await evaluate(run, trained);
  await finishRun(run, results);
}
