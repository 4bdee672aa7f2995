// The retrieval families of the PyTorch target, planned: `two_tower` models with their towers
// (user ids with side features, item ids with genres/attributes, a transformer sequence encoder, a
// multi-interest tower) and `matrix_factorization`. Takes the IR and a model block; gives every
// width, head count, loss and weighting resolved as the TypeScript target reads them (the
// sequence encoder through its own resolvedEncoder), or a PytorchTargetError naming what is not
// covered (tower MLPs, the interest-disagreement regulariser, drawn negatives with early stopping
// on the loss or with IDW).
import type { BprLoss, IdwWeighting, SampledSoftmaxLoss, SoftmaxLoss } from "../../ir/attributes.generated.js";
import type { IR, IRBlock, TrainAttributes } from "../../ir/index.js";
import { blockOf, typed } from "../../ir/narrow.js";
import { refName } from "../codegen/blocks/block-code.js";
import { resolvedEncoder, type ResolvedEncoder } from "../codegen/blocks/encoder.js";
import { PytorchTargetError } from "./plan.js";
import { pyClass } from "./python.js";

/** One tower of a two-tower model. */
export type PyTower =
  | { readonly type: "user_tower"; readonly name: string; readonly embedding: number; readonly dim: number; readonly features: readonly string[] }
  | { readonly type: "item_tower"; readonly name: string; readonly embedding: number; readonly dim: number; readonly features: readonly string[] }
  | {
      readonly type: "multi_interest";
      readonly name: string;
      readonly embedding: number;
      readonly dim: number;
      readonly interests: number;
      readonly layers: number;
      readonly heads: number;
      readonly dropout: number;
      readonly history: number;
    }
  | {
      readonly type: "sequence_encoder";
      readonly name: string;
      readonly embedding: number;
      readonly dim: number;
      readonly encoder: ResolvedEncoder;
      readonly history: number;
    };

export interface PyTwoTower {
  readonly family: "two_tower";
  readonly name: string;
  /** The nn.Module class (`MurModel`). */
  readonly cls: string;
  readonly dataset: string;
  readonly user: PyTower;
  readonly item: PyTower;
  /** Vectors per user (1 unless a multi-interest tower). */
  readonly interests: number;
  readonly score: "dot" | "max_interest";
  readonly loss: SoftmaxLoss | SampledSoftmaxLoss;
  /** Per-example weights: none, prepared per item (inverse frequency), or IDW's phases. */
  readonly weighting: "none" | "inverse_frequency" | "idw";
  /** `idw(...)`'s settings, every default explicit (null unless weighting is idw). */
  readonly idw: IdwWeighting | null;
  readonly train: TrainAttributes;
}

export interface PyMatrixFactorization {
  readonly family: "matrix_factorization";
  readonly name: string;
  readonly cls: string;
  readonly dataset: string;
  readonly dim: number;
  readonly loss: BprLoss | SoftmaxLoss;
  readonly train: TrainAttributes;
}

export type PyRetrieval = PyTwoTower | PyMatrixFactorization;

