// The generic training loop. Takes named variables, a loss function, a seeded batch source and
// the training settings; trains in place and gives a summary. Around each update it handles the
// learning-rate schedule, micro-batches with gradient accumulation, global-norm clipping and a
// NaN/Inf guard; around each epoch, validation with early stopping (restoring the best weights),
// the metric log and progress output; and atomic checkpoints (every N updates, every M minutes of
// wall time, at every epoch's end and at the end) from which `resume` continues to exactly the
// weights an uninterrupted run would reach (same seed, same backend). With `interruptible`, Ctrl-C
// or SIGTERM stops it at the next step boundary after a checkpoint (TrainingInterrupted).
//
// Determinism: all randomness the loop hands out derives from `seed` by label, never from a
// shared stream: epoch e's batch source gets Rng(seed).fork("epoch/e") and the loss at update s,
// micro-batch i gets Rng(seed).fork("step/s/i"). So resuming needs no generator state: an epoch
// is replayed from its start and the batches already trained on are skipped.
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { NonFiniteLossError } from "../errors/non-finite-loss-error.js";
import { Rng } from "../random.js";
import { loadCheckpoint, latestUsableCheckpoint, saveCheckpoint, saveWeights } from "./checkpoint.js";
import { clipByGlobalNorm, globalNorm, nonFiniteGradients } from "./clip.js";
import { accumulateGradients, leadingSize, splitBatch, type WeightedPart } from "./grad-accumulation.js";
import { METRICS_FILE, MetricsLog, truncateMetrics } from "./metrics-log.js";
import { nextTurn, TrainingInterrupted, watchInterrupts, type InterruptWatch } from "./interrupt.js";
import { createOptimizer, type Optimizer, type OptimizerConfig } from "./optimizers.js";
import { Progress, type ProgressStream } from "./progress.js";
import { constantSchedule, createSchedule, type Schedule, type ScheduleConfig } from "./schedules.js";

/** What the loss function is told about the update it is part of. */
export interface StepContext {
  /** 1-based index of the update being computed. */
  step: number;
  /** 0-based epoch. */
  epoch: number;
  /** Index of the micro-batch within the update (0 without micro-batching). */
  micro: number;
  /** Randomness for this update and micro-batch only (dropout masks, sampled negatives). */
  rng: Rng;
}

export interface EarlyStoppingConfig {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** "max" (default): higher validation values are better; "min": lower are. */
  mode?: "max" | "min";
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put the best epoch's weights back at the end (default true). */
  restoreBest?: boolean;
}

export interface EpochInfo {
  epoch: number;
  step: number;
  /** Mean training loss over the epoch. */
  loss: number;
  /** The validation value, when validation ran this epoch. */
  metric?: number;
}

