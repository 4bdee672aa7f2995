// A distilled student as a RecModel. Takes a trained sequential (SASRec) teacher, a student built
// from the distill block's student attributes, and the block's temperature τ, weight α and teacher
// transform; gives a model that trains the student on
//   L = (1−α)·CE_ε(y, q) + α·τ²·KL(T(p^t_τ) ‖ q_τ)
// (losses/kd.ts, with the student's own label smoothing ε kept in the hard term), where
// p^t_τ = softmax(z_t/τ) over the items (the padding column excluded), T the teacher transform
// (transforms.ts, chosen by the compiler) and q_τ = softmax(z_s/τ). The soft term is taken at every position the hard term
// trains (`positions: all` trains each position of a sequence on the teacher's prediction for it,
// which a causal teacher gives), and its teacher side is a constant: stopGradient, and the
// teacher's variables are not among the trained ones.
//
// Everything else is the student's: parameters (saved and restored under the student's names),
// scoring, validation loss (plain held-out CE, comparable with an undistilled model) and the memory
// estimate. With α = 0 no teacher is run and the loss is computed by exactly the student's own
// operations, so training equals plain training of the student bit for bit (tested).
// `precompute` swaps the teacher's encoder pass for a lookup in a TeacherCache (teacher-cache.ts).
import * as tf from "@tensorflow/tfjs-core";
import { stopGradient } from "../backend/ops.js";
import type { Batch } from "../data/batching.js";
import { INFERENCE } from "../layers/dropout.js";
import { distillationKlPerExample } from "../losses/kd.js";
import { softmaxCrossEntropy } from "../losses/softmax-cross-entropy.js";
import type { TransformerConfig } from "../layers/transformer.js";
import { transformerStepBytes } from "../models/sequence-encoder.js";
import { usedLength } from "../models/sequence-input.js";
import { targetPositions } from "../models/target-positions.js";
import type { LossContext } from "../models/rec-model.js";
import { Rng } from "../random.js";
import { DistilledStudent, type DistillSettings } from "./distilled-student.js";
import { embeddingOf, outputTable, type SequenceNetwork } from "./sequence-network.js";
import { cachedHidden, type TeacherCache } from "./teacher-cache.js";
import { itemColumnsMask, teacherProbabilities } from "./transforms.js";

/** What the distillation needs to know of its two networks, besides τ, α and the transform. */
export interface SequenceDistillSettings extends DistillSettings {
  /** Where the student trains: every position with a target, or the last. */
  positions: "all" | "last";
  /** The student's own label smoothing ε, kept in the hard term. */
  labelSmoothing: number;
  /** The teacher's transformer: its causality (checked) and the memory of its forward pass. */
  teacherEncoder: TransformerConfig;
}

export class DistillModel extends DistilledStudent<SequenceNetwork, SequenceNetwork> {
  declare readonly settings: SequenceDistillSettings;
  private valid: tf.Tensor1D | null = null;

  constructor(
    student: SequenceNetwork,
    teacher: SequenceNetwork,
    settings: SequenceDistillSettings,
    /** Precomputed teacher hidden states; null runs the teacher every step. */
    readonly cache: TeacherCache | null = null,
    name = student.name,
  ) {
    super(student, teacher, settings, name);
    if (settings.positions === "all" && !settings.teacherEncoder.causal) {
      throw new Error(
        `distill ${name}: the student trains every position but the teacher is not causal, so its predictions there see the future; use positions = last for the student`,
      );
    }
    if (cache !== null && cache.positions === "last" && settings.positions === "all") {
      throw new Error(`distill ${name}: the teacher cache holds last positions only, the student trains all`);
    }
  }

