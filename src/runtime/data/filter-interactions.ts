// Filters applied to interactions before they are split: a rating threshold that turns explicit
// ratings into implicit feedback, then iterative k-core filtering. Takes a store and the dataset
// block's thresholds; gives the filtered store (item index order and item metadata kept, items left
// without interactions dropped) and the counts before and after, in words for the run's log.
import { buildInteractions, type InteractionStore, type ItemAttributes } from "./interactions.js";

export interface FilterOptions {
  /** Interactions rated below this are dropped; null keeps all (the store needs ratings otherwise). */
  readonly minRating: number | null;
  /** Users with fewer interactions are dropped, repeatedly, with `minItemInteractions` (k-core). */
  readonly minUserInteractions: number;
  /** Items with fewer interactions are dropped, repeatedly, with `minUserInteractions`. */
  readonly minItemInteractions: number;
}

export interface StoreCounts {
  readonly users: number;
  readonly items: number;
  readonly interactions: number;
}

export interface FilterSummary {
  readonly before: StoreCounts;
  /** Interactions the rating threshold dropped (0 without one). */
  readonly belowRating: number;
  /** Passes of the k-core loop, the last of which removed nothing (0 without a k-core). */
  readonly rounds: number;
  readonly after: StoreCounts;
}

export interface FilteredInteractions {
  readonly store: InteractionStore;
  readonly summary: FilterSummary;
}

const countsOf = (s: InteractionStore): StoreCounts => ({ users: s.numUsers, items: s.numItems, interactions: s.numInteractions });

export function filterInteractions(store: InteractionStore, options: FilterOptions): FilteredInteractions {
  const n = store.numInteractions;
  const keep = new Uint8Array(n).fill(1);
  let belowRating = 0;
  if (options.minRating !== null) {
    const ratings = store.ratings;
    if (ratings === undefined) throw new Error("filterInteractions: min_rating needs a store with ratings");
    for (let p = 0; p < n; p++) {
      if (ratings[p] < options.minRating) {
        keep[p] = 0;
        belowRating++;
      }
    }
  }
  const rounds = options.minUserInteractions > 1 || options.minItemInteractions > 1 ? kCore(store, keep, options) : 0;
  const summary = (after: StoreCounts): FilterSummary => ({ before: countsOf(store), belowRating, rounds, after });
  if (keep.every((k) => k === 1)) return { store, summary: summary(countsOf(store)) };
  const filtered = rebuild(store, keep);
  return { store: filtered, summary: summary(countsOf(filtered)) };
}

/**
 * Clears `keep` for interactions of users below minUser or items below minItem, and again with the
 * counts that leaves, until a pass removes nothing: dropping an item can push a user under the
 * threshold and the other way round. Gives the number of passes.
 */
function kCore(store: InteractionStore, keep: Uint8Array, options: FilterOptions): number {
  const userCount = new Int32Array(store.numUsers);
  const itemCount = new Int32Array(store.numItems + 1);
  let rounds = 0;
  for (;;) {
    rounds++;
    userCount.fill(0);
    itemCount.fill(0);
    for (let u = 0; u < store.numUsers; u++) {
      for (let p = store.offsets[u]; p < store.offsets[u + 1]; p++) {
        if (keep[p] === 0) continue;
        userCount[u]++;
        itemCount[store.items[p]]++;
      }
    }
    let removed = 0;
    for (let u = 0; u < store.numUsers; u++) {
      for (let p = store.offsets[u]; p < store.offsets[u + 1]; p++) {
        if (keep[p] === 1 && (userCount[u] < options.minUserInteractions || itemCount[store.items[p]] < options.minItemInteractions)) {
          keep[p] = 0;
          removed++;
        }
      }
    }
    if (removed === 0) return rounds;
  }
}

/** A store of the kept interactions, in their order (so each user's time order stays). */
function rebuild(store: InteractionStore, keep: Uint8Array): InteractionStore {
  const users: string[] = [];
  const items: string[] = [];
  const times: number[] = [];
  const ratings: number[] = [];
  const used = new Uint8Array(store.numItems + 1);
  for (let u = 0; u < store.numUsers; u++) {
    for (let p = store.offsets[u]; p < store.offsets[u + 1]; p++) {
      if (keep[p] === 0) continue;
      users.push(store.userIds[u]);
      items.push(store.itemIds[store.items[p]]);
      used[store.items[p]] = 1;
      if (store.times) times.push(store.times[p]);
      if (store.ratings) ratings.push(store.ratings[p]);
    }
  }
  // The surviving items keep their relative index order (MovieLens ids stay sorted).
  const itemIds = store.itemIds.filter((_, i) => i > 0 && used[i] === 1);
  const attributes = store.attributes;
  const built = buildInteractions(
    { users, items, ...(store.times ? { times } : {}), ...(store.ratings ? { ratings } : {}) },
    {
      itemIds,
      ...(attributes
        ? {
            attributes: new Map(itemIds.map((id) => [id, rawAttributes(attributes, store.itemIndex.get(id)!)])),
            attributeIds: attributes.attributeIds,
          }
        : {}),
      ...(store.itemText ? { itemText: new Map(itemIds.map((id) => [id, store.itemText![store.itemIndex.get(id)!]])) } : {}),
      ...(store.warnings ? { warnings: store.warnings } : {}),
    },
  );
  // User side features are keyed by raw id, so they hold for the users left as they are.
  return store.userFeatures ? { ...built, userFeatures: store.userFeatures } : built;
}

/** The raw attribute ids of an item index. */
function rawAttributes(attributes: ItemAttributes, item: number): string[] {
  return Array.from(attributes.values.subarray(attributes.offsets[item], attributes.offsets[item + 1]), (a) => attributes.attributeIds[a]);
}

/** One log line: what each filter removed, e.g. for `data NAME: …`. */
export function describeFilter(summary: FilterSummary, options: FilterOptions): string {
  const { before, after } = summary;
  const parts: string[] = [];
  if (options.minRating !== null) parts.push(`min_rating ${options.minRating} dropped ${summary.belowRating} of ${before.interactions} interactions`);
  if (summary.rounds > 0) {
    parts.push(
      `k-core (users ≥ ${options.minUserInteractions}, items ≥ ${options.minItemInteractions}) in ${summary.rounds} pass${summary.rounds === 1 ? "" : "es"}`,
    );
  }
  return `${parts.join("; ")}: ${before.users} → ${after.users} users, ${before.items} → ${after.items} items, ${before.interactions} → ${after.interactions} interactions`;
}
