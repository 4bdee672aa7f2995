// Micro-batching to fit memory. Takes a model's estimate of one step's activation bytes and a
// budget (the wasm heap is capped at 4 GiB, so the default budget is 1 GiB); gives how many parts a
// batch must be split into, the split itself (contiguous examples; histories stay row-aligned),
// and the line that tells the user what was decided. An explicit `micro_batch` from the spec
// overrides the estimate. Whether the smallest pass fits at all is pass-limit.ts's question.
import type { Batch } from "../data/batching.js";

export const DEFAULT_MEMORY_BUDGET = 1024 ** 3;

/** Parts a batch needs: ceil(size / microBatch) when given, else ceil(bytes / budget). */
export function partsFor(size: number, bytes: number, budget: number, microBatch: number | null): number {
  if (microBatch !== null) return Math.max(1, Math.ceil(size / microBatch));
  return Math.min(size, Math.max(1, Math.ceil(bytes / budget)));
}

/** Examples [begin, end) of a batch, copied. */
export function sliceBatch(batch: Batch, begin: number, end: number): Batch {
  const t = batch.length;
  return {
    size: end - begin,
    length: t,
    users: batch.users.slice(begin, end),
    histories: batch.histories.slice(begin * t, end * t),
    targets: batch.targets.slice(begin, end),
  };
}

/** Splits a batch into `parts` near-equal contiguous parts. */
export function splitBatchInto(batch: Batch, parts: number): Batch[] {
  const n = Math.min(parts, batch.size);
  if (n <= 1) return [batch];
  const out: Batch[] = [];
  for (let i = 0; i < n; i++) {
    out.push(sliceBatch(batch, Math.floor((i * batch.size) / n), Math.floor(((i + 1) * batch.size) / n)));
  }
  return out;
}

/** "batch 256 → 4 micro-batches of 64 (memory: est. 3.1 GiB per step, budget 1.0 GiB)". */
export function describePlan(batchSize: number, parts: number, bytes: number, budget: number, fromSpec: boolean): string {
  const est = `est. ${formatBytes(bytes)} per step`;
  if (parts <= 1) return `batch ${batchSize} in one pass (memory: ${est}, budget ${formatBytes(budget)})`;
  const per = Math.ceil(batchSize / parts);
  const why = fromSpec ? "micro_batch from the spec" : `memory: ${est}, budget ${formatBytes(budget)}`;
  return `batch ${batchSize} → ${parts} micro-batches of ${per} (${why})`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}
