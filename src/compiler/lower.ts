// Phase 3, lowering: analysis → IR. Pure data shuffling: every check happened before, so this
// cannot fail; the emitted IR is then validated against ir.schema.json. Experiment cells are
// analyzed by the caller (compile.ts) and lowered here with the same functions as the spec itself.
import { dependencies, type Analysis } from "./check/index.js";
import type { CheckedExperiment } from "./check/blocks.js";
import type { Value } from "./check/types.js";
import { IR_VERSION, type IR, type IRBlock, type IRCell, type IREvaluation, type IRExperiment } from "../ir/index.js";

/** Epochs when a train block sets neither `epochs` nor `steps`. */
export const DEFAULT_EPOCHS = 10;

/** `cellsOf(experiment)`: the experiment's expanded cells (see compile.ts). */
export function lower(analysis: Analysis, source: string, cellsOf: (experiment: CheckedExperiment) => IRCell[] = () => []): IR {
  const experiments: IRExperiment[] = analysis.experiments.map((x) => ({
    name: x.name,
    vary: x.vary,
    seeds: x.attributes.seeds as number,
    report: x.attributes.report as IRExperiment["report"],
    evaluate_on: x.attributes.evaluate_on as IRExperiment["evaluate_on"],
    cells: cellsOf(x),
  }));
  return {
    irVersion: IR_VERSION,
    spec: analysis.spec,
    source,
    params: analysis.params,
    blocks: lowerBlocks(analysis),
    evaluations: lowerEvaluations(analysis),
    experiments,
  };
}

export function lowerBlocks(analysis: Analysis): IRBlock[] {
  return analysis.blocks.map((d) => ({
    name: d.block.name,
    kind: d.block.kind,
    type: d.block.type,
    attributes: d.attributes,
    train: d.block.train ? withDefaultLength(d.block.train) : null,
    dataset: d.facts.dataset,
    shapes: d.shapes,
    dependsOn: dependencies(d.block),
  }));
}

export function lowerEvaluations(analysis: Analysis): IREvaluation[] {
  return analysis.evaluations.map((e) => ({
    model: e.model,
    dataset: e.split.dataset,
    split: e.split.split as IREvaluation["split"],
    metrics: e.attributes.metrics as IREvaluation["metrics"],
    slices: e.attributes.slices as IREvaluation["slices"],
    candidates: e.attributes.candidates as IREvaluation["candidates"],
    exclude_history: e.attributes.exclude_history as boolean,
    baseline: e.attributes.baseline as boolean,
    baselines: e.attributes.baselines as IREvaluation["baselines"],
    bootstrap: e.attributes.bootstrap as number,
  }));
}

function withDefaultLength(train: Record<string, Value>): Record<string, Value> {
  if (train.epochs === null && train.steps === null) return { ...train, epochs: DEFAULT_EPOCHS };
  return train;
}
