// The popularity baseline reported beside every result. Takes per-item training counts (see
// countItems in slices.ts) and gives, for each user, the K most frequent training items, optionally
// skipping the user's history. Ties go to the lower item id, as in top-k.ts; the pad 0 never ranks.
import type { Exclusions } from "./top-k.js";

export class PopularityBaseline {
  /** Item ids 1..n-1 by training count descending, ties by lower id. */
  readonly order: Int32Array;

  constructor(counts: ArrayLike<number>) {
    const ids = Array.from({ length: Math.max(0, counts.length - 1) }, (_, i) => i + 1);
    ids.sort((a, b) => counts[b] - counts[a] || a - b);
    this.order = Int32Array.from(ids);
  }

  /** The K most popular items not in `exclude`, most popular first. */
  rank(k: number, exclude?: ArrayLike<number> | null): Int32Array {
    const out = new Int32Array(Math.min(k, this.order.length));
    if (exclude === undefined || exclude === null || exclude.length === 0) {
      out.set(this.order.subarray(0, out.length));
      return out;
    }
    // Walk the global order and skip; a user's history is short next to the catalogue.
    const skip = new Set<number>(Array.from(exclude));
    let n = 0;
    for (let i = 0; i < this.order.length && n < out.length; i++) {
      const id = this.order[i];
      if (!skip.has(id)) out[n++] = id;
    }
    return n === out.length ? out : out.slice(0, n);
  }

  /** Top-K lists for users firstUser..firstUser+count-1, each excluding its entry in `exclude`. */
  rankUsers(k: number, count: number, exclude?: Exclusions, firstUser = 0): Int32Array[] {
    const out: Int32Array[] = [];
    for (let u = firstUser; u < firstUser + count; u++) out.push(this.rank(k, exclude?.[u]));
    return out;
  }
}
