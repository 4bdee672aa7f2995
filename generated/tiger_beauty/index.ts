/**
 * Generated from specs/tiger_beauty.recspec by recspec — do not edit (run `recspec compile` again).
 * The program's entry: `recspec run|train|eval` call `main`; experiments call `trainAndEvaluate`.
 */
import {
  finishRun,
  startRun,
  type BlockSpec,
  type EvaluationResult,
  type ProgramEvaluation,
  type Run,
  type RunOptions,
} from "recspec/runtime";
import { evaluate, restore } from "./infer.js";
import { type Blocks } from "./model.js";
import { train } from "./train.js";

/** Trains (or restores, with `stage: "eval"`), evaluates and writes the run's report. */
export async function main(options: RunOptions): Promise<Run> {
  const run = await startRun("tiger_beauty", options);
  const trained = options.stage === "eval" ? await restore(run) : await train(run);
  const results = options.stage === "train" ? [] : await evaluate(run, trained);
  await finishRun(run, results);
  return run;
}

/** An experiment cell's `Blocks`, from its blocks by spec name. */
export function blocksOf(byName: Record<string, BlockSpec>): Blocks {
  return {
    beauty: byName["beauty"],
    content: byName["content"],
    sid: byName["sid"],
    randomSid: byName["random_sid"],
    lshSid: byName["lsh_sid"],
    tiger: byName["tiger"],
    sasrec: byName["sasrec"],
  };
}

/** One cell of an experiment: trains `blocks` from scratch in `run`, evaluates, frees the models. */
export async function trainAndEvaluate(
  run: Run,
  blocks: Blocks,
  evaluations: ProgramEvaluation[],
): Promise<EvaluationResult[]> {
  const trained = await train(run, blocks);
  try {
    return await evaluate(run, trained, evaluations);
  } finally {
    trained.sid.dispose();
    trained.randomSid.dispose();
    trained.lshSid.dispose();
    trained.tiger.dispose();
    trained.sasrec.dispose();
  }
}