export interface TrainOptions<B> {
  /** Every model variable by stable name; checkpoints save all of them. */
  vars: Map<string, tf.Variable>;
  /** The subset to train (names, or a predicate); the rest stay frozen. Default: all. */
  trainable?: readonly string[] | ((name: string) => boolean);
  /** Scalar loss of a batch; called inside tf.variableGrads. */
  lossFn: (batch: B, training: boolean, ctx: StepContext) => tf.Scalar;
  /** The batches of epoch `epoch` (0-based), shuffled with `rng`. Must be deterministic given both. */
  batches: (epoch: number, rng: Rng) => Iterable<B>;
  /** A config (the loop creates and disposes the optimizer) or an optimizer the caller keeps. */
  optimizer: OptimizerConfig | Optimizer;
  /** Learning rate per update; default: constant at the optimizer's lr. */
  schedule?: ScheduleConfig | Schedule;
  /** Stop after this many epochs... */
  epochs?: number;
  /** ...or after this many updates, whichever comes first (at least one is required). */
  steps?: number;
  /** Batches `batches` gives per epoch, when the caller knows: the progress bar's total is then
   * known before the first step (otherwise after the first epoch). */
  stepsPerEpoch?: number;
  /** Seed for the batch source and the loss's per-step Rng (default 0). */
  seed?: number;
  /** Clip gradients to this global L2 norm. */
  clipNorm?: number;
  /** Split each batch into this many parts along its leading axis, or with this function. */
  microBatches?: number | ((batch: B) => B[]);
  /** Examples in a (micro-)batch, to weight parts; default: leading size, else equal weights. */
  batchSize?: (batch: B) => number;
  /**
   * How much a whole batch's update counts (default 1): its loss, and so its gradient, is multiplied
   * by it; the logged loss is not (a weight of 0, a batch without targets, logs its loss times 0).
   * Lets batches of unequal size count by their share of the epoch.
   */
  batchWeight?: (batch: B) => number;
  /** Dispose every tensor in each batch (and its parts) once used (default true). */
  disposeBatches?: boolean;
  /** Validation after an epoch; the value drives early stopping. */
  validate?: (info: {
    epoch: number;
    step: number;
    /** Shows validation's progress (`done` of `total` users) on the progress line. */
    progress: (done: number, total: number) => void;
  }) => number | Promise<number>;
  /** Name of the validation value in the metric log and progress (default "metric"). */
  validationName?: string;
  /** Validate every this many epochs (default 1). */
  validateEvery?: number;
  earlyStopping?: EarlyStoppingConfig;
  /** Directory for checkpoints, metrics.jsonl and the final weights (`model/`). */
  runDir?: string;
  /** Also checkpoint every this many updates (always at each epoch's end and at the end when
   * runDir is set). */
  checkpointEvery?: number;
  /** Also checkpoint once this many minutes of wall time passed since the last checkpoint (at the
   * next step boundary; default: off). */
  checkpointMinutes?: number;
  /** Complete checkpoints to keep (default 2). */
  keepCheckpoints?: number;
  /** Continue from the latest complete checkpoint in runDir, if there is one. */
  resume?: boolean;
  /** Told where a resume continues from, before any step (messages for people). */
  onResume?: (info: { checkpoint: string; step: number; epoch: number; batchInEpoch: number }) => void;
  /** Stop at the next step boundary, after a checkpoint, on SIGINT / SIGTERM (a second one exits
   * at once); throws TrainingInterrupted. Default false: a library caller keeps its own handlers. */
  interruptible?: boolean;
  /** Clock in milliseconds for wall-time checkpoints (default Date.now); injectable for tests. */
  now?: () => number;
  /** Log the step loss, lr and gradient norm every this many updates (default 1). */
  logEvery?: number;
  /** Where progress goes (default process.stderr); false for none. */
  progress?: ProgressStream | false;
  /** Called after every epoch's bookkeeping (tests, custom logging). */
  onEpochEnd?: (info: EpochInfo) => void;
}

export interface TrainResult {
  /** Updates done in total (including before a resume). */
  step: number;
  /** Epochs completed. */
  epochs: number;
  stoppedEarly: boolean;
  bestMetric: number | null;
  /** 0-based epoch of the best validation value. */
  bestEpoch: number | null;
  /** Loss of the last update (NaN when none ran in this call). */
  lastLoss: number;
  /** The last checkpoint written or resumed from. */
  checkpoint: string | null;
  resumedFrom: string | null;
}

// The RS6003 error lives with the other run errors; the help names the spec's own attributes.
export { NonFiniteLossError } from "../errors/non-finite-loss-error.js";

/** Everything about the loop's position that a checkpoint must carry. JSON-safe. */
interface LoopState {
  step: number;
  /** Epoch in progress (0-based). */
  epoch: number;
  /** Batches of the current epoch already trained on. */
  batchInEpoch: number;
  epochLossSum: number;
  epochLossCount: number;
  bestMetric: number | null;
  bestEpoch: number | null;
  /** Validations in a row without improvement. */
  badEpochs: number;
  stopped: boolean;
  seed: number;
}

const OPTIMIZER_GROUP = "optimizer";
const BEST_GROUP = "best";

