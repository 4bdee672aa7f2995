// The columnar in-memory interaction store every reader, split and batcher shares. Takes raw
// (user, item, time?, rating?) columns plus optional item metadata; gives dense indices, per-user
// time-ordered item sequences in two flat Int32Arrays, item counts, and maps back to raw ids.
// Without times, each user's items keep the order of the source file.

import type { UserFeatureTable } from "./movielens-users.js";

/**
 * Item index 0 is reserved for padding: sequence models left-pad short histories with it, so no
 * real item may use it. Real items are 1..numItems; arrays indexed by item have numItems + 1 rows.
 */
export const PAD_ITEM = 0;

/** Per-item attribute lists in CSR form: the attributes of item i are values[offsets[i] .. offsets[i+1]). */
export interface ItemAttributes {
  /** Number of distinct attributes; dense attribute indices are 0..numAttributes-1. */
  readonly numAttributes: number;
  /** Dense attribute index → raw attribute id from the source file. */
  readonly attributeIds: readonly string[];
  /** Length numItems + 2 (one row per item index, including the empty padding row 0). */
  readonly offsets: Int32Array;
  /** Dense attribute indices, row after row. */
  readonly values: Int32Array;
}

/**
 * Interactions of users with items, grouped by user and ordered by time.
 *
 * - Users are dense indices 0..numUsers-1.
 * - Items are dense indices 1..numItems; **index 0 is PAD_ITEM**, never a real item. Every
 *   per-item array (itemIds, itemCounts, attribute rows, itemText) has numItems + 1 entries and its
 *   entry 0 describes the padding item (empty id, zero count, no attributes, empty text).
 * - The items of user u, oldest first, are items[offsets[u] .. offsets[u+1]); `userItems` gives
 *   them as a view. Ties in time keep the order of the source file.
 */
export interface InteractionStore {
  readonly numUsers: number;
  /** Number of real items (excluding the padding index 0). */
  readonly numItems: number;
  readonly numInteractions: number;
  /** User index → raw user id. */
  readonly userIds: readonly string[];
  /** Item index → raw item id; itemIds[0] is "" (padding). */
  readonly itemIds: readonly string[];
  readonly userIndex: ReadonlyMap<string, number>;
  readonly itemIndex: ReadonlyMap<string, number>;
  /** Length numUsers + 1: user u's interactions are at offsets[u] .. offsets[u+1]. */
  readonly offsets: Int32Array;
  /** Item index of every interaction, grouped by user, oldest first. */
  readonly items: Int32Array;
  /** Timestamps parallel to `items`, when the source had them. */
  readonly times?: Float64Array;
  /** Ratings parallel to `items`, when the reader kept them (for a `min_rating` threshold). */
  readonly ratings?: Float64Array;
  /** Length numItems + 1: number of interactions with each item (0 for the padding row). */
  readonly itemCounts: Int32Array;
  /** Optional attributes of each item (brand, category, genre …). */
  readonly attributes?: ItemAttributes;
  /** Optional text of each item (title …); itemText[0] is "". */
  readonly itemText?: readonly string[];
  /** Optional side information of users by raw id (MovieLens `u.user`), for user towers' `features`. */
  readonly userFeatures?: UserFeatureTable;
  /** What the reader noticed but could read (`file:line: …`, e.g. a duplicate column); logged and reported. */
  readonly warnings?: readonly string[];
}

/** The raw columns a reader collected, one entry per interaction, in file order. */
export interface InteractionColumns {
  readonly users: readonly string[];
  readonly items: readonly string[];
  /** Optional timestamps; sequences are sorted by them (stable, so ties keep file order). */
  readonly times?: ArrayLike<number>;
  /** Optional ratings (explicit feedback), kept parallel to the items. */
  readonly ratings?: ArrayLike<number>;
}

export interface BuildOptions {
  /**
   * The catalogue in index order (entry k becomes item k + 1). Lets a reader keep the item ids of
   * its source as indices and include items nobody interacted with. Default: order of first use.
   */
  readonly itemIds?: readonly string[];
  /** Raw attribute ids per raw item id; items outside the catalogue are ignored. */
  readonly attributes?: ReadonlyMap<string, readonly string[]>;
  /** Attribute order (entry k becomes attribute index k). Default: order of first use by item index. */
  readonly attributeIds?: readonly string[];
  /** Raw text per raw item id; items outside the catalogue are ignored. */
  readonly itemText?: ReadonlyMap<string, string>;
  /** The reader's warnings, kept on the store. */
  readonly warnings?: readonly string[];
}

/** The items of a user, oldest first, as a view into the store (do not write to it). */
export function userItems(store: InteractionStore, user: number): Int32Array {
  return store.items.subarray(store.offsets[user], store.offsets[user + 1]);
}

/** The dense attribute indices of an item, as a view (empty when the store has no attributes). */
export function itemAttributeList(store: InteractionStore, item: number): Int32Array {
  const a = store.attributes;
  if (!a) return new Int32Array(0);
  return a.values.subarray(a.offsets[item], a.offsets[item + 1]);
}

