// A distilled ranking student as a RecModel. Takes a trained ranking teacher, a ranking student
// (its logistic head over sampled (user, candidate) pairs; smaller, or with another item
// representation) and the distill block's temperature τ, weight α and teacher transform (full or
// label_smoothing: binary-targets.ts); gives a model that trains the student on
//   L = (1−α)·BCE(y, σ(z_s)) + α·τ²·KL(Bernoulli(p_t) ‖ Bernoulli(σ(z_s/τ)))
// over the pairs the student's own loss scores (its positive and drawn negatives), with
// p_t = T(σ(z_t/τ)) from the teacher's logits on the same pairs (inference, no gradient). The KL is
// the soft BCE(p_t, σ(z_s/τ)) less the teacher's entropy, a constant: the same gradient, and zero
// when the two agree (losses/kd.ts).
//
// Everything else is the student's: parameters, scoring, validation loss, and at α = 0, where no
// teacher is run and the loss is exactly the student's own, every bit of training (tested).
import * as tf from "@tensorflow/tfjs-core";
import { stopGradient } from "../backend/ops.js";
import type { Batch } from "../data/batching.js";
import { binaryCrossEntropy } from "../losses/bce.js";
import { binaryKdLoss } from "../losses/kd.js";
import type { LossContext } from "../models/rec-model.js";
import type { PairwiseRanker } from "../ranking/ranker.js";
import type { BinaryTeacherTarget } from "./binary-targets.js";
import { DistilledStudent, type DistillSettings } from "./distilled-student.js";

export class RankingDistillModel extends DistilledStudent<PairwiseRanker, PairwiseRanker, BinaryTeacherTarget> {
  constructor(student: PairwiseRanker, teacher: PairwiseRanker, settings: DistillSettings<BinaryTeacherTarget>, name = student.name) {
    super(student, teacher, settings, name);
  }

  protected trainingLoss(batch: Batch, ctx: LossContext): tf.Scalar {
    const { temperature, alpha, target } = this.settings;
    // The student's pairs and logits, op for op as its own loss has them.
    const { candidates, labels } = this.student.trainingCandidates(batch, ctx);
    return tf.tidy(() => {
      const logits = this.student.candidateLogits(batch.histories, batch.size, candidates);
      const y = tf.tensor1d(labels);
      if (alpha === 0) return binaryCrossEntropy(logits, y);
      // The teacher runs only if the target reads its logits (label smoothing does not).
      const teacherLogits = () => this.teacher.candidateLogits(batch.histories, batch.size, candidates);
      const teacher = stopGradient(target.of({ labels: y, teacherLogits }));
      return binaryKdLoss(logits, teacher, y, { lambda: alpha, temperature });
    });
  }

  stepBytes(batch: Batch): number {
    // The teacher's forward pass on the same pairs (its training estimate bounds it); none at α = 0.
    return this.student.stepBytes(batch) + (this.settings.alpha === 0 ? 0 : this.teacher.stepBytes(batch));
  }
}