/** Trains `options.vars` in place. See TrainOptions for the settings. */
export async function train<B>(options: TrainOptions<B>): Promise<TrainResult> {
  const { vars } = options;
  if (options.epochs === undefined && options.steps === undefined) {
    throw new Error("train: give epochs, steps or both");
  }
  for (const [k, v] of [
    ["epochs", options.epochs],
    ["steps", options.steps],
    ["checkpointEvery", options.checkpointEvery],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= (k === "checkpointEvery" ? 1 : 0))) {
      throw new Error(`train: ${k} must be a non-negative integer, got ${v}`);
    }
  }
  if (options.resume && options.runDir === undefined) throw new Error("train: resume needs a runDir");
  if (options.checkpointMinutes !== undefined && !(options.checkpointMinutes >= 0)) {
    throw new Error(`train: checkpointMinutes must be ≥ 0, got ${options.checkpointMinutes}`);
  }
  if (tf.getGradient("Sum") === undefined) {
    // tfjs-core's Node entry point registers no gradient functions; the backend module does.
    throw new Error("train: tfjs has no gradient functions registered (call ensureGradients() from the runtime's backend first)");
  }
  const seed = options.seed ?? 0;
  const root = new Rng(seed);
  const trainVars = selectTrainable(vars, options.trainable);
  const ownsOptimizer = !isOptimizer(options.optimizer);
  const optimizer = isOptimizer(options.optimizer) ? options.optimizer : createOptimizer(options.optimizer);
  const schedule: Schedule =
    typeof options.schedule === "function"
      ? options.schedule
      : options.schedule !== undefined
        ? createSchedule(options.schedule)
        : constantSchedule(optimizer.config.lr);
  const restoreBest = options.earlyStopping !== undefined && options.earlyStopping.restoreBest !== false;
  const disposeBatches = options.disposeBatches ?? true;
  const logEvery = options.logEvery ?? 1;
  const validateEvery = options.validateEvery ?? 1;
  const validationName = options.validationName ?? "metric";
  const now = options.now ?? Date.now;
  // 0 or unset: no wall-time checkpoints.
  const checkpointMs = options.checkpointMinutes ? options.checkpointMinutes * 60_000 : Infinity;

  let state: LoopState = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    epochLossSum: 0,
    epochLossCount: 0,
    bestMetric: null,
    bestEpoch: null,
    badEpochs: 0,
    stopped: false,
    seed,
  };
  let best: Map<string, tf.Tensor> | null = null;
  let log: MetricsLog | null = null;
  let progress: Progress | null = null;
  let lastCheckpoint: string | null = null;
  let resumedFrom: string | null = null;
  let lastSavedStep = -1;
  let lastSavedTime = now();
  let interrupts: InterruptWatch | null = null;
  let lastLoss = NaN;
  let completed = false;

  const finished = (): boolean =>
    state.stopped || (options.epochs !== undefined && state.epoch >= options.epochs) || (options.steps !== undefined && state.step >= options.steps);

  const checkpoint = async (): Promise<void> => {
    if (options.runDir === undefined) return;
    log?.sync();
    const optimizerState = optimizer.state();
    try {
      const groups: Record<string, Map<string, tf.Tensor>> = { [OPTIMIZER_GROUP]: optimizerState };
      if (best !== null) groups[BEST_GROUP] = best;
      lastCheckpoint = await saveCheckpoint(options.runDir, state.step, { weights: vars, groups, state: { loop: state } }, { keep: options.keepCheckpoints });
      lastSavedStep = state.step;
      lastSavedTime = now();
    } finally {
      for (const t of optimizerState.values()) t.dispose();
    }
  };

  try {
    if (options.resume && options.runDir !== undefined) {
      // The newest checkpoint that passes its checksums (a corrupt newer one is set aside).
      const dir = latestUsableCheckpoint(options.runDir);
      if (dir !== null) {
        const restored = await restore(dir, vars, optimizer);
        if (restored.state.seed !== seed) {
          tf.dispose([...(restored.best?.values() ?? [])]);
          throw new Error(`train: ${dir} was written with seed ${restored.state.seed}; resuming needs the same seed (got ${seed})`);
        }
        state = restored.state;
        best = restored.best;
        resumedFrom = lastCheckpoint = dir;
        lastSavedStep = state.step;
        options.onResume?.({ checkpoint: dir, step: state.step, epoch: state.epoch, batchInEpoch: state.batchInEpoch });
      }
    }
    if (options.runDir !== undefined) {
      // Entries past the step training starts from (0 without a checkpoint) were made by an
      // interrupted attempt and will be made again: a step is never logged twice.
      truncateMetrics(path.join(options.runDir, METRICS_FILE), state.step);
      log = new MetricsLog(path.join(options.runDir, METRICS_FILE));
    }
    if (options.progress !== false) {
      progress = new Progress({
        stream: options.progress ?? process.stderr,
        epochs: options.epochs,
        totalSteps: plannedSteps(options),
        startStep: state.step,
      });
    }
    if (options.interruptible) {
      const stream = options.progress === false ? process.stderr : (options.progress ?? process.stderr);
      // The notice ends an in-place progress line first; the next redraw starts a fresh one.
      interrupts = watchInterrupts({ notify: (line) => (progress !== null ? progress.finish(line) : void stream.write(`${line}\n`)) });
    }
    /** At a step boundary: once a signal came, checkpoint (unless this state is saved) and stop. */
    const stopIfAsked = async (): Promise<void> => {
      if (interrupts === null) return;
      await nextTurn();
      const signal = interrupts.signal;
      if (signal === null) return;
      if (options.runDir !== undefined && lastSavedStep !== state.step) await checkpoint();
      progress?.finish();
      throw new TrainingInterrupted(signal, state.step, state.epoch, state.batchInEpoch, options.runDir === undefined ? null : lastCheckpoint);
    };

    while (!finished()) {
      const epoch = state.epoch;
      progress?.startEpoch(state.step);
      let index = 0;
      let checkpointDue = false;
      let hitStepLimit = false;
      for (const batch of options.batches(epoch, root.fork(`epoch/${epoch}`))) {
        // A periodic checkpoint waits until we know the epoch goes on, so one taken at an
        // epoch's last update also covers that epoch's validation and log entries.
        if (checkpointDue) {
          await checkpoint();
          checkpointDue = false;
        }
        if (index >= state.batchInEpoch) {
          try {
            await stopIfAsked();
          } catch (e) {
            if (disposeBatches) disposeTensorsIn(batch);
            throw e;
          }
        }
        if (index < state.batchInEpoch) {
          // Already trained on before the resume.
          index++;
          if (disposeBatches) disposeTensorsIn(batch);
          continue;
        }
        if (options.steps !== undefined && state.step >= options.steps) {
          if (disposeBatches) disposeTensorsIn(batch);
          hitStepLimit = true;
          break;
        }
        const { loss, lr, norm } = await trainStep(batch, epoch);
        index++;
        state.step++;
        state.batchInEpoch = index;
        state.epochLossSum += loss;
        state.epochLossCount++;
        lastLoss = loss;
        if (log !== null && state.step % logEvery === 0) {
          log.append({ step: state.step, epoch, split: "train", name: "loss", value: loss });
          log.append({ step: state.step, epoch, split: "train", name: "lr", value: lr });
          log.append({ step: state.step, epoch, split: "train", name: "grad_norm", value: norm });
        }
        progress?.update(epoch, state.step, loss);
        if (options.checkpointEvery !== undefined && state.step % options.checkpointEvery === 0) checkpointDue = true;
        if (now() - lastSavedTime >= checkpointMs) checkpointDue = true;
      }
      if (hitStepLimit) break;
      if (index === 0) throw new Error(`train: batches(${epoch}) produced no batches`);
      await endEpoch(epoch, index);
      // Every epoch ends with a checkpoint (the final one, when this was the last, comes below).
      // A signal during the last epoch lets the run finish (and save its model) instead.
      if (!finished()) {
        if (options.runDir !== undefined) await checkpoint();
        await stopIfAsked();
      }
    }

    if (options.runDir !== undefined && lastSavedStep !== state.step) await checkpoint();
    if (restoreBest && best !== null) {
      for (const [name, t] of best) vars.get(name)?.assign(t);
    }
    if (options.runDir !== undefined) await saveWeights(path.join(options.runDir, "model"), vars);
    progress?.finish(
      state.stopped ? `early stop after epoch ${state.epoch}: best ${validationName} ${state.bestMetric} at epoch ${(state.bestEpoch ?? 0) + 1}` : undefined,
    );
    completed = true;
    return {
      step: state.step,
      epochs: state.epoch,
      stoppedEarly: state.stopped,
      bestMetric: state.bestMetric,
      bestEpoch: state.bestEpoch,
      lastLoss,
      checkpoint: lastCheckpoint,
      resumedFrom,
    };
  } finally {
    interrupts?.stop();
    if (!completed) progress?.finish();
    if (best !== null) for (const t of best.values()) t.dispose();
    if (ownsOptimizer) optimizer.dispose();
    log?.close();
  }

  /** One update from one batch: gradients (accumulated over parts), guard, clip, optimizer. */
  async function trainStep(batch: B, epoch: number): Promise<{ loss: number; lr: number; norm: number }> {
    const step = state.step + 1;
    const lr = schedule(step);
    const parts = splitParts(batch);
    const weight = options.batchWeight?.(batch) ?? 1;
    let result;
    try {
      result = await accumulateGradients(trainVars, parts, (part, micro) => {
        const loss = options.lossFn(part, true, { step, epoch, micro, rng: root.fork(`step/${step}/${micro}`) });
        if (weight === 1) return loss;
        return tf.mul(loss, weight) as tf.Scalar;
      });
      // Weight 0 is a batch without targets (its loss is 0 already): nothing to divide back.
      if (weight !== 1 && weight !== 0) result.loss /= weight;
    } finally {
      if (disposeBatches) {
        for (const p of parts) disposeTensorsIn(p.batch);
        disposeTensorsIn(batch);
      }
    }
    let grads = result.grads;
    try {
      const help = { lr, clip: options.clipNorm };
      if (!Number.isFinite(result.loss)) {
        throw new NonFiniteLossError(`training stopped at step ${step} (epoch ${epoch + 1}): the loss became non-finite (${result.loss})`, step, epoch, help);
      }
      let norm: number;
      if (options.clipNorm !== undefined) {
        const clipped = await clipByGlobalNorm(grads, options.clipNorm);
        for (const g of grads.values()) g.dispose();
        grads = clipped.grads;
        norm = clipped.norm;
      } else {
        norm = await globalNorm(grads);
      }
      if (!Number.isFinite(norm)) {
        const bad = await nonFiniteGradients(grads);
        throw new NonFiniteLossError(
          `training stopped at step ${step} (epoch ${epoch + 1}): the loss is ${result.loss} but its gradient ` +
            `became non-finite (in ${bad.join(", ") || "the global norm"})`,
          step,
          epoch,
          help,
        );
      }
      optimizer.step(grads, vars, lr);
      return { loss: result.loss, lr, norm };
    } finally {
      for (const g of grads.values()) g.dispose();
    }
  }

  function splitParts(batch: B): WeightedPart<B>[] {
    const micro = options.microBatches;
    if (micro === undefined || micro === 1) return [{ batch, weight: 1 }];
    const pieces = typeof micro === "function" ? micro(batch) : splitBatch(batch, micro);
    if (pieces.length === 0) throw new Error("train: microBatches split a batch into no parts");
    const sizes = pieces.map((p) => (options.batchSize ? options.batchSize(p) : leadingSize(p)));
    const known = sizes.every((s): s is number => s !== undefined && s > 0);
    const total = known ? (sizes as number[]).reduce((a, b) => a + b, 0) : pieces.length;
    return pieces.map((p, i) => ({ batch: p, weight: known ? (sizes[i] as number) / total : 1 / pieces.length }));
  }

  async function endEpoch(epoch: number, batchesInEpoch: number): Promise<void> {
    const meanLoss = state.epochLossSum / state.epochLossCount;
    log?.append({ step: state.step, epoch, split: "train", name: "epoch_loss", value: meanLoss });
    let metric: number | undefined;
    if (options.validate !== undefined && (epoch + 1) % validateEvery === 0) {
      metric = await options.validate({
        epoch,
        step: state.step,
        progress: (done, total) => progress?.validating(epoch, state.step, done, total),
      });
      log?.append({ step: state.step, epoch, split: "val", name: validationName, value: metric });
      judge(metric, epoch);
    }
    progress?.endEpoch({
      epoch,
      step: state.step,
      loss: meanLoss,
      metrics: metric === undefined ? undefined : { [validationName]: metric },
    });
    if (options.steps === undefined && options.epochs !== undefined && options.stepsPerEpoch === undefined) {
      progress?.setTotalSteps(batchesInEpoch * options.epochs);
    }
    log?.sync();
    state.epoch = epoch + 1;
    state.batchInEpoch = 0;
    state.epochLossSum = 0;
    state.epochLossCount = 0;
    options.onEpochEnd?.({ epoch, step: state.step, loss: meanLoss, metric });
  }

  /** Early-stopping bookkeeping for one validation value. */
  function judge(metric: number, epoch: number): void {
    const es = options.earlyStopping;
    const sign = es?.mode === "min" ? -1 : 1;
    const minDelta = es?.minDelta ?? 0;
    const improved = Number.isFinite(metric) && (state.bestMetric === null || sign * (metric - state.bestMetric) > minDelta);
    if (improved) {
      state.bestMetric = metric;
      state.bestEpoch = epoch;
      state.badEpochs = 0;
      if (restoreBest) {
        if (best !== null) for (const t of best.values()) t.dispose();
        best = new Map([...trainVars].map(([name, v]) => [name, v.clone()] as [string, tf.Tensor]));
      }
    } else {
      state.badEpochs++;
      if (es !== undefined && state.badEpochs >= es.patience) state.stopped = true;
    }
  }
}

