// The hand-over of a ranking model (SID ranking) to another target. Takes the model as constructed
// (its item representation over the fitted quantizer or hashed ids), its block, the data set, the
// batch order writeModel drew and, for a dense representation, the content vectors; gives the
// manifest entry: the examples the batches index (every prefix of every training history), each
// item's table rows (the random-id bucket, Semantic-ID n-gram rows or SPM pieces, −1 where unused)
// or the content vectors, and the negatives of every update, drawn as the TypeScript trainer draws
// them (rng fork `step/<s>/0` → `negatives`, the ranker's sampler over warm items). The other target
// hashes, segments and samples nothing itself.
import type { Example } from "../data/split.js";
import type { ItemFeatures } from "../features/item-features.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { ItemRepresentation } from "../ranking/item-representations.js";
import { NegativeSampler, trainingPairs } from "../ranking/negative-sampler.js";
import { Rng } from "../random.js";
import type { IRBlock } from "../../ir/index.js";
import { blockOf } from "../../ir/narrow.js";
import type { NpyArray } from "./npy.js";
import type { ArrayFile } from "./write-prepared.js";

/** What a ranking model shows of itself (the generated class's public fields). */
export interface RankingModelParts {
  readonly item: ItemRepresentation;
  readonly trainingExamples: readonly Example[];
}

export interface PreparedRanking {
  /** Item inputs: int32 rows [N + 1, S] (−1 unused) into a table of tableRows rows, or float32 content vectors [N + 1, F]. */
  readonly item: { readonly rows: ArrayFile; readonly tableRows: number } | { readonly features: ArrayFile };
  /** Update s's negatives are values[offsets[s − 1] .. offsets[s]): [B, negatives] in batch order. */
  readonly negatives: { readonly values: ArrayFile; readonly offsets: ArrayFile };
}

/** The batch order writeModel drew: epoch e's examples in order[e·n ..], batch b at offsets[e·(B + 1) + b]. */
export interface BatchOrder {
  readonly order: Int32Array;
  readonly offsets: Int32Array;
  readonly epochs: number;
  readonly perEpoch: number;
  readonly seed: number;
}

type ArrayWriter = (file: string, data: NpyArray, shape: number[]) => ArrayFile;

export function isRankingModel(block: IRBlock): boolean {
  return block.kind === "model" && block.type === "ranking";
}

export function writeRanking(
  array: ArrayWriter,
  name: string,
  model: RankingModelParts,
  block: IRBlock,
  data: PreparedData,
  batches: BatchOrder,
  features: ItemFeatures | undefined,
): PreparedRanking {
  const a = blockOf(block, "model", "ranking").attributes;
  const n = data.numItems + 1;
  let item: PreparedRanking["item"];
  if (a.item.type === "dense") {
    if (features === undefined || features.vectors.length !== n * features.dim) throw new Error(`internal: ${name} needs its content vectors for ${n} items`);
    item = { features: array(`${name}/item_features.npy`, Float32Array.from(features.vectors), [n, features.dim]) };
  } else {
    // Each item's rows in the order the representation sums them; the widest item sets S.
    const lists = Array.from({ length: n }, (_, i) => (i === 0 ? [] : model.item.rowsOf(i)));
    const slots = Math.max(1, ...lists.map((l) => l.length));
    const rows = new Int32Array(n * slots).fill(-1);
    lists.forEach((l, i) => rows.set(l, i * slots));
    item = { rows: array(`${name}/item_rows.npy`, rows, [n, slots]), tableRows: model.item.budget.rows };
  }
  const { negatives, sampling } = a.loss.type === "logistic" ? a.loss : { negatives: 0, sampling: "popularity" as const };
  const sampler = new NegativeSampler(data.trainCounts, data.coldMask, sampling);
  const examples = model.trainingExamples;
  const count = examples.length;
  const steps = batches.epochs * batches.perEpoch;
  const values = new Int32Array(steps === 0 ? 0 : batches.epochs * count * negatives);
  const offsets = new Int32Array(steps + 1);
  const root = new Rng(batches.seed);
  let at = 0;
  for (let e = 0; e < batches.epochs; e++) {
    for (let b = 0; b < batches.perEpoch; b++) {
      const step = e * batches.perEpoch + b + 1;
      const first = batches.offsets[e * (batches.perEpoch + 1) + b];
      const last = batches.offsets[e * (batches.perEpoch + 1) + b + 1];
      const targets = Int32Array.from(batches.order.subarray(e * count + first, e * count + last), (i) => examples[i].target);
      // The trainer's rng of update `step` (one micro-batch: the plan refuses micro_batch), forked as the ranker forks it.
      const pairs = trainingPairs(targets, targets.length, negatives, sampler, root.fork(`step/${step}/0`).fork("negatives"));
      for (let r = 0; r < targets.length; r++) values.set(pairs.candidates.subarray(r * (negatives + 1) + 1, (r + 1) * (negatives + 1)), (at + r) * negatives);
      at += targets.length;
      offsets[step] = at;
    }
  }
  return {
    item,
    negatives: {
      values: array(`${name}/negatives.npy`, values, [at, negatives]),
      offsets: array(`${name}/negative_offsets.npy`, offsets, [steps + 1]),
    },
  };
}
