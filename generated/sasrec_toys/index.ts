/**
 * Generated from specs/sasrec_toys.recspec by recspec. Edit freely and run with `recspec exec`; `recspec compile` regenerates it.
 * The program's entry: `recspec run|train|eval|exec` call `main`; an experiment cell calls `trainAndEvaluate`.
 * recspec content hash: sha256:8da27a0fa4db36a0 — recspec overwrites this file only while it is unedited
 */
import {
  finishRun,
  runIfMain,
  startRun,
  type EvaluationResult,
  type IREvaluation,
  type Run,
  type RunOptions,
} from "recspec/runtime";
import { evaluate, restore } from "./infer.js";
import { specEvaluations } from "./model.js";
import { train } from "./train.js";

/** Trains (or restores, with `stage: "eval"`), evaluates, writes the run's report and frees the models. */
export async function main(options: RunOptions): Promise<Run> {
  const run = await startRun("sasrec_toys", options);
  const trained = options.stage === "eval" ? await restore(run) : await train(run);
  try {
    const results = options.stage === "train" ? [] : await evaluate(run, trained);
    await finishRun(run, results);
  } finally {
    trained.sasrec.dispose();
  }

  return run;
}

/** One experiment cell (this program is compiled for it): trains from scratch in `run`, evaluates, frees the models. */
export async function trainAndEvaluate(
  run: Run,
  evaluations: IREvaluation[] = specEvaluations,
): Promise<EvaluationResult[]> {
  const trained = await train(run);
  try {
    return await evaluate(run, trained, evaluations);
  } finally {
    trained.sasrec.dispose();
  }
}

// Run as a script (`npx tsx index.ts [--stage train|eval] [--resume] [--runs DIR]`): calls main.
runIfMain(import.meta, main);
