// Per-user splits by share, beside leave-last-out: `ratio` holds out each user's most recent items
// (a temporal split), `random` a seeded random choice of them. Takes the store and the validation
// and test shares (and a seed for `random`); gives a Split whose validation and test examples carry
// every held-out item as `targets`.
//
// For a user with n items: test = ⌊n · test⌋ items, validation = ⌊n · valid⌋ items; a positive
// share that rounds to none still holds out one item while training keeps at least one (test
// before validation), and training always keeps one. Every group stays in time order. Examples:
// - train:      the training items (history = all but the last, target = the last);
// - validation: history = the training items, targets = the validation items;
// - test:       history = training + validation items, targets = the test items.
// The history is what the model reads and what `exclude_history` removes from the ranking.

import { Rng } from "../random.js";
import { userItems, type InteractionStore } from "./interactions.js";
import type { Example, Split } from "./split.js";

export interface ShareOptions {
  /** Share of each user's items held out for validation, in [0, 1). */
  readonly valid: number;
  /** Share of each user's items held out for testing, in [0, 1); valid + test < 1. */
  readonly test: number;
}

/** How many of a user's n items go to validation and test. */
export function heldOutCounts(n: number, options: ShareOptions): { valid: number; test: number } {
  // A tiny epsilon so 0.29 · 100 = 28.999… still counts 29.
  let test = Math.floor(n * options.test + 1e-9);
  let valid = Math.floor(n * options.valid + 1e-9);
  if (options.test > 0 && test === 0 && n - valid >= 2) test = 1;
  if (options.valid > 0 && valid === 0 && n - test >= 2) valid = 1;
  // Training keeps one item: validation gives way first.
  while (valid + test > n - 1 && valid > 0) valid--;
  while (valid + test > n - 1 && test > 0) test--;
  return { valid, test };
}

function checkShares(options: ShareOptions): void {
  const ok = (x: number) => x >= 0 && x < 1;
  if (!ok(options.valid) || !ok(options.test) || options.valid + options.test >= 1) {
    throw new RangeError(`split shares must be in [0, 1) and sum to less than 1, got valid ${options.valid}, test ${options.test}`);
  }
}

/** Temporal ratio split: each user's last test-share items are test targets, the ones before validation. */
export function ratioSplit(store: InteractionStore, options: ShareOptions): Split {
  checkShares(options);
  const split: Split = { train: [], validation: [], test: [] };
  for (let u = 0; u < store.numUsers; u++) {
    const seq = userItems(store, u);
    const { valid, test } = heldOutCounts(seq.length, options);
    const trainEnd = seq.length - valid - test;
    pushUser(
      split,
      u,
      seq.subarray(0, trainEnd),
      seq.subarray(trainEnd, seq.length - test),
      seq.subarray(seq.length - test),
      seq.subarray(0, seq.length - test),
    );
  }
  return split;
}

/**
 * Random split: each user's held-out items are drawn uniformly (seeded: the same seed gives the
 * same split), so validation and test items may come before training items in time.
 */
export function randomSplit(store: InteractionStore, options: ShareOptions, seed: number): Split {
  checkShares(options);
  const rng = new Rng(seed).fork("split/random");
  const split: Split = { train: [], validation: [], test: [] };
  for (let u = 0; u < store.numUsers; u++) {
    const seq = userItems(store, u);
    const { valid, test } = heldOutCounts(seq.length, options);
    // 0 train, 1 validation, 2 test: the first `test` shuffled positions, then `valid`.
    const group = new Uint8Array(seq.length);
    const order = rng.shuffle(Int32Array.from({ length: seq.length }, (_, p) => p)) as Int32Array;
    for (let r = 0; r < test + valid; r++) group[order[r]] = r < test ? 2 : 1;
    const pick = (keep: (g: number) => boolean) => seq.filter((_, p) => keep(group[p]));
    pushUser(
      split,
      u,
      pick((g) => g === 0),
      pick((g) => g === 1),
      pick((g) => g === 2),
      pick((g) => g < 2),
    );
  }
  return split;
}

/** The user's examples; a user without training items (none) or held-out items gives none of that split. */
function pushUser(split: Split, user: number, train: Int32Array, valid: Int32Array, test: Int32Array, beforeTest: Int32Array): void {
  if (train.length === 0) return;
  split.train.push({ user, history: train.subarray(0, train.length - 1), target: train[train.length - 1] });
  if (valid.length > 0) split.validation.push(heldOut(user, train, valid));
  if (test.length > 0) split.test.push(heldOut(user, beforeTest, test));
}

function heldOut(user: number, history: Int32Array, targets: Int32Array): Example {
  return { user, history, target: targets[0], targets };
}
