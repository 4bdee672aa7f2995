// Data preparation for a data set a generated loader has read. Takes the interactions (and the
// synthetic generator's ground truth, if any) and the dataset block's split settings; drops short
// users (min_length), splits them (make-split.ts: leave_last_out, temporal_window, ratio, random), holds a seeded share of items
// out of training (cold_start) and counts item frequencies in the training data. Gives PreparedData,
// everything the models, the trainer and the evaluator need. Which reader runs is the compiler's
// choice (codegen/blocks/dataset.ts writes the call); data that leaves nothing to train on is a
// RunError (RS6020) naming the attribute to change, and a validation or test split that comes out
// empty is a warning on the result (with the reader's own warnings), for the run's log and report.
import { type InteractionStore } from "../data/interactions.js";
import { slidingTargets } from "../data/batching.js";
import { windowTrainingTargets, type Example, type Split } from "../data/split.js";
import { makeSplit, type SplitChoice, type SplitType } from "../data/make-split.js";
import type { SyntheticData } from "../data/synthetic.js";
import { emptySplitWarning, noTrainingError, userCoverage, type UserCoverage } from "../data/split-coverage.js";
import { Rng } from "../random.js";

export type { SplitType };

export interface PreparedData {
  readonly name: string;
  readonly store: InteractionStore;
  /**
   * Examples per split. Training examples never mention a cold item: cold items are removed from
   * each training sequence (history + target), whose last remaining item becomes the target.
   */
  readonly split: Split;
  readonly splitType: SplitType;
  /** History length T (the `history` attribute): inputs are the last T items, left-padded. */
  readonly history: number;
  /** Real items 1..numItems; per-item arrays have numItems + 1 entries (0 = padding). */
  readonly numItems: number;
  /**
   * Length numItems + 1: how often each item occurs in the training data, counted over
   * `trainTargets` so an item in several overlapping windows counts once per user. Popularity
   * baseline, popularity slices and popularity-sampled negatives read it.
   */
  readonly trainCounts: Int32Array;
  /**
   * One example per training position (history → next item): sliding targets of the training
   * sequences for leave_last_out, each window's new positions for temporal windows. Models that
   * score one user vector per example (two-tower, ranking) train on these.
   */
  readonly trainTargets: readonly Example[];
  /** Items held out of training by `cold_start` (empty when the share is 0). */
  readonly coldItems: ReadonlySet<number>;
  /** Length numItems + 1: 1 for cold items. */
  readonly coldMask: Uint8Array;
  /** The generator's ground truth (item clusters, user interests) for synthetic data sets. */
  readonly synthetic?: SyntheticData;
  /** How many users min_length dropped and how many give no validation or test example. */
  readonly coverage?: UserCoverage;
  /** The reader's warnings and empty splits, one line each, for the log and the report. */
  readonly warnings?: readonly string[];
}

/** How a data set's interactions become examples: the dataset block's split attributes. */
export interface SplitOptions extends SplitChoice {
  readonly split: SplitType;
  /** History length T: inputs are the last T items, left-padded. */
  readonly history: number;
  /** temporal_window only: window length and stride. */
  readonly window: number;
  readonly stride: number;
  /** Share of items held out of training as cold-start items. */
  readonly coldStart: number;
  /** Users with fewer interactions give no example. */
  readonly minLength: number;
}

/** What a reader or generator gives: the interactions, and the generator's ground truth if any. */
export interface LoadedInteractions {
  readonly store: InteractionStore;
  readonly synthetic?: SyntheticData;
}

/** Splits loaded interactions into examples, holds cold items out and counts training items. */
export function prepareInteractions(name: string, loaded: LoadedInteractions, options: SplitOptions, seed = 0): PreparedData {
  const store = loaded.store;
  const splitType = options.split;
  const stride = options.stride;
  const raw = makeSplit(store, options);

  // min_length: a user with fewer interactions gives no example at all.
  const minLength = options.minLength;
  const longEnough = (e: Example) => store.offsets[e.user + 1] - store.offsets[e.user] >= minLength;
  const kept: Split = {
    train: raw.train.filter(longEnough),
    validation: raw.validation.filter(longEnough),
    test: raw.test.filter(longEnough),
  };
  const coverage = userCoverage(store, minLength);
  if (kept.train.length === 0) throw noTrainingError(name, coverage, options.coldStart);

  const coldItems = drawColdItems(store.numItems, options.coldStart, new Rng(seed).fork(`cold_start/${name}`));
  const coldMask = new Uint8Array(store.numItems + 1);
  for (const i of coldItems) coldMask[i] = 1;
  const train = coldItems.size === 0 ? kept.train : withoutCold(kept.train, coldMask);
  if (train.length === 0) throw noTrainingError(name, coverage, options.coldStart);
  const emptySplits = emptySplitWarning(name, kept, coverage);
  const warnings = [...(store.warnings ?? []), ...(emptySplits === null ? [] : [emptySplits])];

  // Targets with an empty history too, so the counts cover every training item once per user.
  const trainTargets = splitType === "temporal_window" ? windowTrainingTargets(train, stride) : slidingTargets(train, 0);
  const trainCounts = new Int32Array(store.numItems + 1);
  for (const e of trainTargets) trainCounts[e.target]++;
  trainCounts[0] = 0;

  return {
    name,
    store,
    split: { train, validation: kept.validation, test: kept.test },
    splitType,
    history: options.history,
    numItems: store.numItems,
    trainCounts,
    trainTargets: trainTargets.filter((e) => e.history.length > 0),
    coldItems,
    coldMask,
    ...(loaded.synthetic ? { synthetic: loaded.synthetic } : {}),
    coverage,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** round(share · numItems) distinct items, uniformly, from `rng`. */
export function drawColdItems(numItems: number, share: number, rng: Rng): Set<number> {
  if (!(share >= 0 && share < 1)) throw new RangeError(`cold_start must be in [0, 1), got ${share}`);
  const count = Math.round(share * numItems);
  const ids = Int32Array.from({ length: numItems }, (_, i) => i + 1);
  // A partial Fisher–Yates: the first `count` entries become a uniform sample without replacement.
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(numItems - i);
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  return new Set(ids.subarray(0, count));
}

/** Training examples with cold items cut out of history + target; the last survivor is the target. */
function withoutCold(examples: readonly Example[], coldMask: Uint8Array): Example[] {
  const out: Example[] = [];
  for (const e of examples) {
    const seq: number[] = [];
    for (const i of e.history) if (coldMask[i] === 0) seq.push(i);
    if (coldMask[e.target] === 0) seq.push(e.target);
    if (seq.length === 0) continue;
    out.push({ user: e.user, history: Int32Array.from(seq.slice(0, -1)), target: seq[seq.length - 1] });
  }
  return out;
}
