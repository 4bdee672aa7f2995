// `model NAME = ranking(data) {…}`: a pointwise (user, item) ranker (Semantic IDs in ranking,
// Singh et al. 2023) spelled out as a class in model.ts. The item representation is chosen here
// (hashed random ids, Semantic-ID n-gram or SentencePiece-style tables, or projected content
// vectors) and built from the runtime's ranking library with its sizes inline; the user is a pool
// of the history's item vectors; the logit an MLP over [u, v, u ⊙ v] written layer by layer; the
// loss the logistic loss over each positive and its sampled negatives. `rankingClass` also serves
// a distilled ranking student. Takes the block (or a student's attributes); gives its code.
import type { ItemReprOption, RankingAttributes } from "../../../ir/attributes.generated.js";
import type { IRBlock } from "../../../ir/ir.js";
import { blockOf } from "../../../ir/narrow.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe } from "./block-code.js";
import { trainCode, trainedModelCode } from "./train.js";

/** What a ranking class needs besides its data: the block of Semantic IDs or content vectors. */
export interface RankingInput {
  /** The block's variable, also the constructor parameter's name. */
  readonly name: string;
  readonly type: "Quantizer" | "ItemFeatures";
}

export interface RankingClass {
  readonly cls: string;
  readonly declaration: string;
  /** Constructor arguments after the data set. */
  readonly inputs: readonly RankingInput[];
  readonly modelImports: readonly string[];
  readonly modelTypeImports: readonly string[];
}

/** The item representation: its construction and a phrase for the docs. */
function itemCode(
  item: ItemReprOption,
  e: number,
  ctx: EmitContext,
  model: string,
): { make: string; doc: string; input: RankingInput | null; runtime: string[] } {
  const inputs = `{ numItems: data.numItems, dim: ${e}, params: this.params.scope("item"), itemCounts: data.trainCounts }`;
  if (item.type === "random_id") {
    return {
      make: `randomIdRepresentation(${item.buckets}, ${inputs})`,
      doc: `random_id: one hashed row per item id, table [${item.buckets}, ${e}]`,
      input: null,
      runtime: ["randomIdRepresentation"],
    };
  }
  if (item.type === "dense") {
    const features = ctx.variable(item.features.ref);
    return {
      make: `new DenseRepresentation(${features}, ${inputs})`,
      doc: `dense: the content vectors of \`${item.features.ref}\` through a learned projection to ${e}`,
      input: { name: features, type: "ItemFeatures" },
      runtime: ["DenseRepresentation"],
    };
  }
  const quantizer = ctx.block(item.ids.ref);
  const ids = ctx.variable(item.ids.ref);
  const levels = quantizer.attributes.levels;
  const codebook = quantizer.attributes.codebook;
  const known = typeof levels === "number" && typeof codebook === "number";
  // The quantizer's table exists once it is trained or restored; the program does that first.
  const guard = `${ids}.table ?? noSemanticIds(${literal(model)}, ${literal(item.ids.ref)})`;
  if (item.embed.type === "ngram") {
    const { n, rows } = item.embed;
    const shape = known
      ? `${levels - n + 1} table${levels - n + 1 === 1 ? "" : "s"} [${Math.min(codebook ** n, rows)}, ${e}], one per position`
      : `a table of ≤ ${rows} rows per position`;
    return {
      make: `ngramRepresentation(${guard}, ${n}, ${rows}, ${inputs})`,
      doc: `semantic_id(ngram(n: ${n}, rows: ${rows})) of \`${item.ids.ref}\`'s codes: ${shape}, each ${n}-gram's rows summed`,
      input: { name: ids, type: "Quantizer" },
      runtime: ["ngramRepresentation", "noSemanticIds"],
    };
  }
  return {
    make: `spmRepresentation(${guard}, ${item.embed.vocab}, ${inputs})`,
    doc: `semantic_id(spm(vocab: ${item.embed.vocab})) of \`${item.ids.ref}\`'s codes: a table [${item.embed.vocab}, ${e}] of SentencePiece-style pieces learned from the training items, each item's pieces summed`,
    input: { name: ids, type: "Quantizer" },
    runtime: ["spmRepresentation", "noSemanticIds"],
  };
}

