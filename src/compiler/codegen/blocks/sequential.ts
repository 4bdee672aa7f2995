// `model NAME = sequential(data) {…}`: SASRec spelled out as a class in model.ts. Its `encode` is
// the graph (item embedding × √E, learned positions, dropout, the transformer layers one by one,
// the final norm), `loss` the training objective at every target position, and `scoreItems` the
// inference (the last hidden state against the tied item table). Takes the block; gives its code.
import type { GbceLoss, SampledSoftmaxLoss, SequentialAttributes, SoftmaxLoss } from "../../../ir/attributes.generated.js";
import type { IRBlock } from "../../../ir/ir.js";
import { blockOf } from "../../../ir/narrow.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe, refName } from "./block-code.js";
import { resolvedEncoder, type ResolvedEncoder } from "./encoder.js";
import { trainCode, trainedModelCode } from "./train.js";

/**
 * The history encoder's statements, shared by the sequential model and the sequence_encoder tower:
 * the trimmed input, the position table and the encoder scope (`head`), then inside a tidy (`body`)
 * x = item embedding × √E (+ projection) + positions, dropout, padding zeroed, the transformer
 * layers, the final norm (+ projection back): x [B, L, E]. `table` is the item table expression.
 */
export function historyEncoder(e: number, history: number, enc: ResolvedEncoder, encoderConst: string, table: string): { head: string; body: string } {
  const d = enc.config.dModel;
  const project = d !== e;
  const head = `const input = trimHistories(histories, count, ${history}); // ids, mask: [B, L], L ≤ ${history}
    const positions = this.params.scope("positions").get("table", [${enc.maxPositions}, ${d}], normal(0.05)); // [${enc.maxPositions}, ${d}]
    const encoder = this.params.scope("encoder");`;
  const body = `let x: tf.Tensor = tf.mul(tf.gather(${table}, input.ids), Math.sqrt(${e})); // [B, L, ${e}]${
    project ? `\n      x = dense(x, this.params.scope("input_projection"), ${e}, ${d}); // [B, L, ${d}]` : ""
  }
      // The window's last L learned positions, so the most recent item always has position ${history - 1}.
      x = tf.add(x, tf.slice(positions, [input.offset, 0], [input.length, ${d}])); // [B, L, ${d}]
      x = dropout(x, ${enc.config.dropout}, ctx);
      x = tf.mul(x, tf.expandDims(input.mask, 2)); // padding positions zeroed
      // Attention may not look at padding${enc.config.causal ? " or at later positions" : ""}.
      const bias = encoderBias(input.length, ${encoderConst}, { paddingMask: input.mask });
      for (let i = 0; i < ${enc.config.layers}; i++) {
        x = encoderLayer(x, encoder.scope("layer" + i), ${encoderConst}, bias, ctx); // [B, L, ${d}]
      }${enc.config.norm === "pre" ? `\n      x = layerNorm(x, encoder.scope("final_norm"), ${d}); // [B, L, ${d}]` : ""}${
        project ? `\n      x = dense(x, this.params.scope("output_projection"), ${d}, ${e}); // [B, L, ${e}]` : ""
      }`;
  return { head, body };
}

/** The `encode` method of a sequence model over `history` columns: [B, T] ids → [B, L, E]. */
export function encodeMethod(e: number, history: number, enc: ResolvedEncoder, encoderConst: string): string {
  const { head, body } = historyEncoder(e, history, enc, encoderConst, "this.itemTable()");
  return `
  /** Hidden states [B, L, ${e}] of the L used history columns (the last column is the most recent item). */
  encode(histories: Int32Array, count: number, ctx: ForwardContext): EncodedSequence {
    ${head}
    const hidden = tf.tidy(() => {
      ${body}
      return x as tf.Tensor3D;
    });
    input.ids.dispose();
    input.mask.dispose();
    return { hidden, ids: input.host, length: input.length };
  }`;
}

function lossBody(loss: SoftmaxLoss | SampledSoftmaxLoss | GbceLoss): string {
  const fullSoftmax = (smoothing: string) => `const logits = tf.matMul(h, table, false, true) as tf.Tensor2D; // [P, N + 1]
        return softmaxCrossEntropy(logits, tf.tensor1d(targets, "int32"), { labelSmoothing: ${smoothing}, ignoreIndex: null });`;
  if (loss.type === "softmax") {
    return `// Full softmax over the catalogue${loss.label_smoothing > 0 ? `, labels smoothed by ${loss.label_smoothing} when training` : ""}.
      ${fullSoftmax(loss.label_smoothing > 0 ? `ctx.training ? ${loss.label_smoothing} : 0` : "0")}`;
  }
  const heldOut = `if (!ctx.training) {
        // The held-out loss is the full softmax at the last position, whatever the model trains with.
        ${fullSoftmax("0")}
      }`;
  const scorer = `scorer: {
          diagonal: (items) => tf.sum(tf.mul(h, tf.gather(table, tf.tensor1d(items, "int32"))), 1) as tf.Tensor1D, // [P]
          against: (items) => tf.matMul(h, tf.gather(table, tf.tensor1d(items, "int32")) as tf.Tensor2D, false, true), // [P, K]
        }`;
  if (loss.type === "gbce") {
    return `${heldOut}
      // gBCE (gSASRec): the target against ${loss.negatives} uniform negatives per step, calibrated with t = ${loss.t}.
      return sampledGbceLoss({
        ${scorer},
        targets,
        negatives: ${loss.negatives},
        t: ${loss.t},
        numItems: this.numItems,
        rng: (ctx.rng ?? new Rng(0)).fork("negatives"),
      });`;
  }
  const config = { type: loss.type, negatives: loss.negatives, count: loss.count, logq: loss.logq, temperature: loss.temperature };
  return `${heldOut}
      // Sampled softmax: ${loss.negatives === "in_batch" ? "the batch's other targets are the negatives" : `${loss.count} ${loss.negatives} negatives per step`}${loss.logq ? ", logQ-corrected" : ""}.
      return sampledSoftmaxLoss({
        ${scorer},
        targets,
        config: ${literal(config)},
        distribution: this.distribution,
        numItems: this.numItems,
        rng: (ctx.rng ?? new Rng(0)).fork("negatives"),
      });`;
}

export interface SequentialClass {
  /** The encoder constant and the class, in order. */
  readonly declarations: readonly string[];
  readonly modelImports: readonly string[];
  readonly modelTypeImports: readonly string[];
}

/**
 * The class `cls` of a sequential model with attributes `a` (a block's, or a distilled student's),
 * named `name` in checkpoints and logs, initialised from `seed`; `heading` opens its doc comment.
 */
export function sequentialClass(
  a: SequentialAttributes,
  name: string,
  seed: number,
  heading: string,
  cls: string,
  encoderConst: string,
  ctx: EmitContext,
): SequentialClass {
  const data = ctx.block(refName(a.data));
  const e = a.embedding;
  const history = Number(data.attributes.history);
  const positions = a.positions;
  const loss = a.loss;
  if (loss.type !== "softmax" && loss.type !== "sampled_softmax" && loss.type !== "gbce")
    throw new Error(`internal: model ${name}: a sequential model trains with softmax, sampled_softmax or gbce, not ${loss.type} (the checker reports this)`);
  const enc = resolvedEncoder(a.encoder, e);
  const sampled = loss.type === "sampled_softmax";
  const columns =
    loss.type === "softmax" ? "this.numItems + 1" : loss.type === "gbce" ? `${loss.negatives + 1}` : loss.negatives === "in_batch" ? "p" : `${loss.count + 1}`;

  const declarations = [
    `/** The transformer of \`${name}\`: ${enc.summary}. */\nconst ${encoderConst}: TransformerConfig = ${literal(enc.config)};`,
    `/**
 * ${heading}: SASRec over \`${data.name}\`. Item embeddings (E = ${e}) plus learned positions,
 * ${enc.summary}, and next-item logits h · Eᵀ against the same item table.
 */
