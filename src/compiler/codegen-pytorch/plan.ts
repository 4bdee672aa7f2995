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
import { distillPlan, type PyDistill } from "./plan-distill.js";
import { generativePlan, type PyGenerative } from "./generative-plan.js";
import { rankingPlan, type PyRanking } from "./plan-ranking.js";
import { pyClass } from "./python.js";
import { retrievalModel, type PyRetrieval } from "./two-tower-plan.js";

export type { PyDistill } from "./plan-distill.js";
export type { PyGenerative } from "./generative-plan.js";
export type { PyRanking } from "./plan-ranking.js";
export type { PyMatrixFactorization, PyRetrieval, PyTower, PyTwoTower } from "./two-tower-plan.js";

/** The model families the PyTorch target covers, as `kind type` of their blocks. */
export const PYTORCH_FAMILIES = [
  "model sequential (SASRec)",
  "model ranking (SID ranking)",
  "distill (sequential student)",
  "model generative (TIGER)",
  "model two_tower (with its towers)",
  "model matrix_factorization",
] as const;

/** A spec the PyTorch target cannot (yet) express; the CLI reports it and exits 1. */
export class PytorchTargetError extends Error {}

export interface PySequential {
  readonly family: "sequential";
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
  /** A sampled softmax over this many uniform negatives per step while training (absent: the full softmax). */
  readonly uniformNegatives?: { readonly count: number; readonly temperature: number };
}

/** A model the package trains, by family. */
export type PyModel = PySequential | PyRanking | PyDistill | PyGenerative | PyRetrieval;

export interface PyPlan {
  readonly ir: IR;
  readonly datasets: readonly string[];
  readonly models: readonly PyModel[];
  readonly evaluations: readonly IREvaluation[];
}

const COVERED = `the PyTorch target covers ${PYTORCH_FAMILIES.join(", ")} so far`;

export function pytorchPlan(ir: IR): PyPlan {
  const datasets: string[] = [];
  const models: PyModel[] = [];
  // Models and distillations first: a tower or quantizer is named only when no model is.
  const order = [...ir.blocks].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const block of order) {
    if (block.kind === "dataset") {
      datasets.push(block.name);
    } else if (block.kind === "model" && block.type === "sequential") {
      models.push(sequential(ir, block.name));
    } else if (block.kind === "model" && block.type === "ranking") {
      models.push(rankingPlan(ir, block.name));
    } else if (block.kind === "model" && block.type === "generative") {
      models.push(generativePlan(ir, block.name, PytorchTargetError));
    } else if (block.kind === "model" && (block.type === "two_tower" || block.type === "matrix_factorization")) {
      models.push(retrievalModel(ir, block));
    } else if (block.kind === "tower" && models.some((m) => m.family === "two_tower" && (m.user.name === block.name || m.item.name === block.name))) {
      // Planned with the two-tower model that uses it.
    } else if (block.kind === "distill") {
      models.push(distillPlan(ir, block.name));
    } else if (block.kind === "features" || block.kind === "quantizer") {
      // Content vectors and Semantic IDs stay on the recspec side: prepare hands over what a ranking or generative model reads of them.
      if (!ir.blocks.some((b) => b.kind === "model" && (b.type === "ranking" || b.type === "generative"))) throw notCovered(block);
    } else {
      throw notCovered(block);
    }
  }
  // Declaration order again, so the package lists models as the spec does.
  models.sort((a, b) => ir.blocks.findIndex((x) => x.name === a.name) - ir.blocks.findIndex((x) => x.name === b.name));
  for (const e of ir.evaluations) checkEvaluation(e);
  return { ir, datasets, models, evaluations: ir.evaluations };
}

function notCovered(block: { kind: string; name: string; type: string }): PytorchTargetError {
  return new PytorchTargetError(
    `${block.kind} \`${block.name}\` (${block.type}) is not covered: ${COVERED}; compile this spec without --target to get its TypeScript program`,
  );
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
  const uniform = loss.type === "sampled_softmax" && loss.negatives === "uniform";
  if (loss.type !== "softmax" && !uniform) {
    throw new PytorchTargetError(
      `model \`${name}\` trains with ${loss.type}${loss.type === "sampled_softmax" ? ` over ${loss.negatives} negatives` : ""}: the PyTorch target trains sequential models with the full softmax or a sampled softmax over uniform negatives so far`,
    );
  }
  const train = typed(block).train;
  if (train === null) throw new Error(`internal: model ${name} has no train settings`);
  const optimizer = train.optimizer.type;
  if (optimizer !== "adam" && optimizer !== "adamw" && optimizer !== "sgd") {
    throw new PytorchTargetError(`model \`${name}\` uses the ${optimizer} optimizer: the PyTorch target covers adam, adamw and sgd so far`);
  }
  const data = ir.blocks.find((b) => b.name === refName(a.data))!;
  return {
    family: "sequential",
    name,
    cls: pyClass(name, "Model"),
    dataset: data.name,
    embedding: a.embedding,
    history: Number(data.attributes.history),
    encoder: resolvedEncoder(a.encoder, a.embedding),
    labelSmoothing: loss.type === "softmax" ? loss.label_smoothing : 0,
    positions: a.positions,
    train,
    ...(loss.type === "sampled_softmax" ? { uniformNegatives: { count: loss.count, temperature: loss.temperature } } : {}),
  };
}

function checkEvaluation(e: IREvaluation): void {
  for (const m of e.metrics) {
    // AUC needs every candidate's score: the PyTorch evaluation keeps them on the sampled protocol.
    if (m.metric === "auc" && e.candidates.type !== "sampled") {
      throw new PytorchTargetError(`evaluate ${e.model}: the PyTorch target computes auc on sampled candidates only so far`);
    }
    if (!["recall", "hr", "ndcg", "mrr", "auc"].includes(m.metric)) {
      throw new PytorchTargetError(`evaluate ${e.model}: the metric ${m.metric} is not computed by the PyTorch target yet (recall, hr, ndcg, mrr, auc are)`);
    }
  }
  for (const b of e.baselines ?? []) {
    // Item-kNN's lists are ranked by recspec prepare for the full catalogue (prepare/baselines.ts).
    if (b.type !== "popularity" && !(b.type === "item_knn" && e.candidates.type === "full"))
      throw new PytorchTargetError(
        `evaluate ${e.model}: the ${b.type} baseline is not computed by the PyTorch target yet (popularity is, and item_knn on the full catalogue)`,
      );
  }
}
