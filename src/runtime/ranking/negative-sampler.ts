// Sampled negatives of a pointwise ranker's logistic loss. Takes the training item counts and the
// cold-item mask (prepare-data.ts); gives a sampler that draws items ∝ training frequency
// (popularity) or uniformly over the items seen in training, never a cold item, and
// `trainingPairs`: per example its positive (label 1) then M drawn negatives (label 0).
import type { Rng } from "../random.js";

/** Negatives for training: ∝ training frequency, or uniform over items seen in training. */
export class NegativeSampler {
  private readonly cumulative: Float64Array;
  private readonly items: Int32Array;

  constructor(trainCounts: ArrayLike<number>, coldMask: ArrayLike<number>, sampling: "popularity" | "uniform") {
    const items: number[] = [];
    const weights: number[] = [];
    for (let i = 1; i < trainCounts.length; i++) {
      // Cold items have count 0; the mask check keeps them out even if a count slipped through.
      if (trainCounts[i] > 0 && coldMask[i] === 0) {
        items.push(i);
        weights.push(sampling === "uniform" ? 1 : trainCounts[i]);
      }
    }
    if (items.length < 2) throw new Error("ranking: negatives need at least two items seen in training");
    this.items = Int32Array.from(items);
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    weights.forEach((w, k) => (this.cumulative[k] = total += w));
  }

  /** One item ≠ avoid (redrawn up to 20 times; a training item always has another to pick). */
  draw(rng: Rng, avoid: number): number {
    const total = this.cumulative[this.cumulative.length - 1];
    let item = avoid;
    for (let attempt = 0; attempt < 20 && item === avoid; attempt++) {
      const r = rng.next() * total;
      let lo = 0;
      let hi = this.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.cumulative[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      item = this.items[lo];
    }
    if (item === avoid) item = this.items[this.items[0] === avoid ? 1 : 0];
    return item;
  }
}

/** The (history, candidate) pairs of one training step, [B·C] row-major with C = negatives + 1. */
export interface TrainingPairs {
  candidates: Int32Array;
  labels: Float32Array;
}

/** Per target its positive (label 1) then `negatives` items drawn ≠ the target, in that order. */
export function trainingPairs(targets: Int32Array, size: number, negatives: number, sampler: NegativeSampler, rng: Rng): TrainingPairs {
  const C = negatives + 1;
  const candidates = new Int32Array(size * C);
  const labels = new Float32Array(size * C);
  for (let b = 0; b < size; b++) {
    const target = targets[b];
    candidates[b * C] = target;
    labels[b * C] = 1;
    for (let k = 1; k <= negatives; k++) candidates[b * C + k] = sampler.draw(rng, target);
  }
  return { candidates, labels };
}
