// The PyTorch plan of a `ranking` model (SID ranking). Takes the IR and the block's name; gives
// the sizes model.py spells out: the item representation's kind (a table read through prepared
// slots — random ids, Semantic-ID n-grams or SPM pieces — or a projection of prepared content
// vectors), the user pool, the MLP's widths and the logistic loss's negatives. The hashing, the
// quantizer and the SPM vocabulary stay on the recspec side: `recspec prepare` hands over each
// item's table rows, so Python reads rows and never re-derives them.
import type { IR, TrainAttributes } from "../../ir/index.js";
import { blockOf, typed } from "../../ir/narrow.js";
import { refName } from "../codegen/blocks/block-code.js";
import { PytorchTargetError } from "./plan.js";
import { pyClass } from "./python.js";

export interface PyRanking {
  readonly family: "ranking";
  readonly name: string;
  /** The nn.Module class (`RankerModel`). */
  readonly cls: string;
  readonly dataset: string;
  readonly embedding: number;
  /** Items of history the user pool reads (the last ones). */
  readonly history: number;
  /** `table`: the item's vector sums its prepared rows of one table; `dense`: content vectors projected. */
  readonly item: "table" | "dense";
  /** The representation in the spec's words, for the docstring. */
  readonly itemLabel: string;
  readonly pool: "mean" | "attention";
  readonly layers: readonly number[];
  readonly negatives: number;
  readonly sampling: "popularity" | "uniform";
  readonly train: TrainAttributes;
}

export function rankingPlan(ir: IR, name: string): PyRanking {
  const block = blockOf(
    ir.blocks.find((b) => b.name === name)!,
    "model",
    "ranking",
  );
  const a = block.attributes;
  const train = typed(block).train;
  if (train === null) throw new Error(`internal: model ${name} has no train settings`);
  if (a.loss.type !== "logistic") {
    throw new PytorchTargetError(`model \`${name}\` trains with ${a.loss.type}: the PyTorch target trains ranking models with the logistic loss so far`);
  }
  if (train.early_stop !== null) {
    throw new PytorchTargetError(
      `model \`${name}\`: early stopping of ranking models is not covered by the PyTorch target yet; remove early_stop or compile without --target`,
    );
  }
  if (train.micro_batch !== null) {
    throw new PytorchTargetError(
      `model \`${name}\`: micro_batch is not covered for ranking models by the PyTorch target (its negatives are prepared per whole batch)`,
    );
  }
  const data = ir.blocks.find((b) => b.name === refName(a.data))!;
  const datasetHistory = Number(data.attributes.history);
  if (a.user.history > datasetHistory) {
    throw new PytorchTargetError(
      `model \`${name}\`: user = history_pool(history: ${a.user.history}) reads more than ${data.name}'s history of ${datasetHistory}; the PyTorch target reads the prepared histories`,
    );
  }
  const item = a.item;
  const itemLabel =
    item.type === "random_id"
      ? `random_id(buckets: ${item.buckets})`
      : item.type === "dense"
        ? `dense(${refName(item.features)})`
        : item.embed.type === "ngram"
          ? `semantic_id(${refName(item.ids)}, ngram(n: ${item.embed.n}, rows: ${item.embed.rows}))`
          : `semantic_id(${refName(item.ids)}, spm(vocab: ${item.embed.vocab}))`;
  return {
    family: "ranking",
    name,
    cls: pyClass(name, "Model"),
    dataset: data.name,
    embedding: a.embedding,
    history: a.user.history,
    item: item.type === "dense" ? "dense" : "table",
    itemLabel,
    pool: a.user.pool,
    layers: a.layers,
    negatives: a.loss.negatives,
    sampling: a.loss.sampling,
    train,
  };
}
