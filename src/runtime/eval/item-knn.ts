// The item-kNN baseline reported beside a model (`baselines = [item_knn(k: 50)]`). Takes each
// training user's items and the catalogue size; gives, per item i, its k nearest items j by
// cosine similarity over users, sim(i, j) = |U_i ∩ U_j| / √(|U_i| · |U_j|) (U_i: the users whose
// training items hold i), and per user the score of item j, Σ over the distinct items i of the
// user's history of sim(i, j) where j is among i's k neighbours (0 otherwise). Lists rank by score,
// ties (items no history item reaches included) to the lower id, as in top-k.ts; pad 0 never ranks.
// Nothing is trained: the similarities are counted once from the training data.
import type { Example } from "../data/split.js";
import { topKOfRow, type Exclusions } from "./top-k.js";

export class ItemKnnBaseline {
  /** CSR of each item's kept neighbours: item i's are ids[offsets[i] .. offsets[i+1]), most similar first. */
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  readonly sims: Float64Array;

  /**
   * `users`: each training user's items (duplicates count once); `numItems`: real items 1..numItems;
   * `k`: neighbours kept per item.
   */
  constructor(
    users: ReadonlyArray<ArrayLike<number>>,
    readonly numItems: number,
    readonly k: number,
  ) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`item_knn: k must be a positive integer, got ${k}`);
    const sets = users.map((items) => Int32Array.from(new Set(Array.from(items).filter((i) => i > 0 && i <= numItems))));
    // Inverted index: the users holding each item, and each item's user count |U_i|.
    const count = new Int32Array(numItems + 1);
    for (const s of sets) for (const i of s) count[i]++;
    const start = new Int32Array(numItems + 2);
    for (let i = 1; i <= numItems; i++) start[i + 1] = start[i] + count[i];
    const holders = new Int32Array(start[numItems + 1]);
    const fill = start.slice(0, numItems + 1);
    sets.forEach((s, u) => {
      for (const i of s) holders[fill[i]++] = u;
    });
    // Co-occurrence counts of item i with every other item, one item at a time (Σ_u |items_u|² work).
    const co = new Int32Array(numItems + 1);
    const touched: number[] = [];
    const offsets = new Int32Array(numItems + 2);
    const ids: number[] = [];
    const sims: number[] = [];
    for (let i = 1; i <= numItems; i++) {
      touched.length = 0;
      for (let p = start[i]; p < start[i + 1]; p++) {
        for (const j of sets[holders[p]]) {
          if (j === i) continue;
          if (co[j] === 0) touched.push(j);
          co[j]++;
        }
      }
      const scored = touched.map((j) => ({ j, s: co[j] / Math.sqrt(count[i] * count[j]) }));
      for (const j of touched) co[j] = 0;
      scored.sort((a, b) => b.s - a.s || a.j - b.j);
      for (const { j, s } of scored.slice(0, k)) {
        ids.push(j);
        sims.push(s);
      }
      offsets[i + 1] = ids.length;
    }
    offsets[0] = 0;
    this.offsets = offsets;
    this.ids = Int32Array.from(ids);
    this.sims = Float64Array.from(sims);
  }

  /** sim(i, j) when j is among i's kept neighbours, else 0. */
  similarity(i: number, j: number): number {
    if (i < 1 || i > this.numItems) return 0;
    for (let p = this.offsets[i]; p < this.offsets[i + 1]; p++) if (this.ids[p] === j) return this.sims[p];
    return 0;
  }

  /** Scores [numItems + 1] of every item for a history: Σ over its distinct items i of sim(i, j). */
  scores(history: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.numItems + 1);
    for (const i of new Set(Array.from(history))) {
      if (i < 1 || i > this.numItems) continue;
      for (let p = this.offsets[i]; p < this.offsets[i + 1]; p++) out[this.ids[p]] += this.sims[p];
    }
    return out;
  }

  /** The K best items for a history, best first, leaving out the pad and `exclude`. */
  rank(k: number, history: ArrayLike<number>, exclude?: ArrayLike<number> | null): Int32Array {
    const mask = new Uint8Array(this.numItems + 1);
    mask[0] = 1;
    if (exclude) for (let n = 0; n < exclude.length; n++) if (exclude[n] >= 0 && exclude[n] <= this.numItems) mask[exclude[n]] = 1;
    return topKOfRow(this.scores(history), k, mask);
  }

  /** Top-K lists of every example (its history scored), each leaving out its entry in `exclude`. */
  rankExamples(k: number, examples: readonly Example[], exclude?: Exclusions): Int32Array[] {
    return examples.map((e, u) => this.rank(k, e.history, exclude?.[u]));
  }
}

/** Each training user's items — every history and target of their examples — for the similarities. */
export function trainingUserItems(training: readonly Example[]): number[][] {
  const byUser = new Map<number, number[]>();
  for (const ex of training) {
    let items = byUser.get(ex.user);
    if (!items) byUser.set(ex.user, (items = []));
    for (const i of ex.history) items.push(i);
    items.push(ex.target);
  }
  return [...byUser.values()];
}
