// What every benchmark case receives: the run mode and a way to ask whether a backend variant
// should be measured. Cases give BenchResult objects; bench/run.ts writes and prints them.
import type { BenchResult } from "../lib/measure.js";
import type { Variant } from "../lib/variants.js";

export interface BenchContext {
  /** --quick: fewer repeats and a smaller subset, whole suite under two minutes. */
  quick: boolean;
  /** Variants to measure, in order (slowest first). */
  variants: Variant[];
  log(line: string): void;
}

export type BenchGroup = (ctx: BenchContext) => Promise<BenchResult[]>;
