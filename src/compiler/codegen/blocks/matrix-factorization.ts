// `model NAME = matrix_factorization(data) { dim; loss = bpr(negatives) | softmax }`: a class in
// model.ts with user factors P [U + 1, d] (row 0 the out-of-vocabulary row shared by users the
// training data never saw) and item factors Q [N + 1, d], scoring s(u, i) = <p_u, q_i>. It trains
// on every (user, item) pair of the training data once, with BPR — mean −log σ(s(u, pos) − s(u, neg))
// over uniformly drawn negatives — or a full softmax over the catalogue. Takes the block; gives its
// BlockCode.
import type { BprLoss, SoftmaxLoss } from "../../../ir/attributes.generated.js";
import type { IRBlock } from "../../../ir/ir.js";
import { blockOf } from "../../../ir/narrow.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe } from "./block-code.js";
import { trainCode, trainedModelCode } from "./train.js";

/** The losses the checker lets matrix factorisation train with (RS3014). */
type MfLoss = BprLoss | SoftmaxLoss;

/** The loss method's body for BPR or the full softmax. */
function lossBody(loss: MfLoss, d: number): string {
  if (loss.type === "bpr") {
    const m = loss.negatives;
    return `const rng = ctx.rng ?? new Rng(0);
    const negatives = uniformNegatives(batch.targets, ${m}, this.numItems, rng.fork("negatives")); // [B·${m}]
    return tf.tidy(() => {
      const p = this.userFactors(batch.users, batch.size); // [B, ${d}]
      const positive = tf.sum(tf.mul(p, this.itemFactors(batch.targets)), 1, true); // [B, 1]
      const q = tf.reshape(this.itemFactors(negatives), [batch.size, ${m}, ${d}]); // [B, ${m}, ${d}]
      const negative = tf.sum(tf.mul(tf.expandDims(p, 1), q), 2); // [B, ${m}]
      // −log σ(x) = softplus(−x), stable for large margins.
      return tf.mean(tf.softplus(tf.neg(tf.sub(positive, negative)))) as tf.Scalar;
    });`;
  }
  return `return tf.tidy(() => {
      const p = this.userFactors(batch.users, batch.size); // [B, ${d}]
      // Full softmax over the catalogue.
      const logits = tf.matMul(p, this.itemTable(), false, true) as tf.Tensor2D; // [B, N + 1]
      return softmaxCrossEntropy(logits, tf.tensor1d(batch.targets, "int32"), {
        labelSmoothing: ${loss.label_smoothing},
        ignoreIndex: null,
      });
    });`;
}

export function matrixFactorizationCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = blockOf(block, "model", "matrix_factorization").attributes;
  const d = a.dim;
  if (a.loss.type !== "bpr" && a.loss.type !== "softmax") throw new Error(`internal: matrix factorisation trains with bpr or softmax, not ${a.loss.type}`);
  const loss: MfLoss = a.loss;
  const data = ctx.variable(block.dataset);
  const cls = ctx.exported("class", block.name, (p) => `${p}Model`);
  const training = trainCode(block, ctx);
  const trainedWith =
    loss.type === "bpr"
      ? `BPR with ${loss.negatives} uniformly drawn negative${loss.negatives === 1 ? "" : "s"} per pair`
      : "a full softmax over the catalogue";
  const declaration = `/**
 * ${describe(block)}: matrix factorisation over \`${block.dataset}\`. User factors P and item factors Q
 * (d = ${d}), s(u, i) = <p_u, q_i>, trained with ${trainedWith}. Users the training data never saw
 * (cold users of a later split) share row 0 of P, an out-of-vocabulary row no training example updates.
 */
export class ${cls} implements RecModel {
  readonly name = ${literal(block.name)};
  /** Every weight, initialised from the training seed (${training.seed}) and its name. */
  readonly params = new ParamStore(${training.seed});
  readonly numItems: number;
  readonly historyLength = ${Number(ctx.block(block.dataset).attributes.history)};
  /** Every (user, item) pair of the training data, once. */
  readonly trainingExamples: readonly Example[];
  /** Row of P of each user index: u + 1 for users with training data, 0 otherwise. */
  private readonly rows: UserRows;

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = userItemPairs(data.trainTargets);
    this.rows = new UserRows(data.trainTargets, data.store.numUsers);
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    this.userTable();
    this.itemTable();
  }

  /** P [U + 1, ${d}]: row u + 1 is user u, row 0 the shared out-of-vocabulary row. */
  userTable(): tf.Variable {
    return this.params.scope("user_embedding").get("table", [this.rows.size, ${d}], normal(0.05));
  }

  /** Q [N + 1, ${d}]: row i is item i (row 0 the padding item). */
  itemTable(): tf.Variable {
    return this.params.scope("item_embedding").get("table", [this.numItems + 1, ${d}], normal(0.05));
  }

  /** p_u [B, ${d}] of the first \`count\` user indices. */
  userFactors(users: Int32Array, count: number): tf.Tensor2D {
    return tf.gather(this.userTable(), tf.tensor1d(this.rows.of(users.subarray(0, count)), "int32")) as tf.Tensor2D;
  }

  /** q_i [n, ${d}] of item ids [n]. */
  itemFactors(ids: Int32Array): tf.Tensor2D {
    return tf.gather(this.itemTable(), tf.tensor1d(ids, "int32")) as tf.Tensor2D;
  }

  /** ${loss.type === "bpr" ? "Mean −log σ(s(u, pos) − s(u, neg)) over each pair's negatives" : "Mean cross-entropy of each pair's item among the whole catalogue"}. */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    ${lossBody(loss, d)}
  }

  /** Scores [B, N + 1] of every item for a batch of users (without them: the out-of-vocabulary row). */
  scoreItems(_histories: Int32Array, count: number, users?: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const p = this.userFactors(users ?? new Int32Array(count).fill(-1), count); // [B, ${d}]
      return tf.matMul(p, this.itemTable(), false, true); // [B, N + 1]
    });
  }

  /** The query side of scoreItems, as \`recspec export\` writes it: p_u [B, 1, ${d}]. */
  queryVectors(_histories: Int32Array, count: number, users?: Int32Array): tf.Tensor3D {
    return tf.tidy(() => tf.expandDims(this.userFactors(users ?? new Int32Array(count).fill(-1), count), 1) as tf.Tensor3D);
  }

  /** The item side of scoreItems: Q [N + 1, ${d}] (a copy: the caller frees it). */
  catalogueVectors(): tf.Tensor2D {
    return tf.clone(this.itemTable()) as tf.Tensor2D;
  }

  /** The loss's denominator on a batch: its pairs. */
  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: ${loss.type === "bpr" ? "the gathered factors of each pair and its negatives" : "the logits, their softmax and gradient"}. */
  stepBytes(batch: Batch): number {
    return ${loss.type === "bpr" ? `batch.size * ${loss.negatives + 2} * ${d} * 4 * 4` : `batch.size * (this.numItems + 1) * 4 * 3 + batch.size * ${d} * 4 * 4`};
  }

  dispose(): void {
    this.params.dispose();
  }
}`;
  return trainedModelCode(
    block,
    ctx,
    {
      type: "RecModel",
      declarations: [declaration],
      exports: [cls],
      make: `new ${cls}(${data})`,
      modelImports: [
        "tf",
        "ParamStore",
        "normal",
        "UserRows",
        "userItemPairs",
        ...(loss.type === "bpr" ? ["Rng", "uniformNegatives"] : ["softmaxCrossEntropy"]),
      ],
      modelTypeImports: ["Batch", "Example", "LossContext", "PreparedData", "RecModel"],
    },
    training,
  );
}
