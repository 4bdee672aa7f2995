// Teacher transforms of a logistic head (a ranking student), one function each: the probability of
// label 1 [P] the student is distilled towards. Takes the pairs' labels, and on demand the teacher's
// logits on the same pairs; gives
//   fullBinaryTarget            σ(z_t/τ)                (the teacher as it is)
//   labelSmoothingBinaryTarget  (1−ε)·y + ε/2           (no teacher: label smoothing over two classes)
// With two classes pt and topk are the full teacher again, and one logit has no class geometry for
// sim, so only these two have a binary form (the checker allows no other for a ranking student).
import * as tf from "@tensorflow/tfjs-core";

/** The pairs a ranking student scores, and the teacher's logits on them on demand. */
export interface TargetPairs {
  /** Labels y [P] in {0, 1}. */
  readonly labels: tf.Tensor1D;
  /** The teacher's logits z_t [P] on the same pairs (runs the teacher). */
  readonly teacherLogits: () => tf.Tensor1D;
}

/** A binary teacher transform as the compiler chose it: the target function with its parameters bound. */
export interface BinaryTeacherTarget {
  /** How logs name it: `full`, `label_smoothing(epsilon=0.1)`. */
  readonly label: string;
  /** The target probability of label 1 [P]. */
  readonly of: (pairs: TargetPairs) => tf.Tensor1D;
}

/** full: σ(z_t/τ) of the teacher's logits at the distillation temperature τ. */
export function fullBinaryTarget(pairs: TargetPairs, temperature: number): tf.Tensor1D {
  return tf.tidy(() => {
    const logits = pairs.teacherLogits();
    const z = temperature === 1 ? logits : tf.mul(logits, 1 / temperature);
    return tf.sigmoid(z) as tf.Tensor1D;
  });
}

/** label_smoothing(ε): (1−ε)·y + ε/2, from the labels alone. */
export function labelSmoothingBinaryTarget(pairs: TargetPairs, epsilon: number): tf.Tensor1D {
  return tf.tidy(() => tf.add(tf.mul(pairs.labels, 1 - epsilon), epsilon / 2) as tf.Tensor1D);
}
