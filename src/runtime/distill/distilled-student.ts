// What every distilled model shares: it is its student as far as the trainer, checkpoints and
// evaluation can tell (parameters, examples, loss weight, scores, held-out loss), checks its τ, α
// and item space once, and differs only in its training loss and memory estimate. The teacher
// transform is a function the compiler chose (a TeacherTarget of transforms.ts for a softmax, a
// BinaryTeacherTarget of binary-targets.ts for a logistic head). The teacher belongs to its own
// block: dispose frees the student only.
import type * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import type { ParamStore } from "../layers/params.js";
import type { LossContext, RecModel } from "../models/rec-model.js";
import type { TeacherTarget } from "./transforms.js";

export interface DistillSettings<Target = TeacherTarget> {
  /** τ > 0. */
  readonly temperature: number;
  /** α in [0, 1]: the weight of the distillation term. */
  readonly alpha: number;
  /** The teacher transform T. */
  readonly target: Target;
}

export abstract class DistilledStudent<S extends RecModel, T extends RecModel, Target = TeacherTarget> implements RecModel {
  readonly params: ParamStore;
  readonly numItems: number;
  readonly historyLength: number;
  readonly trainingExamples: readonly Example[];

  constructor(
    readonly student: S,
    readonly teacher: T,
    readonly settings: DistillSettings<Target>,
    readonly name: string,
  ) {
    const { temperature, alpha } = settings;
    if (!(temperature > 0)) throw new Error(`distill ${name}: temperature must be positive, got ${temperature}`);
    if (!(alpha >= 0 && alpha <= 1)) throw new Error(`distill ${name}: alpha must be in [0, 1], got ${alpha}`);
    if (student.numItems !== teacher.numItems) {
      throw new Error(`distill ${name}: teacher scores ${teacher.numItems} items, student ${student.numItems}`);
    }
    this.params = student.params;
    this.numItems = student.numItems;
    this.historyLength = student.historyLength;
    this.trainingExamples = student.trainingExamples;
  }

  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    // Held-out loss: the student's own, so validation curves compare with an undistilled model.
    return ctx.training ? this.trainingLoss(batch, ctx) : this.student.loss(batch, ctx);
  }

  /** The distillation objective (1−α)·hard + α·τ²·soft on a training batch. */
  protected abstract trainingLoss(batch: Batch, ctx: LossContext): tf.Scalar;

  abstract stepBytes(batch: Batch): number;

  lossWeight(batch: Batch): number {
    return this.student.lossWeight(batch);
  }

  scoreItems(histories: Int32Array, count: number): tf.Tensor2D | Promise<tf.Tensor2D> {
    return this.student.scoreItems(histories, count);
  }

  dispose(): void {
    this.student.dispose();
  }
}
