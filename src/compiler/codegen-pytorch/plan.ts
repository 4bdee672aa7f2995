// What the PyTorch package holds, decided before any Python is printed. Takes the IR; gives one
// entry per data set and per model with every width, rate and setting resolved (the transformer
// through the TypeScript target's own resolvedEncoder, so both targets read the IR the same way),
// and the evaluations. A block, loss, optimizer, metric or baseline the target does not cover yet
// is a PytorchTargetError that names it and says what is covered.
import type { IR, IREvaluation, TrainAttributes } from "../../ir/index.js";
import { blockOf } from "../../ir/narrow.js";
import { typed } from "../../ir/narrow.js";
import { refName } from "../codegen/blocks/block-code.js";
import { resolvedEncoder, type ResolvedEncoder } from "../codegen/blocks/encoder.js";
import { pyClass } from "./python.js";

/** The model families the PyTorch target covers, as `kind type` of their blocks. */
export const PYTORCH_FAMILIES = ["model sequential (SASRec)"] as const;

/** A spec the PyTorch target cannot (yet) express; the CLI reports it and exits 1. */
export class PytorchTargetError extends Error {}

export interface PySequential {
  readonly name: string;
  /** The nn.Module class (`SasrecModel`). */
  readonly cls: string;
  readonly dataset: string;
  readonly embedding: number;
  /** History length T: inputs are the last T items. */
  readonly history: number;
  readonly encoder: ResolvedEncoder;
  /** Label smoothing ε of the softmax loss while training. */
  readonly labelSmoothing: number;
  readonly positions: "all" | "last";
  readonly train: TrainAttributes;
}

export interface PyPlan {
  readonly ir: IR;
  readonly datasets: readonly string[];
  readonly models: readonly PySequential[];
  readonly evaluations: readonly IREvaluation[];
}

const COVERED = `the PyTorch target covers ${PYTORCH_FAMILIES.join(", ")} so far`;

export function pytorchPlan(ir: IR): PyPlan {
  const datasets: string[] = [];
  const models: PySequential[] = [];
  // Models and distillations first: a tower or quantizer is named only when no model is.
  const order = [...ir.blocks].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const block of order) {
    if (block.kind === "dataset") {
      datasets.push(block.name);
    } else if (block.kind === "model" && block.type === "sequential") {
      models.push(sequential(ir, block.name));
    } else {
      throw new PytorchTargetError(
        `${block.kind} \`${block.name}\` (${block.type}) is not covered: ${COVERED}; compile this spec without --target to get its TypeScript program`,
      );
    }
  }
  // Declaration order again, so the package lists models as the spec does.
  models.sort((a, b) => ir.blocks.findIndex((x) => x.name === a.name) - ir.blocks.findIndex((x) => x.name === b.name));
  for (const e of ir.evaluations) checkEvaluation(e);
  return { ir, datasets, models, evaluations: ir.evaluations };
}

function rank(kind: string): number {
  return kind === "model" || kind === "distill" ? 0 : 1;
}

function sequential(ir: IR, name: string): PySequential {
  const block = blockOf(
    ir.blocks.find((b) => b.name === name)!,
    "model",
    "sequential",
  );
  const a = block.attributes;
  const loss = a.loss;
  if (loss.type !== "softmax") {
    throw new PytorchTargetError(`model \`${name}\` trains with ${loss.type}: the PyTorch target trains sequential models with the full softmax so far`);
  }
  const train = typed(block).train;
  if (train === null) throw new Error(`internal: model ${name} has no train settings`);
  const optimizer = train.optimizer.type;
  if (optimizer !== "adam" && optimizer !== "adamw" && optimizer !== "sgd") {
    throw new PytorchTargetError(`model \`${name}\` uses the ${optimizer} optimizer: the PyTorch target covers adam, adamw and sgd so far`);
  }
  const data = ir.blocks.find((b) => b.name === refName(a.data))!;
  return {
    name,
    cls: pyClass(name, "Model"),
    dataset: data.name,
    embedding: a.embedding,
    history: Number(data.attributes.history),
    encoder: resolvedEncoder(a.encoder, a.embedding),
    labelSmoothing: loss.label_smoothing,
    positions: a.positions,
    train,
  };
}

function checkEvaluation(e: IREvaluation): void {
  for (const m of e.metrics) {
    if (!["recall", "hr", "ndcg", "mrr"].includes(m.metric)) {
      throw new PytorchTargetError(`evaluate ${e.model}: the metric ${m.metric} is not computed by the PyTorch target yet (recall, hr, ndcg, mrr are)`);
    }
  }
  for (const b of e.baselines ?? []) {
    if (b.type !== "popularity")
      throw new PytorchTargetError(`evaluate ${e.model}: the ${b.type} baseline is not computed by the PyTorch target yet (popularity is)`);
  }
}
