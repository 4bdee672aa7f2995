// The synthetic multi-interest data of the density-weighting paper's sensitivity study (Mehta et al.,
// 2023). Takes the generator's parameters and a seed; gives an InteractionStore of `users` sequences
// of `length` items over `clusters` × `itemsPerCluster` items, plus each item's cluster and rank
// and each user's interest clusters — the ground truth that per-cluster metrics need.
//
// Per user, the interests (C clusters, U per user, p(c) ∝ (c + 1)^−interestPower, uniform when 0):
//   "distinct"    — U different clusters, each drawn ∝ p among the clusters not drawn yet;
//   "independent" — U independent draws ∝ p, repeats merged, so a user has 1 … U interests (the
//                   authors' `generate_user_specific_markovian_data` does this when the power is
//                   > 0, and draws U distinct clusters uniformly when it is 0).
// Then a user-specific Markov chain over clusters. The first cluster is one of the user's interests
// (`start` "interest") or any of the C clusters (`start` "any", the authors' code), uniformly. With
// K the user's number of interests: from an interest, stay with `stay` (α), move to each other
// interest with `switch`/(K − 1) (γ), to each non-interest cluster with (1 − α − γ)/(C − K); from
// a non-interest, stay with `nonInterestStay` (ε), else go to each interest with (1 − ε)/K. Mass
// with nowhere to go (γ when K = 1, 1 − α − γ when K = C) stays, as in the authors' code for K = 1.
// At each step draw an item of the current cluster with p(rank r) ∝ r^−itemPower, r = 1 … I.
// Item of cluster c and rank r has index c·itemsPerCluster + r (raw id the same number as text);
// user u has raw id String(u). The store has no timestamps: sequence order is time order.
// A data set too large for the heap is refused before anything is allocated (RS6021, memory-bound.ts).

import { Rng } from "../random.js";
import { buildInteractions, type InteractionStore } from "./interactions.js";
import { checkDataFits } from "./memory-bound.js";

/** Heap bytes per interaction while generating: raw id columns, then the store's index arrays. */
export const SYNTHETIC_BYTES_PER_INTERACTION = 48;
/** Heap bytes per user (id string, index map entry, offsets, interests) and per item (id, maps). */
export const SYNTHETIC_BYTES_PER_ENTITY = 128;

/** What generating `options` needs in memory, roughly (measured: ≈ 20 bytes per interaction). */
export function syntheticBytes(o: Pick<SyntheticOptions, "users" | "length" | "clusters" | "itemsPerCluster" | "interestsPerUser">): number {
  return (
    o.users * o.length * SYNTHETIC_BYTES_PER_INTERACTION +
    (o.users + o.clusters * o.itemsPerCluster) * SYNTHETIC_BYTES_PER_ENTITY +
    o.users * o.interestsPerUser * 4
  );
}

export type InterestDraw = "distinct" | "independent";
export type WalkStart = "interest" | "any";

export interface SyntheticOptions {
  readonly users: number;
  readonly clusters: number;
  readonly itemsPerCluster: number;
  readonly interestsPerUser: number;
  /** Skew of interest clusters across users; 0 = uniform. */
  readonly interestPower: number;
  /** Skew of item popularity inside a cluster; 0 = uniform. */
  readonly itemPower: number;
  /** α: probability of staying in the current interest. */
  readonly stay: number;
  /** γ: probability of moving to another of the user's interests. */
  readonly switch: number;
  /** ε: probability of staying in a non-interest cluster (default 0; the authors' code uses 0.2). */
  readonly nonInterestStay?: number;
  /** How a user's interests are drawn (default "distinct"; see the header). */
  readonly interestDraw?: InterestDraw;
  /** Where each walk starts (default "interest"; see the header). */
  readonly start?: WalkStart;
  readonly length: number;
  readonly seed: number;
}

export interface SyntheticData {
  readonly store: InteractionStore;
  /** Length numItems + 1: cluster of each item index (−1 for padding). */
  readonly itemCluster: Int32Array;
  /** Length numItems + 1: popularity rank of each item within its cluster, from 1 (0 for padding). */
  readonly itemRank: Int32Array;
  readonly interestsPerUser: number;
  /** [users × interestsPerUser] row-major: the interest clusters of user u, distinct, in the order
   * drawn, padded with −1 when an "independent" draw repeated a cluster. */
  readonly userInterests: Int32Array;
}

