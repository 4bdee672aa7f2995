// Data preparation for a dataset block of the IR. Takes the block ({name, type, attributes}) and a
// base directory for relative paths; reads or generates the interactions, drops short users
// (min_length), splits them (leave_last_out or temporal_window), holds a seeded share of items out
// of training (cold_start) and counts item frequencies in the training data. Gives PreparedData,
// everything the models, the trainer and the evaluator need. Reader problems surface as DataError
// with file:line, unchanged.
import * as path from "node:path";
import { DataError } from "../data/data-error.js";
import { type InteractionStore } from "../data/interactions.js";
import { readAmazon } from "../data/read-amazon.js";
import { readInteractionsCsv } from "../data/read-csv.js";
import { readInteractionsJsonl } from "../data/read-jsonl.js";
import { readMovieLens } from "../data/read-movielens.js";
import { slidingTargets } from "../data/batching.js";
import { leaveLastOut, temporalWindows, windowTrainingTargets, type Example, type Split } from "../data/split.js";
import { generateSynthetic, type SyntheticData } from "../data/synthetic.js";
import { Rng } from "../random.js";
import type { DatasetSpec } from "./specs.js";
import { interactionsFormat } from "../../ir/interactions-format.js";

export type SplitType = "leave_last_out" | "temporal_window";

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
}

export interface PrepareOptions {
  /** Directory that `dir` / `path` attributes are relative to (the spec file's directory). */
  baseDir: string;
  /** Seed of the cold-start draw (default 0). */
  seed?: number;
}

/** How a data set's interactions become examples: the dataset block's split attributes. */
export interface SplitOptions {
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

/** The IR dataset block's attributes as split options (defaults as the checker fills them). */
export function splitOptionsOf(a: Record<string, unknown>): SplitOptions {
  const splitType = str(a, "split", "leave_last_out") as SplitType;
  if (splitType !== "leave_last_out" && splitType !== "temporal_window") {
    throw new Error(`unknown split "${splitType}"`);
  }
  return {
    split: splitType,
    history: num(a, "history", 50),
    window: num(a, "window", 30),
    stride: num(a, "stride", 5),
    coldStart: num(a, "cold_start", 0),
    minLength: num(a, "min_length", 1),
  };
}

/** Reads (or generates) an IR dataset block and prepares it: `load` then `prepareInteractions`. */
export async function prepareDataset(spec: DatasetSpec, options: PrepareOptions): Promise<PreparedData> {
  const loaded = await load(spec, options.baseDir);
  return prepareInteractions(spec.name, loaded, splitOptionsOf(spec.attributes), options.seed ?? 0);
}

/** Splits loaded interactions into examples, holds cold items out and counts training items. */
export function prepareInteractions(name: string, loaded: LoadedInteractions, options: SplitOptions, seed = 0): PreparedData {
  const store = loaded.store;
  const splitType = options.split;
  const stride = options.stride;
  const raw = splitType === "leave_last_out" ? leaveLastOut(store) : temporalWindows(store, { window: options.window, stride });

  // min_length: a user with fewer interactions gives no example at all.
  const minLength = options.minLength;
  const longEnough = (e: Example) => store.offsets[e.user + 1] - store.offsets[e.user] >= minLength;
  const kept: Split = {
    train: raw.train.filter(longEnough),
    validation: raw.validation.filter(longEnough),
    test: raw.test.filter(longEnough),
  };
  if (kept.train.length === 0) {
    throw new Error(`dataset ${name}: no user has min_length = ${minLength} interactions; nothing to train on`);
  }

  const coldItems = drawColdItems(store.numItems, options.coldStart, new Rng(seed).fork(`cold_start/${name}`));
  const coldMask = new Uint8Array(store.numItems + 1);
  for (const i of coldItems) coldMask[i] = 1;
  const train = coldItems.size === 0 ? kept.train : withoutCold(kept.train, coldMask);

  // Targets with an empty history too, so the counts cover every training item once per user.
  const trainTargets = splitType === "leave_last_out" ? slidingTargets(train, 0) : windowTrainingTargets(train, stride);
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
  };
}

async function load(spec: DatasetSpec, baseDir: string): Promise<LoadedInteractions> {
  const a = spec.attributes;
  const resolve = (p: string) => path.resolve(baseDir, p);
  switch (spec.type) {
    case "amazon":
      return { store: await readAmazon(resolve(str(a, "dir")), str(a, "name", "Beauty")) };
    case "movielens":
      return { store: await readMovieLens(resolve(str(a, "dir"))) };
    case "interactions": {
      const file = resolve(str(a, "path"));
      const columns = { user: str(a, "user", "user"), item: str(a, "item", "item"), time: str(a, "time", "timestamp") };
      const read = interactionsFormat(file, str(a, "format", "auto"));
      if (read === null) throw new DataError(file, undefined, `cannot tell the format from the extension "${path.extname(file).toLowerCase()}"; set format = csv or jsonl`);
      if (read.format === "csv") return { store: await readInteractionsCsv(file, { ...columns, delimiter: read.delimiter }) };
      return { store: await readInteractionsJsonl(file, columns) };
    }
    case "synthetic": {
      const synthetic = generateSynthetic({
        users: num(a, "users", 10_000),
        clusters: num(a, "clusters", 5),
        itemsPerCluster: num(a, "items_per_cluster", 10),
        interestsPerUser: num(a, "interests_per_user", 3),
        interestPower: num(a, "interest_power", 1),
        itemPower: num(a, "item_power", 0.5),
        stay: num(a, "stay", 0.6),
        switch: num(a, "switch", 0.3),
        nonInterestStay: num(a, "return", 0.5),
        length: num(a, "length", 20),
        seed: num(a, "seed", 0),
      });
      return { store: synthetic.store, synthetic };
    }
    default:
      throw new Error(`dataset ${spec.name}: unknown dataset type "${(spec as { type: string }).type}"`);
  }
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

function str(a: Record<string, unknown>, key: string, fallback?: string): string {
  const v = a[key] ?? fallback;
  if (typeof v !== "string") throw new Error(`dataset attribute "${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function num(a: Record<string, unknown>, key: string, fallback: number): number {
  const v = a[key] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`dataset attribute "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}