/**
 * Builds a store from raw columns. Throws a plain Error on inconsistent input (a programming error
 * in the caller: readers validate rows and report DataErrors before they get here).
 */
export function buildInteractions(columns: InteractionColumns, options: BuildOptions = {}): InteractionStore {
  const n = columns.users.length;
  if (columns.items.length !== n) throw new Error("buildInteractions: users and items differ in length");
  if (columns.times && columns.times.length !== n) throw new Error("buildInteractions: times differ in length");
  if (columns.ratings && columns.ratings.length !== n) throw new Error("buildInteractions: ratings differ in length");

  const userIds: string[] = [];
  const userIndex = new Map<string, number>();
  const userOf = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const raw = columns.users[k];
    let u = userIndex.get(raw);
    if (u === undefined) {
      u = userIds.length;
      userIndex.set(raw, u);
      userIds.push(raw);
    }
    userOf[k] = u;
  }

  const itemIds: string[] = [""];
  const itemIndex = new Map<string, number>();
  const fixedCatalogue = options.itemIds !== undefined;
  for (const raw of options.itemIds ?? []) {
    if (itemIndex.has(raw)) throw new Error(`buildInteractions: item id '${raw}' listed twice`);
    itemIndex.set(raw, itemIds.length);
    itemIds.push(raw);
  }
  const itemOf = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const raw = columns.items[k];
    let i = itemIndex.get(raw);
    if (i === undefined) {
      if (fixedCatalogue) throw new Error(`buildInteractions: item id '${raw}' is not in the catalogue`);
      i = itemIds.length;
      itemIndex.set(raw, i);
      itemIds.push(raw);
    }
    itemOf[k] = i;
  }
  const numUsers = userIds.length;
  const numItems = itemIds.length - 1;

  // Counting sort by user keeps file order within each user; then sort each run by time.
  const offsets = new Int32Array(numUsers + 1);
  for (let k = 0; k < n; k++) offsets[userOf[k] + 1]++;
  for (let u = 0; u < numUsers; u++) offsets[u + 1] += offsets[u];
  const cursor = offsets.slice(0, numUsers);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[cursor[userOf[k]]++] = k;
  if (columns.times) sortRunsByTime(order, offsets, columns.times);

  const items = new Int32Array(n);
  const times = columns.times ? new Float64Array(n) : undefined;
  const ratings = columns.ratings ? new Float64Array(n) : undefined;
  const itemCounts = new Int32Array(numItems + 1);
  for (let p = 0; p < n; p++) {
    const k = order[p];
    items[p] = itemOf[k];
    itemCounts[itemOf[k]]++;
    if (times) times[p] = columns.times![k];
    if (ratings) ratings[p] = columns.ratings![k];
  }

  const store: {
    -readonly [K in keyof InteractionStore]: InteractionStore[K];
  } = {
    numUsers,
    numItems,
    numInteractions: n,
    userIds,
    itemIds,
    userIndex,
    itemIndex,
    offsets,
    items,
    itemCounts,
  };
  if (times) store.times = times;
  if (ratings) store.ratings = ratings;
  if (options.warnings !== undefined && options.warnings.length > 0) store.warnings = options.warnings;
  if (options.attributes) store.attributes = buildAttributes(itemIds, options.attributes, options.attributeIds);
  if (options.itemText) store.itemText = itemIds.map((raw, i) => (i === 0 ? "" : (options.itemText!.get(raw) ?? "")));
  return store;
}

function sortRunsByTime(order: Int32Array, offsets: Int32Array, times: ArrayLike<number>): void {
  for (let u = 0; u + 1 < offsets.length; u++) {
    const start = offsets[u];
    const end = offsets[u + 1];
    let sorted = true;
    for (let p = start + 1; p < end && sorted; p++) sorted = times[order[p - 1]] <= times[order[p]];
    if (sorted) continue;
    // Positions within a run increase with file order, so comparing them breaks ties stably.
    const run = Array.from(order.subarray(start, end));
    run.sort((a, b) => times[a] - times[b] || a - b);
    order.set(run, start);
  }
}

function buildAttributes(
  itemIds: readonly string[],
  byItem: ReadonlyMap<string, readonly string[]>,
  fixedOrder: readonly string[] | undefined,
): ItemAttributes {
  const attributeIds: string[] = [];
  const attributeIndex = new Map<string, number>();
  for (const raw of fixedOrder ?? []) {
    if (!attributeIndex.has(raw)) {
      attributeIndex.set(raw, attributeIds.length);
      attributeIds.push(raw);
    }
  }
  const offsets = new Int32Array(itemIds.length + 1);
  const values: number[] = [];
  for (let i = 1; i < itemIds.length; i++) {
    for (const raw of byItem.get(itemIds[i]) ?? []) {
      let a = attributeIndex.get(raw);
      if (a === undefined) {
        a = attributeIds.length;
        attributeIndex.set(raw, a);
        attributeIds.push(raw);
      }
      values.push(a);
    }
    offsets[i + 1] = values.length;
  }
  return { numAttributes: attributeIds.length, attributeIds, offsets, values: Int32Array.from(values) };
}
