// Which models' training batches count by their target positions rather than equally. A sequential
// model (and a distillation between two of them) predicts the next item at every position of a
// history, so its loss is a mean over a batch's positions; length-bucketed batches (the runtime's
// default, for speed) hold very different numbers of positions, and a plain per-batch mean would
// give each position of a batch of short histories many times the weight of one in a batch of
// long ones. Shuffled batches do not do that: counting each batch by its share of the epoch's
// positions restores equal weights (on Beauty: test Recall@10 .078 → .085, docs/results.md).
// Both targets read this rule: the TypeScript program passes it to trainBlock, train.py divides
// by the mean positions per batch. Takes a block; gives whether its batches are weighed.
import type { IRBlock } from "./ir.js";

export function weighsBatchesByTargets(block: Pick<IRBlock, "type">): boolean {
  return block.type === "sequential" || block.type === "distill";
}
