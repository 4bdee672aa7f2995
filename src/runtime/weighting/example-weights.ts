// Per-example loss weights of a retrieval model, looked up by each example's target item. Takes
// the training examples and per-item weights (length N + 1, e.g. inverse frequency or IDW's);
// gives them rescaled to mean 1 over the training examples, so weighting changes which examples
// count, not the loss scale, plus the per-batch lookups the loss and the trainer need.
import * as tf from "@tensorflow/tfjs-core";
import type { Example } from "../data/split.js";

/** How often each item 0..N is the target of the examples (0, the pad, never is). */
export function targetCounts(examples: readonly Example[], numItems: number): Int32Array {
  const counts = new Int32Array(numItems + 1);
  for (const e of examples) counts[e.target]++;
  return counts;
}

export class ExampleWeights {
  private weights: Float32Array | null = null;

  constructor(
    private readonly examples: readonly Example[],
    private readonly numItems: number,
  ) {}

  /** The weight of an example by its target item (length N + 1), or null when every example weighs 1. */
  get byItem(): Float32Array | null {
    return this.weights;
  }

  /** Replaces the weights (null: every example weighs 1), rescaled to mean 1 over the examples. */
  set(weights: Float32Array | null): void {
    if (weights === null) {
      this.weights = null;
      return;
    }
    if (weights.length !== this.numItems + 1) throw new Error(`item weights: need ${this.numItems + 1} weights, got ${weights.length}`);
    let total = 0;
    for (const e of this.examples) total += weights[e.target];
    if (!(total > 0) || !Number.isFinite(total)) throw new Error("item weights: weights of the training targets must sum to a positive number");
    const scale = this.examples.length / total;
    this.weights = Float32Array.from(weights, (w) => w * scale);
  }

  /** [B] weights of a batch's examples, or undefined when every example weighs 1. */
  of(targets: Int32Array): tf.Tensor1D | undefined {
    const w = this.weights;
    return w === null ? undefined : tf.tensor1d(Float32Array.from(targets, (t) => w[t]));
  }

  /** The batch's total weight: the denominator of its weighted mean loss. */
  total(targets: Int32Array): number {
    if (this.weights === null) return targets.length;
    let sum = 0;
    for (const t of targets) sum += this.weights[t];
    return sum;
  }
}
