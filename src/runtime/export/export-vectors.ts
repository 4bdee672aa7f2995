// The numbers a browser export carries, computed the way `recommend` scores. Takes a recommender
// and its model's vector scoring (vector-scoring.ts); gives the query vectors of
// every user of the data set (read from the user's whole history, as `recommend` reads it), every
// item's vector, each user's seen items (for leaving them out) as offsets into one list, and the id
// tables. Users are encoded in batches so a long-history model never holds every user's activations.
import type { Recommender } from "../recommend/recommender.js";
import { paddedHistories, type KnownUser } from "../recommend/user-histories.js";
import { userItems } from "../data/interactions.js";
import type { VectorScoring } from "./vector-scoring.js";

export interface ExportedVectors {
  /** [users, heads, dim] row-major: user u's heads at u·heads·dim. */
  readonly queries: Float32Array;
  /** [numItems + 1, dim] row-major, row 0 the padding item. */
  readonly items: Float32Array;
  readonly heads: number;
  readonly dim: number;
  /** Length users + 1: user u's seen items are seenItems[seenOffsets[u] .. seenOffsets[u + 1]]. */
  readonly seenOffsets: Int32Array;
  readonly seenItems: Int32Array;
  /** Raw user ids by index. */
  readonly userIds: readonly string[];
  /** Raw item ids by index; [0] is "" (padding). */
  readonly itemIds: readonly string[];
}

export async function exportVectors(recommender: Recommender, scoring: VectorScoring, batchSize = 256): Promise<ExportedVectors> {
  const { model, data } = recommender;
  const store = data.store;
  const catalogue = scoring.catalogueVectors();
  let items: Float32Array;
  let dim: number;
  try {
    dim = catalogue.shape[1];
    items = Float32Array.from((await catalogue.data()) as Float32Array);
  } finally {
    catalogue.dispose();
  }
  const numUsers = store.numUsers;
  let queries = new Float32Array(0);
  let heads = 1;
  for (let first = 0; first < numUsers; first += batchSize) {
    const users: KnownUser[] = [];
    for (let u = first; u < Math.min(numUsers, first + batchSize); u++) users.push({ id: store.userIds[u], index: u, history: userItems(store, u) });
    const q = scoring.queryVectors(
      paddedHistories(users, recommender.model.historyLength),
      users.length,
      Int32Array.from(users, (u) => u.index),
    );
    try {
      if (q.shape[2] !== dim) throw new Error(`internal: ${model.name}: query vectors of ${q.shape[2]} against item vectors of ${dim}`);
      if (first === 0) {
        heads = q.shape[1];
        queries = new Float32Array(numUsers * heads * dim);
      }
      queries.set((await q.data()) as Float32Array, first * heads * dim);
    } finally {
      q.dispose();
    }
  }
  // Every item of each user in the data set: what `recommend` leaves out.
  const seenOffsets = Int32Array.from(store.offsets.subarray(0, numUsers + 1), (o) => o - store.offsets[0]);
  const seenItems = Int32Array.from(store.items.subarray(store.offsets[0], store.offsets[numUsers]));
  return { queries, items, heads, dim, seenOffsets, seenItems, userIds: store.userIds, itemIds: store.itemIds };
}
