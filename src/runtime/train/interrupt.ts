// Ctrl-C and SIGTERM while training. Takes a function that prints a notice (and, for tests, the
// signal source and the exit function); while the watch is on, the first SIGINT or SIGTERM is only
// recorded (the training loop stops at its next step boundary, after a checkpoint) and a second one
// ends the process at once with the shell's status for that signal, 128 + its number: 130 for
// SIGINT, 143 for SIGTERM. Outside a watch the process keeps Node's default (exit on the signal).
// Also gives TrainingInterrupted, the RunError the loop throws once its checkpoint is written.
import { RunError } from "../errors/run-error.js";

export type StopSignal = "SIGINT" | "SIGTERM";

/** The exit status of a process stopped by the signal, as shells report it. */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalSource {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

export interface InterruptWatch {
  /** The first signal received, or null. */
  readonly signal: StopSignal | null;
  /** Stops watching: the signals get their default behaviour back. */
  stop(): void;
}

export interface WatchOptions {
  notify: (line: string) => void;
  source?: SignalSource;
  exit?: (code: number) => void;
}

export function watchInterrupts(options: WatchOptions): InterruptWatch {
  const source = options.source ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let first: StopSignal | null = null;
  const handlers = new Map<StopSignal, () => void>();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const handler = () => {
      if (first === null) {
        first = signal;
        options.notify(
          `${signal} received: stopping after the current step and saving a checkpoint` +
            `${signal === "SIGINT" ? " (Ctrl-C again to quit at once, without it)" : ""}`,
        );
        return;
      }
      options.notify(`${signal} received again: quitting without a checkpoint`);
      exit(SIGNAL_EXIT[signal]);
    };
    handlers.set(signal, handler);
    source.on(signal, handler);
  }
  return {
    get signal() {
      return first;
    },
    stop() {
      for (const [signal, handler] of handlers) source.off(signal, handler);
      handlers.clear();
    },
  };
}

/** Lets pending events (a signal among them) run: the training steps themselves never yield. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Training stopped by a signal after saving a checkpoint (RS6014); `--resume` continues it. */
export class TrainingInterrupted extends RunError {
  constructor(
    readonly signal: StopSignal,
    /** Updates done, the 0-based epoch in progress and its batches done. */
    readonly step: number,
    readonly epoch: number,
    readonly batchInEpoch: number,
    /** The checkpoint that holds them; null when the loop had no run folder. */
    readonly checkpoint: string | null,
  ) {
    // Between two epochs, the one that ended is named.
    const between = batchInEpoch === 0 && epoch > 0;
    super(
      "RS6014",
      `training stopped by ${signal} after step ${step} (${between ? `the end of epoch ${epoch}` : `in epoch ${epoch + 1}`})` +
        (checkpoint === null ? "; no checkpoint (no run folder)" : `; checkpoint saved in ${checkpoint}`),
      { context: { step, epoch: between ? epoch : epoch + 1 }, help: "continue it with the same command and `--resume`" },
    );
  }

  /** 130 for SIGINT, 143 for SIGTERM. */
  get exitCode(): number {
    return SIGNAL_EXIT[this.signal];
  }
}
