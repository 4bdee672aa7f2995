// Training progress for people. Takes step, validation and epoch events; gives, on a terminal, one
// line redrawn in place with \r (bar, epoch, step/total, loss, steps/s, ETA; users validated while
// validation runs) and, elsewhere (a pipe, a file, a test, or NO_COLOR set), one plain line per
// epoch: epoch, step/total, loss, validation values, steps/s, elapsed and ETA. Writes to the stream
// it is given. Elapsed time and the ETA count from the start of this process's training (a resumed
// run's earlier steps are not timed), validation included, so the ETA is what the user will wait.

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  stream: ProgressStream;
  /** Total epochs, when known. */
  epochs?: number;
  /** Total updates, when known (see setTotalSteps); enables the bar and the ETA. */
  totalSteps?: number;
  /** Updates already done when this run started (a resume): the ETA times only the rest. */
  startStep?: number;
  /** Force the in-place mode on or off; default: stream.isTTY and NO_COLOR unset. */
  tty?: boolean;
  /** Environment to read NO_COLOR from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Clock in milliseconds (default Date.now); injectable for tests. */
  now?: () => number;
  /** Least time between two redraws of the in-place line (default 100 ms). */
  minIntervalMs?: number;
}

export interface EpochSummary {
  epoch: number;
  step: number;
  /** Mean training loss over the epoch. */
  loss: number;
  /** Validation and other metrics, printed as `name value`. */
  metrics?: Record<string, number>;
}

const BAR_WIDTH = 20;

/** Whether progress may redraw in place: a TTY, and NO_COLOR unset (it asks for plain output). */
export function inPlace(stream: ProgressStream, env: Record<string, string | undefined> = process.env): boolean {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return stream.isTTY === true && !noColor;
}

export class Progress {
  readonly tty: boolean;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly minInterval: number;
  private readonly runStartTime: number;
  private readonly runStartStep: number;
  private epochs: number | undefined;
  private totalSteps: number | undefined;
  private epochStartTime = 0;
  private epochStartStep = 0;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(options: ProgressOptions) {
    this.tty = options.tty ?? inPlace(options.stream, options.env);
    this.stream = options.stream;
    this.now = options.now ?? Date.now;
    this.minInterval = options.minIntervalMs ?? 100;
    this.epochs = options.epochs;
    this.totalSteps = options.totalSteps;
    this.runStartTime = this.now();
    this.runStartStep = options.startStep ?? 0;
  }

  /** Sets or updates the total number of updates (e.g. once the first epoch's length is known). */
  setTotalSteps(total: number | undefined): void {
    this.totalSteps = total;
  }

  /** Marks the start of an epoch at `step` updates done (the epoch's rate counts from here). */
  startEpoch(step: number): void {
    this.epochStartTime = this.now();
    this.epochStartStep = step;
    this.lastDraw = -Infinity;
  }

  /** Reports an update; redraws the in-place line at most every minIntervalMs. No-op off a TTY. */
  update(epoch: number, step: number, loss: number): void {
    if (!this.tty) return;
    const t = this.now();
    if (t - this.lastDraw < this.minInterval) return;
    this.lastDraw = t;
    const parts = [];
    if (this.totalSteps !== undefined) parts.push(bar(step / this.totalSteps));
    parts.push(this.epochLabel(epoch), this.stepLabel(step), `loss ${fmt(loss)}`, `${this.epochRate(step, t).toFixed(1)} steps/s`);
    const eta = this.eta(step, t);
    if (eta !== null) parts.push(`ETA ${eta}`);
    this.draw(parts.join("  "));
  }

  /** Reports validation after an epoch: `done` of `total` users. Redraws in place; no-op off a TTY. */
  validating(epoch: number, step: number, done: number, total: number): void {
    if (!this.tty) return;
    const t = this.now();
    if (t - this.lastDraw < this.minInterval && done < total) return;
    this.lastDraw = t;
    const parts = [];
    if (this.totalSteps !== undefined) parts.push(bar(step / this.totalSteps));
    parts.push(this.epochLabel(epoch), this.stepLabel(step), `validating ${done}/${total} users`);
    this.draw(parts.join("  "));
  }

  /** Ends an epoch: one summary line (replacing the in-place line on a TTY). */
  endEpoch(summary: EpochSummary): void {
    const t = this.now();
    const parts = [this.epochLabel(summary.epoch), this.stepLabel(summary.step), `loss ${fmt(summary.loss)}`];
    for (const [name, value] of Object.entries(summary.metrics ?? {})) parts.push(`${name} ${fmt(value)}`);
    parts.push(`${this.epochRate(summary.step, t).toFixed(1)} steps/s`, `elapsed ${duration((t - this.runStartTime) / 1000)}`);
    const eta = this.eta(summary.step, t);
    if (eta !== null) parts.push(`ETA ${eta}`);
    const line = parts.join("  ");
    this.stream.write(this.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    this.drawn = false;
  }

  /** Prints a closing message on its own line (finishing an unterminated in-place line). */
  finish(message?: string): void {
    if (this.tty && this.drawn) this.stream.write("\n");
    this.drawn = false;
    if (message !== undefined) this.stream.write(`${message}\n`);
  }

  private draw(line: string): void {
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  private epochRate(step: number, t: number): number {
    const seconds = (t - this.epochStartTime) / 1000;
    return seconds > 0 ? (step - this.epochStartStep) / seconds : 0;
  }

  /** Time left at this run's average pace so far (validation included); null when unknown or done. */
  private eta(step: number, t: number): string | null {
    const done = step - this.runStartStep;
    if (this.totalSteps === undefined || done <= 0 || step >= this.totalSteps) return null;
    const secondsPerStep = (t - this.runStartTime) / 1000 / done;
    return duration((this.totalSteps - step) * secondsPerStep);
  }

  private epochLabel(epoch: number): string {
    return this.epochs !== undefined ? `epoch ${epoch + 1}/${this.epochs}` : `epoch ${epoch + 1}`;
  }

  private stepLabel(step: number): string {
    return this.totalSteps !== undefined ? `step ${step}/${this.totalSteps}` : `step ${step}`;
  }
}

/** `[#####...............]` for a fraction in [0, 1]. */
export function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
}

/** Four significant digits, scientific outside [1e-3, 1e4). */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? x.toExponential(3) : x.toFixed(4);
}

/** 45s, 5m08s, 1h02m. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
