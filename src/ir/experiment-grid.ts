// The parts of an experiment's expansion that need no compiler: the configurations of its `vary`
// grid, the seed overrides of a seed, and the evaluations a cell runs so its report can be made.
// Takes IR experiments, blocks and evaluations; gives labels, `--set` texts and extended evaluations.
import type { IRBlock, IREvaluation, IRExperiment } from "./ir.js";

export interface GridConfiguration {
  /** Label per varied attribute (its target without the block name) → the value as written. */
  readonly config: Record<string, string>;
  /** `target=value` overrides that make this configuration from the spec. */
  readonly sets: string[];
}

/** Every combination of the `vary` values, in spec order (the last `vary` changes fastest). */
export function gridConfigurations(experiment: Pick<IRExperiment, "vary">): GridConfiguration[] {
  let out: GridConfiguration[] = [{ config: {}, sets: [] }];
  for (const v of experiment.vary) {
    // A param's target has no block prefix: its label is the param's name.
    const label = v.target.split(".").slice(1).join(".") || v.target;
    out = out.flatMap((c) => v.texts.map((text) => ({ config: { ...c.config, [label]: text }, sets: [...c.sets, `${v.target}=${text}`] })));
  }
  return out;
}

/** Overrides that give seed number `s`: every training seed, and synthetic data seeds, offset by `s`. */
export function seedSets(blocks: readonly IRBlock[], s: number): string[] {
  const sets: string[] = [];
  for (const b of blocks) {
    if (b.train) sets.push(`${b.name}.train.seed=${Number(b.train.seed) + s}`);
    if (b.kind === "dataset" && b.type === "synthetic") sets.push(`${b.name}.seed=${Number(b.attributes.seed) + s}`);
  }
  return sets;
}

/** The evaluations, each extended to compute every metric and slice the experiment's report asks for. */
export function reportEvaluations(report: IRExperiment["report"], evaluations: readonly IREvaluation[]): IREvaluation[] {
  return evaluations.map((e) => {
    const metrics = [...e.metrics];
    const slices = [...e.slices];
    for (const r of report) {
      if (!metrics.some((m) => m.metric === r.metric && m.k === r.k)) metrics.push({ metric: r.metric, k: r.k });
      if (r.by && !slices.some((s) => s.type === r.by!.type)) slices.push(r.by);
    }
    return { ...e, metrics, slices };
  });
}