/** `name` is the dataset block's, for the message when the data would not fit. */
export function generateSynthetic(options: SyntheticOptions, name?: string): SyntheticData {
  check(options);
  checkDataFits(
    `${name === undefined ? "synthetic data" : `dataset \`${name}\``} (users = ${options.users}, length = ${options.length}, ${options.clusters * options.itemsPerCluster} items)`,
    syntheticBytes(options),
    "lower `users`, `length` or `items_per_cluster`",
  );
  const { users, clusters: C, itemsPerCluster: I, interestsPerUser: U, length: L } = options;
  const alpha = options.stay;
  const gamma = options.switch;
  const epsilon = options.nonInterestStay ?? 0;
  const root = new Rng(options.seed);
  const interestRng = root.fork("interests");
  const walkRng = root.fork("walk");

  const clusterWeights = Float64Array.from({ length: C }, (_, c) => (c + 1) ** -options.interestPower);
  const rankWeights = Float64Array.from({ length: I }, (_, r) => (r + 1) ** -options.itemPower);
  let rankTotal = 0;
  for (const w of rankWeights) rankTotal += w;
  const independent = (options.interestDraw ?? "distinct") === "independent";
  const anyStart = (options.start ?? "interest") === "any";

  const userInterests = new Int32Array(users * U).fill(-1);
  const rawUsers: string[] = new Array(users * L);
  const rawItems: string[] = new Array(users * L);
  const isInterest = new Uint8Array(C);
  const others = new Int32Array(C);
  for (let u = 0; u < users; u++) {
    isInterest.fill(0);
    // K: the user's number of distinct interests (U unless an independent draw repeated one).
    let K = 0;
    const weights = independent ? clusterWeights : clusterWeights.slice();
    for (let h = 0; h < U; h++) {
      const c = interestRng.categorical(weights);
      if (!independent) weights[c] = 0;
      if (isInterest[c]) continue;
      isInterest[c] = 1;
      userInterests[u * U + K++] = c;
    }
    const interests = userInterests.subarray(u * U, u * U + K);
    let nonInterestCount = 0;
    for (let c = 0; c < C; c++) if (!isInterest[c]) others[nonInterestCount++] = c;
    // With nowhere to go, the mass of a move stays put.
    const pSwitch = K > 1 ? gamma : 0;
    const pLeave = K < C ? 1 - alpha - gamma : 0;

    let cluster = anyStart ? walkRng.int(C) : interests[walkRng.int(K)];
    for (let t = 0; t < L; t++) {
      if (t > 0) cluster = step(cluster);
      const rank = walkRng.categorical(rankWeights, rankTotal) + 1;
      rawUsers[u * L + t] = String(u);
      rawItems[u * L + t] = String(cluster * I + rank);
    }

    function step(from: number): number {
      const x = walkRng.next();
      if (isInterest[from]) {
        if (x < 1 - pSwitch - pLeave) return from;
        if (x < 1 - pLeave) {
          // Another interest, uniformly: pick among the K − 1 others.
          const k = walkRng.int(K - 1);
          const own = interests.indexOf(from);
          return interests[k >= own ? k + 1 : k];
        }
        return others[walkRng.int(nonInterestCount)];
      }
      if (x < epsilon) return from;
      return interests[walkRng.int(K)];
    }
  }

  const numItems = C * I;
  const itemIds = Array.from({ length: numItems }, (_, k) => String(k + 1));
  const store = buildInteractions({ users: rawUsers, items: rawItems }, { itemIds });
  const itemCluster = new Int32Array(numItems + 1);
  const itemRank = new Int32Array(numItems + 1);
  itemCluster[0] = -1;
  for (let i = 1; i <= numItems; i++) {
    itemCluster[i] = Math.floor((i - 1) / I);
    itemRank[i] = ((i - 1) % I) + 1;
  }
  return { store, itemCluster, itemRank, interestsPerUser: U, userInterests };
}

function check(o: SyntheticOptions): void {
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`synthetic: ${name} must be a positive integer, got ${v}`);
  };
  positive("users", o.users);
  positive("clusters", o.clusters);
  positive("items_per_cluster", o.itemsPerCluster);
  positive("interests_per_user", o.interestsPerUser);
  positive("length", o.length);
  if (o.interestsPerUser > o.clusters) {
    throw new RangeError(`synthetic: interests_per_user (${o.interestsPerUser}) exceeds clusters (${o.clusters})`);
  }
  const probability = (name: string, v: number) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`synthetic: ${name} must be in [0, 1], got ${v}`);
  };
  if (o.interestDraw !== undefined && o.interestDraw !== "distinct" && o.interestDraw !== "independent") {
    throw new RangeError(`synthetic: interest_draw must be "distinct" or "independent", got ${String(o.interestDraw)}`);
  }
  if (o.start !== undefined && o.start !== "interest" && o.start !== "any") {
    throw new RangeError(`synthetic: start must be "interest" or "any", got ${String(o.start)}`);
  }
  probability("stay", o.stay);
  probability("switch", o.switch);
  probability("non_interest_stay", o.nonInterestStay ?? 0);
  if (o.stay + o.switch > 1 + 1e-12) throw new RangeError(`synthetic: stay + switch must be ≤ 1, got ${o.stay + o.switch}`);
  for (const [name, v] of [
    ["interest_power", o.interestPower],
    ["item_power", o.itemPower],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`synthetic: ${name} must be ≥ 0, got ${v}`);
  }
}
