// The training targets of a next-item sequence model (SASRec and its distilled students). Takes the
// trimmed input ids [B, L] of a batch and its example targets; gives the positions that predict an
// item and those items: position (b, t) predicts the input at t + 1, the last position the
// example's target, and a padded input or padded next item predicts nothing. `positions: last`
// keeps the final position only. targetCount is that number of rows: the loss's denominator.
import type { Batch } from "../data/batching.js";
import { usedLength } from "./sequence-input.js";

/**
 * Positions that have a target. ids are the trimmed inputs [B, L]; position (b, t) predicts
 * ids[b, t+1] (t < L−1) or the example's target (t = L−1), unless its input is padding.
 * Gives flat row indices b·L + t and the targets.
 */
export function targetPositions(
  ids: Int32Array,
  exampleTargets: Int32Array,
  b: number,
  l: number,
  positions: "all" | "last",
): { rows: Int32Array; targets: Int32Array } {
  const rows: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < b; i++) {
    const from = positions === "all" ? 0 : l - 1;
    for (let t = from; t < l; t++) {
      if (ids[i * l + t] === 0) continue;
      const next = t < l - 1 ? ids[i * l + t + 1] : exampleTargets[i];
      if (next === 0) continue;
      rows.push(i * l + t);
      targets.push(next);
    }
  }
  return { rows: Int32Array.from(rows), targets: Int32Array.from(targets) };
}

/** How many positions of a batch have a target (the loss's denominator). */
export function targetCount(batch: Batch, positions: "all" | "last"): number {
  const length = usedLength(batch.histories, batch.size, batch.length);
  return targetPositions(trimmed(batch, length), batch.targets, batch.size, length, positions).rows.length;
}

function trimmed(batch: Batch, length: number): Int32Array {
  const t = batch.length;
  const out = new Int32Array(batch.size * length);
  for (let b = 0; b < batch.size; b++) out.set(batch.histories.subarray(b * t + t - length, (b + 1) * t), b * length);
  return out;
}