/** Updates the run will make at most, when known up front: the progress bar's total. */
function plannedSteps(options: { epochs?: number; steps?: number; stepsPerEpoch?: number }): number | undefined {
  const byEpochs = options.epochs !== undefined && options.stepsPerEpoch !== undefined ? options.epochs * options.stepsPerEpoch : undefined;
  if (options.steps === undefined) return byEpochs;
  return byEpochs === undefined ? options.steps : Math.min(options.steps, byEpochs);
}

/** Loads a checkpoint into vars and the optimizer; gives the loop state and best weights. */
async function restore(dir: string, vars: Map<string, tf.Variable>, optimizer: Optimizer): Promise<{ state: LoopState; best: Map<string, tf.Tensor> | null }> {
  const data = loadCheckpoint(dir);
  const groups = data.groups ?? {};
  try {
    for (const name of data.weights.keys()) {
      if (!vars.has(name)) throw new Error(`checkpoint ${dir} has weight "${name}", which the model does not`);
    }
    for (const [name, v] of vars) {
      const t = data.weights.get(name);
      if (t === undefined) throw new Error(`checkpoint ${dir} has no weight "${name}"`);
      if (t.dtype !== v.dtype || t.shape.join(",") !== v.shape.join(",")) {
        throw new Error(`checkpoint ${dir}: "${name}" is ${t.dtype}[${t.shape}] but the model has ${v.dtype}[${v.shape}]`);
      }
      v.assign(t);
    }
    const optimizerState = groups[OPTIMIZER_GROUP];
    if (optimizerState !== undefined) await optimizer.loadState(optimizerState);
  } catch (e) {
    tf.dispose([...(groups[BEST_GROUP]?.values() ?? [])]);
    throw e;
  } finally {
    tf.dispose([...data.weights.values(), ...(groups[OPTIMIZER_GROUP]?.values() ?? [])]);
  }
  const loop = (data.state as { loop?: LoopState }).loop;
  if (loop === undefined) throw new Error(`checkpoint ${dir} has no training-loop state`);
  return { state: { ...loop }, best: groups[BEST_GROUP] ?? null };
}

