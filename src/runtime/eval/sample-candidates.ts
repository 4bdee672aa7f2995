// Candidate sets for sampled evaluation: the target(s) first, then distinct negatives drawn by training
// popularity (or uniformly) with a seeded generator. Shared by the full-model and ranking evaluators.
import type { Example } from "../data/split.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { Rng } from "../random.js";

/**
 * Per example: the target first, then `negatives` distinct items drawn by training popularity
 * (or uniformly), never the target, never the pad, and not the history when it is excluded.
 */
export function sampleCandidates(
  examples: readonly Example[],
  data: Pick<PreparedData, "numItems" | "trainCounts">,
  negatives: number,
  sampling: "popularity" | "uniform",
  excludeHistory: boolean,
  rng: Rng,
): Int32Array[] {
  const n = data.numItems;
  const cumulative = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) cumulative[i] = cumulative[i - 1] + (sampling === "uniform" ? 1 : data.trainCounts[i]);
  const total = cumulative[n];
  const draw = (): number => {
    if (total === 0) return 1 + rng.int(n);
    const r = rng.next() * total;
    let lo = 1;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return examples.map((e) => {
    // Every held-out item of the example is a candidate (ratio and random splits hold several).
    const targets = Array.from(e.targets ?? [e.target]);
    const banned = new Set<number>([0, ...targets]);
    if (excludeHistory) for (const i of e.history) banned.add(i);
    const eligible = Math.max(0, n - (banned.size - 1));
    const want = Math.min(negatives, eligible);
    const out = targets;
    const taken = new Set<number>();
    // Rejection sampling; fall back to a scan when popular items are exhausted.
    for (let attempts = 0; taken.size < want && attempts < want * 50; attempts++) {
      const i = draw();
      if (!banned.has(i) && !taken.has(i)) taken.add(i);
    }
    for (let i = 1; taken.size < want && i <= n; i++) if (!banned.has(i)) taken.add(i);
    for (const i of taken) out.push(i);
    return Int32Array.from(out);
  });
}
