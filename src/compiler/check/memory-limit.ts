// How much memory a checked spec may ask for. Tensors (weights, optimizer slots, activations) live
// outside the JavaScript heap: by default they may take this machine's memory (os.totalmem()), or
// what RECSPEC_MEMORY_LIMIT or `recspec check --memory-limit` says. Generated data lives in the heap:
// half of Node's heap limit, the share the runtime's data module allows itself (RS6021).
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";

export interface MemoryLimits {
  /** Bytes the tensors of one block may take. */
  readonly tensors: number;
  /** Where that number comes from, for the diagnostic: "this machine's memory". */
  readonly tensorsFrom: string;
  /** Bytes of JavaScript heap one data set may take. */
  readonly heap: number;
}

/** Share of Node's heap limit one data set may take (the runtime's rule, src/runtime/data/memory-bound.ts). */
export const DATA_HEAP_SHARE = 0.5;
export const MEMORY_LIMIT_ENV = "RECSPEC_MEMORY_LIMIT";

const UNITS: Record<string, number> = { "": 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** "16GB", "512 MiB", "2e9" → bytes; undefined when the text is not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * UNITS[(m[2] ?? "").toLowerCase()];
  return Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : undefined;
}

/**
 * The limits a compile uses: `tensors` when given (a `--memory-limit`), else RECSPEC_MEMORY_LIMIT when
 * it is a size, else this machine's memory.
 */
export function memoryLimits(tensors?: number, env: NodeJS.ProcessEnv = process.env): MemoryLimits {
  const heap = machine().heap;
  if (tensors !== undefined) return { tensors, tensorsFrom: "the limit given by --memory-limit", heap };
  const fromEnv = env[MEMORY_LIMIT_ENV] === undefined ? undefined : parseSize(env[MEMORY_LIMIT_ENV]!);
  if (fromEnv !== undefined) return { tensors: fromEnv, tensorsFrom: `${MEMORY_LIMIT_ENV}`, heap };
  return { tensors: machine().memory, tensorsFrom: "this machine's memory", heap };
}

let cached: { memory: number; heap: number } | undefined;

/** This machine's memory and this process's heap share: fixed for the process, asked once. */
function machine(): { memory: number; heap: number } {
  cached ??= { memory: totalmem(), heap: Math.floor(getHeapStatistics().heap_size_limit * DATA_HEAP_SHARE) };
  return cached;
}
