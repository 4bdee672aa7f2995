// The user side of the id-based models (the user-ID two-tower, matrix factorisation). Takes the
// training examples and the number of users; gives each user's row of a user embedding table:
// row u + 1 for a user with training examples, row 0 — one out-of-vocabulary row shared by every
// user the training data never saw — otherwise. Also gives the (user, item) pairs such models
// train on: every distinct item of each user's training examples, history and target alike.
import type { Example } from "../data/split.js";

/** A user-embedding row per user index (0: the shared out-of-vocabulary row). */
export class UserRows {
  /** Rows of the user table: numUsers + 1 (row 0 the out-of-vocabulary row). */
  readonly size: number;
  private readonly rows: Int32Array;

  constructor(training: readonly Example[], numUsers: number) {
    this.size = numUsers + 1;
    this.rows = new Int32Array(numUsers);
    for (const ex of training) if (ex.user >= 0 && ex.user < numUsers) this.rows[ex.user] = ex.user + 1;
  }

  /** Rows [B] of user indices [B]; users out of range or unseen in training read row 0. */
  of(users: ArrayLike<number>): Int32Array {
    const out = new Int32Array(users.length);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      out[b] = u >= 0 && u < this.rows.length ? this.rows[u] : 0;
    }
    return out;
  }

  /** Whether a user index has its own trained row. */
  known(user: number): boolean {
    return user >= 0 && user < this.rows.length && this.rows[user] !== 0;
  }
}

const EMPTY = new Int32Array(0);

/**
 * One example (user, no history, item) per distinct item of each user's training examples (their
 * histories and targets), users in order of first appearance and items in order of first mention:
 * binary implicit feedback, each (user, item) pair once.
 */
export function userItemPairs(training: readonly Example[]): Example[] {
  const seen = new Map<number, Set<number>>();
  const out: Example[] = [];
  const add = (user: number, item: number) => {
    let items = seen.get(user);
    if (!items) seen.set(user, (items = new Set()));
    if (item <= 0 || items.has(item)) return;
    items.add(item);
    out.push({ user, history: EMPTY, target: item });
  };
  for (const ex of training) {
    for (const item of ex.history) add(ex.user, item);
    add(ex.user, ex.target);
  }
  return out;
}

/**
 * `negatives` items per row [B · negatives], each uniform over 1..numItems and redrawn when it is
 * the row's own target (BPR's "an item the user did not pick", approximated per example).
 */
export function uniformNegatives(targets: Int32Array, negatives: number, numItems: number, rng: { int(n: number): number }): Int32Array {
  const out = new Int32Array(targets.length * negatives);
  for (let b = 0; b < targets.length; b++) {
    for (let n = 0; n < negatives; n++) {
      let item = 1 + rng.int(numItems);
      // With one item in the catalogue there is nothing else to draw.
      for (let tries = 0; item === targets[b] && numItems > 1 && tries < 100; tries++) item = 1 + rng.int(numItems);
      out[b * negatives + n] = item;
    }
  }
  return out;
}