export class ${cls} implements RecModel {
  readonly name = ${literal(name)};
  /** Every weight, initialised from the training seed (${seed}) and its name. */
  readonly params = new ParamStore(${seed});
  readonly numItems: number;
  readonly historyLength = ${history};
  /** One example per training user: the history and the item after it. */
  readonly trainingExamples: readonly Example[];${sampled ? "\n  /** Training-item frequencies, for sampled negatives and the logQ correction. */\n  private readonly distribution: ItemDistribution;" : ""}

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = data.split.train;${sampled ? "\n    this.distribution = new ItemDistribution(data.trainCounts);" : ""}
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.encode(new Int32Array(${history}).fill(1), 1, INFERENCE);
    });
  }

  /** E [N + 1, ${e}]: row i embeds item i (row 0 the padding item); also the output layer. */
  itemTable(): tf.Variable {
    return this.params.scope("item_embedding").get("table", [this.numItems + 1, ${e}], normal(0.05));
  }
${encodeMethod(e, history, enc, encoderConst)}

  /** Mean cross-entropy of the next item at ${positions === "all" ? "every position that has one" : "the last position"} (the last position only for the held-out loss). */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    return tf.tidy(() => {
      const { hidden, ids, length } = this.encode(batch.histories, batch.size, ctx);
      const { rows, targets } = targetPositions(ids, batch.targets, batch.size, length, ctx.training ? ${literal(positions)} : "last");
      if (rows.length === 0) {
        // Nothing to predict: a zero that still depends on the parameters, so gradients exist.
        return tf.mul(tf.sum(hidden), 0) as tf.Scalar;
      }
      const flat = tf.reshape(hidden, [batch.size * length, ${e}]) as tf.Tensor2D; // [B·L, ${e}]
      const h = tf.gather(flat, tf.tensor1d(rows, "int32")) as tf.Tensor2D; // [P, ${e}]: positions with a target
      const table = this.itemTable() as tf.Tensor2D; // [N + 1, ${e}]
      ${lossBody(loss)}
    });
  }

  /** Next-item scores [B, N + 1]: the last position's hidden state against every item. */
  scoreItems(histories: Int32Array, count: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { hidden, length } = this.encode(histories, count, INFERENCE);
      const last = tf.reshape(tf.slice(hidden, [0, length - 1, 0], [count, 1, ${e}]), [count, ${e}]) as tf.Tensor2D; // [B, ${e}]
      return tf.matMul(last, this.itemTable() as tf.Tensor2D, false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as \`recspec export\` writes it: the last position's hidden state [B, 1, ${e}]. */
  queryVectors(histories: Int32Array, count: number): tf.Tensor3D {
    return tf.tidy(() => {
      const { hidden, length } = this.encode(histories, count, INFERENCE);
      return tf.slice(hidden, [0, length - 1, 0], [count, 1, ${e}]) as tf.Tensor3D; // [B, 1, ${e}]
    });
  }

  /** The item side of scoreItems: the item table [N + 1, ${e}] (a copy: the caller frees it). */
  catalogueVectors(): tf.Tensor2D {
    return tf.clone(this.itemTable()) as tf.Tensor2D;
  }

  /** The loss's denominator on a batch (its target positions), for micro-batch weighting. */
  lossWeight(batch: Batch): number {
    return targetCount(batch, ${literal(positions)});
  }

  /** Peak bytes of one training step: logits, their softmax and gradient, plus the encoder. */
  stepBytes(batch: Batch): number {
    const length = usedLength(batch.histories, batch.size, batch.length);
    const p = this.lossWeight(batch);
    return p * (${columns}) * 4 * 3 + transformerStepBytes(batch.size, length, ${encoderConst}, ${e});
  }

  dispose(): void {
    this.params.dispose();
  }
}`,
  ];
  return {
    declarations,
    modelImports: [
      "tf",
      "ParamStore",
      "INFERENCE",
      "normal",
      "trimHistories",
      "dropout",
      "encoderBias",
      "encoderLayer",
      ...(enc.config.norm === "pre" ? ["layerNorm"] : []),
      ...(enc.config.dModel !== e ? ["dense"] : []),
      "targetPositions",
      "targetCount",
      "usedLength",
      "transformerStepBytes",
      "softmaxCrossEntropy",
      ...(sampled ? ["sampledSoftmaxLoss", "ItemDistribution", "Rng"] : []),
      ...(loss.type === "gbce" ? ["sampledGbceLoss", "Rng"] : []),
    ],
    modelTypeImports: ["Batch", "EncodedSequence", "Example", "ForwardContext", "LossContext", "PreparedData", "RecModel", "TransformerConfig"],
  };
}

export function sequentialCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const cls = ctx.exported("class", block.name, (p) => `${p}Model`);
  const encoderConst = ctx.exported("encoder", block.name, (_p, c) => `${c}Encoder`);
  const training = trainCode(block, ctx);
  const made = sequentialClass(blockOf(block, "model", "sequential").attributes, block.name, training.seed, describe(block), cls, encoderConst, ctx);
  return trainedModelCode(
    block,
    ctx,
    {
      type: "RecModel",
      declarations: made.declarations,
      exports: [cls],
      make: `new ${cls}(${ctx.variable(refName(block.attributes.data))})`,
      modelImports: made.modelImports,
      modelTypeImports: made.modelTypeImports,
    },
    training,
  );
}
