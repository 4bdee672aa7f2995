// Decides what the generated program does with each IR block, before any code is printed: which
// blocks load data, which build and train models (and from what), which the runtime cannot run yet.
// Takes the IR; gives a plan the file emitters walk, with every identifier already allocated.
import type { IR, IRBlock, IREvaluation } from "../ir.js";
import { camel, Names, pascal, variableName } from "./names.js";

export type Step =
  | { readonly kind: "data"; readonly block: IRBlock; readonly config: string; readonly variable: string; readonly loader: string }
  // Every step's `variable` is also its key in the generated `Blocks` object.
  | {
      readonly kind: "model";
      readonly block: IRBlock;
      readonly config: string;
      readonly variable: string;
      readonly builder: string;
      /** Runtime constructor and the expressions passed to it, in order (`blocks.x` for configs). */
      readonly runtime: string;
      readonly args: readonly string[];
      readonly params: readonly { name: string; type: string }[];
    }
  | { readonly kind: "config"; readonly block: IRBlock; readonly config: string; readonly variable: string }
  | { readonly kind: "unsupported"; readonly block: IRBlock; readonly config: string; readonly variable: string; readonly reason: string };

export interface Plan {
  readonly ir: IR;
  readonly steps: readonly Step[];
  readonly evaluations: readonly { evaluation: IREvaluation; model: string; data: string }[];
  readonly names: Names;
}

/** Block types the runtime can run today, and why the others wait. */
const NOT_YET: Record<string, string> = {
  features: "content features are computed by the Semantic-ID work (TIGER issue)",
  quantizer: "quantizers (RQ-VAE, random IDs, LSH) arrive with the TIGER issue",
  generative: "generative retrieval (TIGER) is not implemented yet",
  ranking: "the Semantic-ID ranking model is not implemented yet",
  distill: "knowledge distillation is not implemented yet",
};

export function plan(ir: IR): Plan {
  const names = new Names();
  const steps: Step[] = [];
  const modelVar = new Map<string, string>();
  const dataVar = new Map<string, string>();
  const configOf = (name: string) => names.get("config", name, (n) => `${camel(n)}Config`);

  const keyOf = (name: string) => names.get("var", name, variableName);
  for (const block of ir.blocks) {
    const config = configOf(block.name);
    const variable = keyOf(block.name);
    if (block.kind === "dataset") {
      dataVar.set(block.name, variable);
      steps.push({ kind: "data", block, config, variable, loader: names.get("load", block.name, (n) => `load${pascal(n)}`) });
    } else if (block.kind === "tower") {
      // Towers are parts of a two-tower model: their configuration is passed to it.
      steps.push({ kind: "config", block, config, variable });
    } else if (block.kind === "model" && (block.type === "sequential" || block.type === "two_tower")) {
      modelVar.set(block.name, variable);
      const data = dataVar.get(block.dataset)!;
      const builder = names.get("build", block.name, (n) => `build${pascal(n)}`);
      const params = [{ name: "blocks", type: "Blocks" }, { name: data, type: "PreparedData" }];
      if (block.type === "sequential") {
        steps.push({ kind: "model", block, config, variable, builder, runtime: "buildSequential", args: [`blocks.${variable}`, data], params });
      } else {
        const user = keyOf(refName(block.attributes.user));
        const item = keyOf(refName(block.attributes.item));
        steps.push({
          kind: "model",
          block,
          config,
          variable,
          builder,
          runtime: "buildTwoTower",
          args: [`blocks.${variable}`, `{ user: blocks.${user}, item: blocks.${item} }`, data],
          params,
        });
      }
    } else {
      const reason = NOT_YET[block.kind] ?? NOT_YET[block.type] ?? `${block.kind} \`${block.type}\` is not implemented yet`;
      steps.push({ kind: "unsupported", block, config, variable, reason });
    }
  }
  const evaluations = ir.evaluations
    .filter((e) => modelVar.has(e.model))
    .map((evaluation) => ({ evaluation, model: modelVar.get(evaluation.model)!, data: dataVar.get(evaluation.dataset)! }));
  return { ir, steps, evaluations, names };
}

function refName(value: unknown): string {
  return (value as { ref: string }).ref;
}
