// A distilled two-tower student as a RecModel. Takes a trained two-tower teacher, a two-tower
// student whose loss is the in-batch sampled softmax (its towers may be smaller than the
// teacher's), and the distill block's temperature τ, weight α and teacher transform; gives a model
// that trains the student on
//   L = (1−α)·CE(y, q) + α·τ²·KL(T(p^t_τ) ‖ q_τ) + R
// where the softmax runs over the batch's in-batch candidates: q = softmax(z_s) with z_s the very
// logits the student's own loss uses (scores / its temperature, logQ, accidental hits masked,
// max over interests), z_t the teacher's logits over the same candidates (its own temperature and
// logQ, run in inference mode, no gradient), and R the student's user-tower regulariser, as in its
// own loss. The student's per-example weights weigh both terms, as they weigh its own loss. The
// student is a generated two-tower class exposing those pieces (InBatchStudent); the checker makes
// sure its loss is the in-batch softmax.
//
// The teacher transforms are computed on the in-batch candidate set, not the catalogue: C is the
// batch, each row's target is its diagonal entry, a row's duplicates of its own target are not
// candidates (a per-row mask), and `sim` takes the teacher's item-tower vectors of the batch's
// targets as the class weights w.
//
// Everything else is the student's: parameters, scoring, validation loss and the memory estimate
// at α = 0, where no teacher is run and the loss is exactly the student's own, so training equals
// plain training of the student bit for bit (tested).
import * as tf from "@tensorflow/tfjs-core";
import { stopGradient } from "../backend/ops.js";
import type { Batch } from "../data/batching.js";
import { distillationKlPerExample } from "../losses/kd.js";
import { inBatchOffsets } from "../losses/sampled-softmax.js";
import { softmaxCrossEntropy } from "../losses/softmax-cross-entropy.js";
import { weightedMean } from "../losses/weighted-mean.js";
import type { LossContext, RecModel } from "../models/rec-model.js";
import { DistilledStudent } from "./distilled-student.js";
import { teacherProbabilities } from "./transforms.js";

/** What a two-tower teacher must offer (a generated two-tower class): its logits over a batch's in-batch candidates, and item vectors. */
export interface InBatchTeacher extends RecModel {
  inBatchLogits(batch: Batch): { logits: tf.Tensor2D; labels: tf.Tensor1D };
  /** Item vectors [n, D] of ids [n], in inference mode. */
  itemVectors(ids: tf.Tensor1D): tf.Tensor2D;
  /** A two-tower model scores in one pass, without reading back. */
  scoreItems(histories: Int32Array, count: number, users?: Int32Array): tf.Tensor2D;
}

/** What a two-tower student offers besides its loss (a generated student class): the pieces of that loss. */
export interface InBatchStudent extends InBatchTeacher {
  /** The in-batch softmax's logits [B, B], each row's label column and per-example weights (absent when all are 1), as its loss has them. */
  candidateLogits(batch: Batch, ctx: LossContext): { logits: tf.Tensor2D; labels: tf.Tensor1D; weights?: tf.Tensor1D };
  /** The user tower's extra loss term, or null. */
  regularizer(): tf.Scalar | null;
}

export class TwoTowerDistillModel extends DistilledStudent<InBatchStudent, InBatchTeacher> {
  protected trainingLoss(batch: Batch, ctx: LossContext): tf.Scalar {
    const { temperature: tau, alpha } = this.settings;
    return tf.tidy(() => {
      // The student's logits and hard term, op for op as its own loss has them.
      const { logits, labels, weights } = this.student.candidateLogits(batch, ctx);
      let loss = softmaxCrossEntropy(logits, labels, { weights, ignoreIndex: null });
      if (alpha > 0) {
        const teacher = stopGradient(this.teacherDistribution(batch));
        const soft = weightedMean(distillationKlPerExample(logits, teacher, tau), weights ?? null);
        const scaledSoft = tf.mul(soft, alpha * tau * tau);
        loss = (alpha === 1 ? scaledSoft : tf.add(tf.mul(loss, 1 - alpha), scaledSoft)) as tf.Scalar;
      }
      const extra = this.student.regularizer();
      if (extra !== null) loss = tf.add(loss, extra);
      return loss;
    });
  }

  /** The transformed teacher distribution [B, B] at τ over the batch's in-batch candidates. */
  teacherDistribution(batch: Batch, temperature = this.settings.temperature): tf.Tensor2D {
    const b = batch.size;
    return tf.tidy(() => {
      const valid = candidateMask(batch.targets);
      return this.settings.target.of({
        targets: tf.range(0, b, 1, "int32") as tf.Tensor1D,
        columns: b,
        valid,
        probabilities: () => teacherProbabilities(this.teacher.inBatchLogits(batch).logits, temperature, valid),
        // sim's class weights: the teacher's item vectors of the batch's targets.
        weights: () => this.teacher.itemVectors(tf.tensor1d(batch.targets, "int32")),
      });
    });
  }
  stepBytes(batch: Batch): number {
    const base = this.student.stepBytes(batch);
    // α = 0 runs no teacher; keep the student's estimate so micro-batching (and so every bit of
    // the update) is the plain student's.
    if (this.settings.alpha === 0) return base;
    // The teacher's forward pass (its training estimate bounds it) and ~5 [B, B] buffers.
    return base + this.teacher.stepBytes(batch) + batch.size * batch.size * 4 * 5;
  }
}

/** [B, B] 1 where column j is a candidate of row i: not a duplicate of row i's own target. */
function candidateMask(targets: Int32Array): tf.Tensor2D {
  const b = targets.length;
  // The in-batch loss's own offsets: MASKED_LOGIT exactly at the duplicates, 0 elsewhere.
  const offsets = inBatchOffsets(b, undefined, targets)!;
  return tf.tensor2d(
    Float32Array.from(offsets, (o) => (o === 0 ? 1 : 0)),
    [b, b],
  );
}