/** A `two_tower` or `matrix_factorization` model block, planned. */
export function retrievalModel(ir: IR, block: IRBlock): PyRetrieval {
  const train = typed(block).train;
  if (train === null) throw new Error(`internal: model ${block.name} has no train settings`);
  const optimizer = train.optimizer.type;
  if (optimizer !== "adam" && optimizer !== "adamw" && optimizer !== "sgd") {
    throw new PytorchTargetError(`model \`${block.name}\` uses the ${optimizer} optimizer: the PyTorch target covers adam, adamw and sgd so far`);
  }
  if (block.type === "matrix_factorization") {
    const a = blockOf(block, "model", "matrix_factorization").attributes;
    if (a.loss.type !== "bpr" && a.loss.type !== "softmax") throw new Error(`internal: matrix factorisation ${block.name} trains with ${a.loss.type}`);
    if (a.loss.type === "bpr" && train.early_stop?.metric === "loss") {
      throw new PytorchTargetError(`model \`${block.name}\`: early stopping on the BPR loss is not covered by the PyTorch target yet (a ranking metric is)`);
    }
    return { family: "matrix_factorization", name: block.name, cls: pyClass(block.name, "Model"), dataset: block.dataset, dim: a.dim, loss: a.loss, train };
  }
  const a = blockOf(block, "model", "two_tower").attributes;
  const history = Number(ir.blocks.find((b) => b.name === block.dataset)!.attributes.history);
  const user = tower(ir, refName(a.user), history);
  const item = tower(ir, refName(a.item), history);
  const loss = a.loss;
  if (loss.type !== "softmax" && loss.type !== "sampled_softmax") throw new Error(`internal: two-tower ${block.name} trains with ${loss.type}`);
  if (loss.type === "sampled_softmax" && loss.negatives !== "in_batch" && train.early_stop?.metric === "loss") {
    // The TypeScript validation loss draws its negatives from one fixed stream per batch of held-out users.
    throw new PytorchTargetError(
      `model \`${block.name}\`: early stopping on the loss with ${loss.negatives} negatives is not covered by the PyTorch target yet (in-batch negatives, the full softmax or a ranking metric are)`,
    );
  }
  const w = a.weighting;
  if (w.type === "idw") {
    // IDW's phases restart their update numbers per phase; drawn negatives would need a prepared
    // stream per phase, which `recspec prepare` does not hand over.
    if (loss.type === "sampled_softmax" && loss.negatives !== "in_batch") {
      throw new PytorchTargetError(
        `model \`${block.name}\` weights its examples with idw(...) and draws ${loss.negatives} negatives: the PyTorch target covers IDW with in-batch negatives or the full softmax so far`,
      );
    }
    if (train.epochs === null) {
      throw new PytorchTargetError(
        `model \`${block.name}\` weights its examples with idw(...) and trains for a number of steps: the PyTorch target covers IDW with \`epochs\` so far`,
      );
    }
  }
  return {
    family: "two_tower",
    name: block.name,
    cls: pyClass(block.name, "Model"),
    dataset: block.dataset,
    user,
    item,
    interests: user.type === "multi_interest" ? user.interests : 1,
    score: a.score,
    loss,
    weighting: w.type,
    idw: w.type === "idw" ? w : null,
    train,
  };
}

function tower(ir: IR, name: string, history: number): PyTower {
  const block = ir.blocks.find((b) => b.name === name)!;
  const t = typed(block);
  if (t.kind !== "tower") throw new Error(`internal: ${name} is not a tower`);
  if (t.type === "user_tower" || t.type === "item_tower") {
    const a = t.attributes;
    const dim = a.output === null ? a.embedding : a.output;
    if (a.layers.length > 0 || dim !== a.embedding) {
      throw new PytorchTargetError(`tower \`${name}\` has an MLP: the PyTorch target covers id towers with side features summed (no \`layers\`) so far`);
    }
    return t.type === "user_tower"
      ? { type: "user_tower", name, embedding: a.embedding, dim, features: a.features }
      : { type: "item_tower", name, embedding: a.embedding, dim, features: a.features };
  }
  if (t.type === "multi_interest") {
    const a = t.attributes;
    if (a.disagreement !== 0 && a.interests >= 2) {
      throw new PytorchTargetError(`tower \`${name}\` adds the interest-disagreement regulariser: not covered by the PyTorch target yet`);
    }
    const { layers, heads, dropout } = a.attention;
    return { type: "multi_interest", name, embedding: a.embedding, dim: a.output, interests: a.interests, layers, heads, dropout, history };
  }
  const a = t.attributes;
  return { type: "sequence_encoder", name, embedding: a.embedding, dim: a.output, encoder: resolvedEncoder(a.encoder, a.embedding), history };
}
