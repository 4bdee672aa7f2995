// Evaluation splits of an InteractionStore. Takes the store (and window sizes for the temporal
// variant); gives train / validation / test lists of examples (user, history, target). Histories
// are views into the store's item array, oldest first: no copies, do not write to them. The
// per-user ratio and random splits (split-shares.ts) hold several targets per example.

import { userItems, type InteractionStore } from "./interactions.js";

/** One prediction task: given the user's history (oldest first), predict target. */
export interface Example {
  readonly user: number;
  readonly history: Int32Array;
  readonly target: number;
  /**
   * Every held-out item of the example, oldest first (`target` is the first), when a split holds
   * out several per user (`ratio`, `random`); evaluation scores the list against all of them.
   */
  readonly targets?: Int32Array;
}

export interface Split {
  readonly train: Example[];
  readonly validation: Example[];
  readonly test: Example[];
}

/**
 * Leave-last-out (the protocol of SASRec, S3-Rec and TIGER). For a user with items s_1 … s_n:
 * - test:       history s_1 … s_{n-1}, target s_n;
 * - validation: history s_1 … s_{n-2}, target s_{n-1};
 * - train:      history s_1 … s_{n-3}, target s_{n-2} (history + target is the whole training
 *               sequence; `slidingTargets` turns it into one example per position).
 * Users with fewer than 3 items cannot give all three; their whole sequence goes to training
 * (history s_1 … s_{n-1}, target s_n; a single-item user gives an empty history) and they have no
 * validation or test example. Examples are in user order.
 */
export function leaveLastOut(store: InteractionStore): Split {
  const train: Example[] = [];
  const validation: Example[] = [];
  const test: Example[] = [];
  for (let u = 0; u < store.numUsers; u++) {
    const seq = userItems(store, u);
    pushThree(seq, u, train, validation, test);
  }
  return { train, validation, test };
}

export interface WindowOptions {
  /** Items per window (the multi-interest paper: 30). At least 3. */
  readonly window: number;
  /** Items between the ends of consecutive windows (the paper: 5). At least 1. */
  readonly stride: number;
}

/**
 * Temporal windows (the multi-interest paper's real-data protocol): every window of `window`
 * consecutive items gives one example per split — train target = its third-last item, validation
 * = its second-last, test = its last, each with the window's earlier items as history.
 * Windows are aligned to the end of the sequence (the last window ends at the user's last item,
 * the one before `stride` items earlier, …) so the most recent items are always test targets; up to
 * stride − 1 of a long sequence's oldest items may lie in no window. A sequence shorter than the
 * window is one window; one shorter than 3 items goes wholly to training as in `leaveLastOut`.
 * Windows overlap, so a test target of one window can be a training target of a later one — the
 * protocol accepts that; use `leaveLastOut` for a leak-free split.
 */
export function temporalWindows(store: InteractionStore, options: WindowOptions): Split {
  const { window, stride } = options;
  if (!Number.isInteger(window) || window < 3) throw new RangeError(`window must be an integer ≥ 3, got ${window}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`stride must be an integer ≥ 1, got ${stride}`);
  const train: Example[] = [];
  const validation: Example[] = [];
  const test: Example[] = [];
  for (let u = 0; u < store.numUsers; u++) {
    const seq = userItems(store, u);
    if (seq.length <= window) {
      pushThree(seq, u, train, validation, test);
      continue;
    }
    // Ends from oldest to newest, so examples come in time order within a user.
    const firstEnd = window + ((seq.length - window) % stride);
    for (let end = firstEnd; end <= seq.length; end += stride) {
      pushThree(seq.subarray(end - window, end), u, train, validation, test);
    }
  }
  return { train, validation, test };
}

function pushThree(seq: Int32Array, user: number, train: Example[], validation: Example[], test: Example[]): void {
  const n = seq.length;
  if (n === 0) return;
  if (n < 3) {
    train.push({ user, history: seq.subarray(0, n - 1), target: seq[n - 1] });
    return;
  }
  train.push({ user, history: seq.subarray(0, n - 3), target: seq[n - 3] });
  validation.push({ user, history: seq.subarray(0, n - 2), target: seq[n - 2] });
  test.push({ user, history: seq.subarray(0, n - 1), target: seq[n - 1] });
}

/**
 * One training example per position of temporal windows, as `slidingTargets` is for leave-last-out.
 * Windows overlap, so a user's first window gives every prefix of its training part and each later
 * window only its last `stride` positions (its predecessor's training target lay `stride` items
 * earlier): every item is a target once per user (the first with an empty history, as
 * `slidingTargets(…, 0)` gives it), and each history stays inside its window.
 * `train` must hold a user's windows consecutively, oldest first, as `temporalWindows` gives them.
 */
export function windowTrainingTargets(train: readonly Example[], stride: number): Example[] {
  const out: Example[] = [];
  let previousUser = -1;
  for (const ex of train) {
    const seq = new Int32Array(ex.history.length + 1);
    seq.set(ex.history);
    seq[ex.history.length] = ex.target;
    const first = ex.user === previousUser ? Math.max(1, seq.length - stride) : 0;
    for (let t = first; t < seq.length; t++) out.push({ user: ex.user, history: seq.subarray(0, t), target: seq[t] });
    previousUser = ex.user;
  }
  return out;
}
