// The users a recommendation is asked for, as a model reads them. Takes raw user ids (as in the
// data files) and the prepared data set; gives each known user's index and history — every item
// of theirs in the data set, oldest first, which is both what the model reads (its last T items)
// and what "seen" means — and says which ids the data set does not hold.
import { padHistory } from "../data/batching.js";
import { userItems } from "../data/interactions.js";
import type { PreparedData } from "../pipeline/prepare-data.js";

export interface KnownUser {
  /** The raw id asked for. */
  readonly id: string;
  /** Dense user index in the data store. */
  readonly index: number;
  /** Every item of the user, oldest first (a view into the store: do not write to it). */
  readonly history: Int32Array;
}

export interface ResolvedUsers {
  /** The raw ids asked for, in order. */
  readonly ids: readonly string[];
  /** Per requested id, in order: the user, or null when the data set has no such user. */
  readonly users: readonly (KnownUser | null)[];
  readonly known: readonly KnownUser[];
}

export function resolveUsers(data: PreparedData, ids: readonly string[]): ResolvedUsers {
  const users = ids.map((id): KnownUser | null => {
    const index = data.store.userIndex.get(id);
    return index === undefined ? null : { id, index, history: userItems(data.store, index) };
  });
  return { ids, users, known: users.filter((u): u is KnownUser => u !== null) };
}

/** The model's input: each user's last `length` items, left-padded, [users × length] row-major. */
export function paddedHistories(users: readonly KnownUser[], length: number): Int32Array {
  const out = new Int32Array(users.length * length);
  users.forEach((u, i) => padHistory(u.history, length, out, i * length));
  return out;
}
