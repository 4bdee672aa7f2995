// Progress of an evaluation for people. Takes a label, the number of users to rank and a stream;
// gives, on a terminal, one line redrawn in place (label, bar, users done/total, ETA) that is
// cleared when the evaluation ends (its table follows), and elsewhere a plain line at most every
// `plainEveryMs` (default 30 s) so that a long evaluation shows it is alive in a log while a short
// one prints nothing.
import { bar, duration, inPlace, type ProgressStream } from "../train/progress.js";

export interface EvaluationProgressOptions {
  stream: ProgressStream;
  /** E.g. "evaluating seq on synth.test". */
  label: string;
  /** Users to rank in all. */
  total: number;
  /** Force the in-place mode on or off; default: a TTY with NO_COLOR unset. */
  tty?: boolean;
  env?: Record<string, string | undefined>;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /** Least time between two redraws on a TTY (default 100 ms). */
  minIntervalMs?: number;
  /** Least time between two plain lines off a TTY (default 30 s). */
  plainEveryMs?: number;
}

export class EvaluationProgress {
  readonly tty: boolean;
  private readonly options: EvaluationProgressOptions;
  private readonly now: () => number;
  private readonly started: number;
  private lastDraw: number;
  private drawn = false;

  constructor(options: EvaluationProgressOptions) {
    this.options = options;
    this.tty = options.tty ?? inPlace(options.stream, options.env);
    this.now = options.now ?? Date.now;
    this.started = this.now();
    // Off a TTY the first plain line waits a full interval: short evaluations stay silent.
    this.lastDraw = this.tty ? -Infinity : this.started;
  }

  /** `done` users ranked so far. */
  update(done: number): void {
    const t = this.now();
    const { total, label, stream } = this.options;
    const interval = this.tty ? (this.options.minIntervalMs ?? 100) : (this.options.plainEveryMs ?? 30_000);
    if (t - this.lastDraw < interval) return;
    this.lastDraw = t;
    const seconds = (t - this.started) / 1000;
    const eta = done > 0 && done < total ? duration(((total - done) * seconds) / done) : null;
    if (this.tty) {
      stream.write(`\r${label}  ${bar(done / total)}  ${done}/${total} users${eta === null ? "" : `  ETA ${eta}`}\x1b[K`);
      this.drawn = true;
    } else {
      stream.write(`${label}: ${done}/${total} users, elapsed ${duration(seconds)}${eta === null ? "" : `, ETA ${eta}`}\n`);
    }
  }

  /** Clears the in-place line (the caller prints the result next). */
  end(): void {
    if (this.tty && this.drawn) this.options.stream.write("\r\x1b[K");
    this.drawn = false;
  }
}
