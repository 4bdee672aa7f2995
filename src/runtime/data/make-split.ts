// Picks the split a dataset block names. Takes the store and the block's split settings; gives the
// Split: leave-last-out, temporal windows, or the per-user `ratio` and `random` share splits.
import { randomSplit, ratioSplit } from "./split-shares.js";
import { leaveLastOut, temporalWindows, type Split } from "./split.js";
import type { InteractionStore } from "./interactions.js";

export type SplitType = "leave_last_out" | "temporal_window" | "ratio" | "random";

export interface SplitChoice {
  readonly split: SplitType;
  /** temporal_window only: window length and stride. */
  readonly window: number;
  readonly stride: number;
  /** ratio and random only: shares of each user's items held out (default 0.1 each). */
  readonly validShare?: number;
  readonly testShare?: number;
  /** random only: the seed of the draw (default 0). */
  readonly seed?: number;
}

export function makeSplit(store: InteractionStore, choice: SplitChoice): Split {
  const shares = { valid: choice.validShare ?? 0.1, test: choice.testShare ?? 0.1 };
  switch (choice.split) {
    case "leave_last_out":
      return leaveLastOut(store);
    case "temporal_window":
      return temporalWindows(store, { window: choice.window, stride: choice.stride });
    case "ratio":
      return ratioSplit(store, shares);
    case "random":
      return randomSplit(store, shares, choice.seed ?? 0);
  }
}
