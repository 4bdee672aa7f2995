// A sane bound on what the data module allocates. Takes an estimate of the bytes a file or a
// generated data set will need; gives nothing when it fits the process's heap, else a RunError
// (RS6021) that says how much was asked, how much there is and what to change — thrown before the
// allocation, because running out of V8 heap aborts the process with no error to catch.
import { getHeapStatistics } from "node:v8";
import { constants } from "node:buffer";
import { RunError, type RunContext } from "../errors/run-error.js";

/** Share of the heap limit one data set may take: the models and batches need the rest. */
export const DATA_HEAP_SHARE = 0.5;

/** Bytes the data module may allocate for one data set in this process. */
export function dataMemoryBound(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * DATA_HEAP_SHARE);
}

/** Longest string V8 can hold: a file is read into one string, so a longer one cannot be read. */
export const MAX_TEXT_CHARS = constants.MAX_STRING_LENGTH;

/** "1.2 GB", "640 MB": sizes for people. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.ceil(bytes / 1e3)} kB`;
}

/**
 * Throws RS6021 when `bytes` exceeds the bound. `what` names the data ("dataset `synth` (30000000
 * users × 20 items)"), `help` says which attribute to change.
 */
export function checkDataFits(what: string, bytes: number, help: string, context: RunContext = {}, bound = dataMemoryBound()): void {
  if (bytes <= bound) return;
  throw new RunError("RS6021", `${what} needs about ${formatBytes(bytes)} of memory; this process can give data ${formatBytes(bound)}`, {
    help: `${help} (or raise Node's heap limit: NODE_OPTIONS=--max-old-space-size=MB)`,
    context,
  });
}