  protected trainingLoss(batch: Batch, ctx: LossContext): tf.Scalar {
    const { temperature: tau, alpha } = this.settings;
    const rng = ctx.rng ?? new Rng(0);
    return tf.tidy(() => {
      // The student's forward pass and hard term, op for op as a generated sequential model's loss has them.
      const { hidden, ids, length } = this.student.encode(batch.histories, batch.size, { training: true, rng });
      const { rows, targets } = targetPositions(ids, batch.targets, batch.size, length, this.settings.positions);
      const table = outputTable(this.student) as tf.Tensor2D;
      const e = embeddingOf(this.student);
      if (rows.length === 0) return tf.mul(tf.sum(hidden), 0) as tf.Scalar;
      const flat = tf.reshape(hidden, [batch.size * length, e]) as tf.Tensor2D;
      const h = tf.gather(flat, tf.tensor1d(rows, "int32")) as tf.Tensor2D;
      const logits = tf.matMul(h, table, false, true) as tf.Tensor2D;
      const hard = softmaxCrossEntropy(logits, tf.tensor1d(targets, "int32"), {
        labelSmoothing: this.settings.labelSmoothing,
        ignoreIndex: null,
      });
      if (alpha === 0) return hard;
      const teacher = stopGradient(this.teacherDistribution(batch, length, rows, targets));
      const soft = tf.mean(distillationKlPerExample(logits, teacher, tau));
      const scaledSoft = tf.mul(soft, alpha * tau * tau);
      return (alpha === 1 ? scaledSoft : tf.add(tf.mul(hard, 1 - alpha), scaledSoft)) as tf.Scalar;
    });
  }

  /**
   * The transformed teacher distribution [P, N+1] at τ for the flat rows b·L + t of a batch
   * trimmed to L columns, with their targets. Public for the analysis and tests.
   */
  teacherDistribution(batch: Batch, length: number, rows: Int32Array, targets: Int32Array, temperature = this.settings.temperature): tf.Tensor2D {
    return tf.tidy(() => {
      const valid = this.validColumns();
      const tableT = outputTable(this.teacher) as tf.Tensor2D;
      return this.settings.target.of({
        targets: tf.tensor1d(targets, "int32"),
        columns: this.numItems + 1,
        valid,
        // The teacher's pass (or its cached hidden states) only for a target that reads it.
        probabilities: () => teacherProbabilities(tf.matMul(this.teacherHidden(batch, length, rows), tableT, false, true), temperature, valid),
        weights: () => tableT,
      });
    });
  }

  stepBytes(batch: Batch): number {
    const base = this.student.stepBytes(batch);
    // α = 0 runs no teacher; keep the student's estimate so micro-batching (and so every bit of
    // the update) is the plain student's.
    if (this.settings.alpha === 0) return base;
    const p = this.student.lossWeight(batch);
    // Teacher logits, probabilities, the transform's buffer and the KL's products: ~5 [P, N+1].
    let extra = p * (this.numItems + 1) * 4 * 5;
    if (this.cache === null && this.settings.target.readsProbabilities) {
      const length = usedLength(batch.histories, batch.size, batch.length);
      extra += transformerStepBytes(batch.size, length, this.settings.teacherEncoder, embeddingOf(this.teacher));
    }
    return base + extra;
  }

  /** Frees the student (and the mask); the teacher belongs to its own block. */
  override dispose(): void {
    this.valid?.dispose();
    this.valid = null;
    super.dispose();
  }

  private teacherHidden(batch: Batch, length: number, rows: Int32Array): tf.Tensor2D {
    if (this.cache !== null) return cachedHidden(this.cache, batch, length, rows);
    const { hidden, length: l } = this.teacher.encode(batch.histories, batch.size, INFERENCE);
    if (l !== length) throw new Error(`internal: teacher trimmed the batch to ${l} columns, the student to ${length}`);
    const e = embeddingOf(this.teacher);
    return tf.gather(tf.reshape(hidden, [batch.size * length, e]), tf.tensor1d(rows, "int32")) as tf.Tensor2D;
  }

  private validColumns(): tf.Tensor1D {
    if (this.valid === null) this.valid = tf.keep(itemColumnsMask(this.numItems));
    return this.valid;
  }
}