/** The MLP [u, v, u ⊙ v] → layers → 1, one dense layer per line ("mlp/layer<i>" as mlp() names them). */
function mlpLines(e: number, layers: readonly number[]): string {
  const sizes = [...layers, 1];
  let inDim = 3 * e;
  return sizes
    .map((out, i) => {
      const last = i === sizes.length - 1;
      const line = `x = dense(x, mlp.scope("layer${i}"), ${inDim}, ${out}${last ? "" : `, { activation: "relu" }`}); // [P, ${out}]`;
      inDim = out;
      return line;
    })
    .join("\n      ");
}

/**
 * The class of a ranking model: `name` is its model name (a distilled student takes the distill
 * block's), `seed` its training seed; the history length is the attributes' `user.history`.
 */
export function rankingClass(a: RankingAttributes, cls: string, name: string, seed: number, ctx: EmitContext, heading: string): RankingClass {
  const e = a.embedding;
  const T = a.user.history;
  const item = itemCode(a.item, e, ctx, name);
  const loss = a.loss;
  if (loss.type !== "logistic")
    throw new Error(`internal: model ${name}: a ranking model trains with the logistic loss, not ${loss.type} (the checker reports this)`);
  const M = loss.negatives;
  const widths = 3 * e + a.layers.reduce((s, w) => s + w, 0);
  const mean = a.user.pool === "mean";
  const pool = mean
    ? `return meanPool(h, histories, count); // [B, ${e}]`
    : `return attentionPool(h, histories, count, this.params.scope("attention_pool"), ${e}); // [B, ${e}]`;
  const params = item.input ? `, ${item.input.name}: ${item.input.type}` : "";
  const declaration = `/**
 * ${heading}
 * Items: ${item.doc}.
 * Users: the ${mean ? "mean" : "attention pool"} of their last ${T} items' vectors.
 * Logit: MLP([u, v, u ⊙ v]) through ${a.layers.join(", ")} (ReLU) to 1; loss: logistic, each positive
 * against ${M} negatives drawn ${loss.sampling === "popularity" ? "∝ training frequency" : "uniformly"} among the training items.
 */
export class ${cls} implements PairwiseRanker {
  readonly name = ${literal(name)};
  /** Every weight, initialised from the training seed (${seed}) and its name. */
  readonly params = new ParamStore(${seed});
  readonly numItems: number;
  readonly historyLength = ${T};
  /** Every prefix of each training sequence, predicting its next item. */
  readonly trainingExamples: readonly Example[];
  /** Item id → vector [n, ${e}] (the padding item 0 → zeros), shared by candidates and histories. */
  readonly item: ItemRepresentation;
  /** (user, item) pairs per MLP call when scoring the catalogue (bounds the activations). */
  pairsPerCall = PAIRS_PER_CALL;
  private readonly sampler: NegativeSampler;

  constructor(data: PreparedData${params}) {
    this.numItems = data.numItems;
    this.trainingExamples = data.trainTargets;
    this.item = ${item.make};
    // Cold items are never drawn: they stay untrained, as at serving time.
    this.sampler = new NegativeSampler(data.trainCounts, data.coldMask, ${literal(loss.sampling)});
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.logits(this.userVectors(new Int32Array(${T}).fill(1), 1), this.item.embed(new Int32Array([1])));
    });
  }

  /** The item representation's table budget (rows, parameters). */
  get budget(): RowBudget {
    return this.item.budget;
  }

  /** Users [B, ${e}] of left-padded histories [B, T], their items' vectors [B·T, ${e}] looked up unless given. */
  userVectors(histories: Int32Array, count: number, vectors?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.reshape(vectors ?? this.item.embed(histories), [count, histories.length / count, ${e}]) as tf.Tensor3D; // [B, T, ${e}]
      ${pool}
    });
  }

  /** Logits [P] of P (user, item) pairs: users [P, ${e}], items [P, ${e}]. */
  logits(users: tf.Tensor2D, items: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const mlp = this.params.scope("mlp");
      let x: tf.Tensor = pairFeatures(users, items); // [P, ${3 * e}]: [u, v, u ⊙ v]
      ${mlpLines(e, a.layers)}
      return tf.reshape(x, [-1]) as tf.Tensor1D; // [P]
    });
  }

  /** Mean logistic loss over each example's positive (label 1) and its ${M} negatives (label 0). */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const { candidates, labels } = this.trainingCandidates(batch, ctx);
    return tf.tidy(() => binaryCrossEntropy(this.candidateLogits(batch.histories, batch.size, candidates), tf.tensor1d(labels)));
  }

  /** Per example its target then ${M} drawn negatives: [B·${M + 1}] candidates and labels. */
  trainingCandidates(batch: Batch, ctx: LossContext): TrainingPairs {
    return trainingPairs(batch.targets, batch.size, ${M}, this.sampler, (ctx.rng ?? new Rng(0)).fork("negatives"));
  }

  /** Logits [B·C] of B histories, each against its C consecutive candidates. */
  candidateLogits(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor1D {
    return tf.tidy(() => {
      // One lookup for both: the item table then gets one gradient, not two to add.
      const [h, items] = embedParts(this.item, [histories, candidates]); // [B·T, ${e}], [B·C, ${e}]
      const users = this.userVectors(histories, count, h); // [B, ${e}]
      return this.logits(repeatRows(users, candidates.length / count), items); // [B·C]
    });
  }

  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: ~3 copies of each pair's activations, and the history lookups. */
  stepBytes(batch: Batch): number {
    return batch.size * ${M + 1} * ${widths} * 4 * 3 + batch.size * batch.length * ${e} * 4 * 4 * 3;
  }

  /** Scores [B, N + 1] of every item, the MLP run over chunks of items. */
  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.userVectors(histories, count); // [B, ${e}]
      const items = this.item.embed(Int32Array.from({ length: this.numItems + 1 }, (_, i) => i)); // [N + 1, ${e}]
      return catalogueScores(users, items, (u, v) => this.logits(u, v), this.pairsPerCall);
    });
  }

  /** Scores [B, M] of each history against its own M candidates (candidates [B, M]). */
  scoreCandidates(histories: Int32Array, count: number, candidates: Int32Array): tf.Tensor2D {
    const m = candidates.length / count;
    return tf.tidy(() => {
      const users = repeatRows(this.userVectors(histories, count), m); // [B·M, ${e}]
      return tf.reshape(this.logits(users, this.item.embed(candidates)), [count, m]) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.item.dispose();
    this.params.dispose();
  }
}`;
  return {
    cls,
    declaration,
    inputs: item.input ? [item.input] : [],
    modelImports: [
      "tf",
      "ParamStore",
      "Rng",
      "dense",
      "binaryCrossEntropy",
      mean ? "meanPool" : "attentionPool",
      "NegativeSampler",
      "trainingPairs",
      "repeatRows",
      "embedParts",
      "pairFeatures",
      "catalogueScores",
      "PAIRS_PER_CALL",
      ...item.runtime,
    ],
    modelTypeImports: [
      "Batch",
      "Example",
      "ItemRepresentation",
      "LossContext",
      "PairwiseRanker",
      "PreparedData",
      "RowBudget",
      "TrainingPairs",
      ...(item.input ? [item.input.type] : []),
    ],
  };
}

export function rankingCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const data = ctx.block(block.dataset);
  const dataVar = ctx.variable(data.name);
  const training = trainCode(block, ctx);
  const cls = ctx.exported("class", block.name, (p) => `${p}Model`);
  const made = rankingClass(
    blockOf(block, "model", "ranking").attributes,
    cls,
    block.name,
    training.seed,
    ctx,
    `${describe(block)}: a pointwise ranker of (user, item) pairs over \`${data.name}\`.`,
  );
  return trainedModelCode(
    block,
    ctx,
    {
      type: "PairwiseRanker",
      declarations: [made.declaration],
      exports: [cls],
      make: `new ${cls}(${[dataVar, ...made.inputs.map((i) => i.name)].join(", ")})`,
      modelImports: made.modelImports,
      modelTypeImports: made.modelTypeImports,
    },
    training,
  );
}
