// Learning-rate schedules: pure functions from the 1-based index of an update to its rate.
// Takes a schedule config; gives `(step) => lr`. Step 1 is the first update, so no schedule
// wastes the first update on a zero rate.

export type Schedule = (step: number) => number;

export type ScheduleConfig =
  | { name: "constant"; lr: number }
  | {
      name: "inverse_sqrt";
      lr: number;
      /** Steps of warm-up (>= 1). */
      warmup: number;
      /**
       * "linear" (default): lr · min(step/warmup, sqrt(warmup/step)) — linear ramp to lr at
       *   step = warmup, then lr·sqrt(warmup/step).
       * "constant": lr · sqrt(warmup / max(step, warmup)) — flat lr for the warm-up, then the same
       *   decay; T5/T5X's rsqrt_decay (with lr = 1/sqrt(warmup), e.g. 0.01 for 10k steps).
       */
      warmupShape?: "linear" | "constant";
    }
  | {
      name: "cosine";
      lr: number;
      /** Total number of updates; the cosine reaches finalLr here and stays there. */
      totalSteps: number;
      /** Linear warm-up steps from lr/warmup up to lr (default 0). */
      warmup?: number;
      /** Rate at the end (default 0). */
      finalLr?: number;
    };

/** Builds the schedule described by config, checking its parameters. */
export function createSchedule(config: ScheduleConfig): Schedule {
  if (!(config.lr >= 0) || !Number.isFinite(config.lr)) {
    throw new Error(`schedule ${config.name}: lr must be a finite number >= 0, got ${config.lr}`);
  }
  switch (config.name) {
    case "constant":
      return constantSchedule(config.lr);
    case "inverse_sqrt":
      return inverseSqrtSchedule(config.lr, config.warmup, config.warmupShape ?? "linear");
    case "cosine":
      return cosineSchedule(config.lr, config.totalSteps, config.warmup ?? 0, config.finalLr ?? 0);
    default:
      throw new Error(`unknown schedule "${(config as ScheduleConfig).name}" (constant, inverse_sqrt, cosine)`);
  }
}

/** lr at every step. */
export function constantSchedule(lr: number): Schedule {
  return () => lr;
}

/**
 * Inverse square root decay after a warm-up of `warmup` steps (TIGER's schedule):
 *   linear:   lr(s) = lr · min(s / warmup, sqrt(warmup / s))
 *   constant: lr(s) = lr · sqrt(warmup / max(s, warmup))
 * Both peak at lr for s = warmup and halve by s = 4·warmup.
 */
export function inverseSqrtSchedule(lr: number, warmup: number, shape: "linear" | "constant" = "linear"): Schedule {
  if (!(Number.isInteger(warmup) && warmup >= 1)) {
    throw new Error(`schedule inverse_sqrt: warmup must be an integer >= 1, got ${warmup}`);
  }
  if (shape === "constant") return (step) => lr * Math.sqrt(warmup / Math.max(atLeastOne(step), warmup));
  return (step) => {
    const s = atLeastOne(step);
    return lr * Math.min(s / warmup, Math.sqrt(warmup / s));
  };
}

/**
 * Cosine decay from lr to finalLr over totalSteps, after an optional linear warm-up:
 *   s <= warmup: lr · s / warmup
 *   otherwise:   finalLr + (lr − finalLr) · (1 + cos(π·p)) / 2,  p = min(1, (s − warmup)/(totalSteps − warmup))
 */
export function cosineSchedule(lr: number, totalSteps: number, warmup = 0, finalLr = 0): Schedule {
  if (!(Number.isInteger(totalSteps) && totalSteps >= 1)) {
    throw new Error(`schedule cosine: totalSteps must be an integer >= 1, got ${totalSteps}`);
  }
  if (!(Number.isInteger(warmup) && warmup >= 0 && warmup < totalSteps)) {
    throw new Error(`schedule cosine: warmup must be an integer in [0, totalSteps), got ${warmup}`);
  }
  if (!(finalLr >= 0 && finalLr <= lr)) {
    throw new Error(`schedule cosine: finalLr must be in [0, lr], got ${finalLr}`);
  }
  return (step) => {
    const s = atLeastOne(step);
    if (s <= warmup) return (lr * s) / warmup;
    const p = Math.min(1, (s - warmup) / (totalSteps - warmup));
    return finalLr + ((lr - finalLr) * (1 + Math.cos(Math.PI * p))) / 2;
  };
}

// Steps are 1-based; a caller passing 0 gets the first step's rate rather than 0 or a division by zero.
function atLeastOne(step: number): number {
  return Math.max(1, step);
}
