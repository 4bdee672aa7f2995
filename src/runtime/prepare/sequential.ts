// The hand-over of a sequential model's drawn negatives to another target. Takes the model's block,
// its item count and the batch order writeModel drew; gives, for `loss = sampled_softmax(negatives:
// uniform)`, the negatives of every update as int32 [steps, count]: update s (1-based, over the
// epochs' batches in order) draws them as the generated loss does, from the trainer's stream
// Rng(seed).fork(`step/s/0`).fork("negatives") through uniformItems. Other losses hand over nothing.
import { uniformItems } from "../models/sampled-softmax.js";
import { Rng } from "../random.js";
import type { IRBlock } from "../../ir/index.js";
import { typed } from "../../ir/narrow.js";
import type { NpyArray } from "./npy.js";
import type { BatchOrder } from "./ranking.js";
import type { ArrayFile } from "./write-prepared.js";

export interface PreparedSequential {
  /** int32 [steps, count]: row s − 1 holds update s's negatives, shared by every position of its batch. */
  readonly negatives: ArrayFile;
}

type ArrayWriter = (file: string, data: NpyArray, shape: number[]) => ArrayFile;

/** The manifest entry's `sequential` field, or nothing where the model draws no negatives of its own. */
export function writeSequential(array: ArrayWriter, name: string, block: IRBlock, numItems: number, batches: BatchOrder): { sequential?: PreparedSequential } {
  const t = typed(block);
  if (t.kind !== "model" || t.type !== "sequential") return {};
  const loss = t.attributes.loss;
  if (loss.type !== "sampled_softmax" || loss.negatives !== "uniform") return {};
  const steps = batches.epochs * batches.perEpoch;
  const values = new Int32Array(steps * loss.count);
  const root = new Rng(batches.seed);
  // Micro-batch 0's stream: the hand-over, like the two-tower one, assumes whole-batch updates.
  for (let s = 1; s <= steps; s++) values.set(uniformItems(loss.count, numItems, root.fork(`step/${s}/0`).fork("negatives")), (s - 1) * loss.count);
  return { sequential: { negatives: array(`${name}/negatives.npy`, values, [steps, loss.count]) } };
}