function selectTrainable(vars: Map<string, tf.Variable>, trainable: readonly string[] | ((name: string) => boolean) | undefined): Map<string, tf.Variable> {
  if (trainable === undefined) return new Map([...vars].filter(([, v]) => v.trainable));
  if (typeof trainable === "function") return new Map([...vars].filter(([name, v]) => v.trainable && trainable(name)));
  const out = new Map<string, tf.Variable>();
  for (const name of trainable) {
    const v = vars.get(name);
    if (v === undefined) throw new Error(`train: trainable variable "${name}" is not among vars`);
    out.set(name, v);
  }
  if (out.size === 0) throw new Error("train: no trainable variables");
  return out;
}

/**
 * Disposes the tensors in a batch: a tensor, or arrays and plain objects holding tensors.
 * Unlike tf.dispose it does not walk the elements of typed arrays or arrays of numbers.
 */
function disposeTensorsIn(value: unknown): void {
  if (value instanceof tf.Tensor) {
    value.dispose();
  } else if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === "object") disposeTensorsIn(v);
  } else if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) for (const v of Object.values(value)) disposeTensorsIn(v);
  }
}

function isOptimizer(o: OptimizerConfig | Optimizer): o is Optimizer {
  return typeof (o as Optimizer).step === "function";
}
