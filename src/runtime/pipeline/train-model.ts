// Training of a RecModel from an IR `train` object. Takes the model, the prepared data, the train
// object and a run directory; builds seeded batches of the model's training examples, the
// optimizer and schedule the spec names, clipping, epochs or steps, early stopping (on validation
// loss, or on a full-ranking validation metric over a seeded subset of validation users),
// checkpoints (every `checkpoint_every` steps, every `checkpoint_minutes`, at each epoch's end),
// resume, Ctrl-C / SIGTERM handling, and the metric log runDir/metrics.jsonl — all through the loop
// in train/train-loop.ts. Batches whose estimated activations exceed the memory budget are split
// into micro-batches with gradient accumulation, weighted by each part's loss denominator so the
// update equals the whole batch's; a plan over the backend's hard limit is a MemoryLimitError, and
// run errors from training carry the block's name and folder. Gives a summary with the measured speed.
import * as tf from "@tensorflow/tfjs-core";
import { batchCount, batches } from "../data/batching.js";
import type { Batch } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { noModelExamplesError, noValidationError } from "../data/split-coverage.js";
import type { RecModel } from "../models/rec-model.js";
import { RunError } from "../errors/run-error.js";
import { Rng } from "../random.js";
import type { Optimizer, OptimizerConfig } from "../train/optimizers.js";
import type { ProgressStream } from "../train/progress.js";
import type { ScheduleConfig } from "../train/schedules.js";
import { train } from "../train/train-loop.js";
import { rankingMetric } from "./evaluate-model.js";
import { weighByShare } from "./batch-weights.js";
import { bucketedBatches } from "./length-buckets.js";
import { DEFAULT_MEMORY_BUDGET, describePlan, partsFor, splitBatchInto } from "./micro-batches.js";
import { passMemoryBudget } from "../backend/memory-budget.js";
import { checkPassFits, passLimitBytes } from "./pass-limit.js";
import type { PreparedData } from "./prepare-data.js";
import type { OptimizerOption, ScheduleOption, TrainAttributes } from "../../ir/index.js";
import { metricName } from "./metric-name.js";

export interface TrainModelOptions {
  /** Checkpoints, metrics.jsonl and the final weights (model/) go here. */
  runDir: string;
  /** Continue from the latest complete checkpoint in runDir. */
  resume?: boolean;
  /** Stop after a checkpoint on Ctrl-C / SIGTERM (TrainingInterrupted); default false. */
  interruptible?: boolean;
  /** Status lines (backend-independent decisions: micro-batching, validation subset); default stderr. */
  log?: (line: string) => void;
  /** Progress output (default stderr); false for none. */
  progressStream?: ProgressStream | false;
  /** Validation users for a ranking early-stop metric (default 2000, a seeded subset). */
  validationUsers?: number;
  /** Early stopping on a ranking metric leaves each user's history out of the ranking (as the model's evaluation does). */
  excludeHistory?: boolean;
  /** Activation memory allowed per forward pass, in bytes (default 1 GiB). */
  memoryBudget?: number;
  /** The hard limit of one forward pass, in bytes (default: the current backend's, passLimitBytes). */
  passLimit?: number;
  /** Batch examples of similar history length together (default true; see length-buckets.ts). */
  lengthBuckets?: boolean;
  /**
   * Each batch's update counts by its share of the epoch's loss weight (the model's lossWeight: its
   * target positions) instead of equally (default false). Why: with length buckets a batch of long
   * histories holds many times the positions of a batch of short ones, and a per-batch mean would
   * give each position of a short batch that many times the weight — as shuffled batches do not.
   */
  weighBatchesByTargets?: boolean;
  /** An optimizer the caller keeps, so its state (moments, step count) carries over to a later
   * call (IDW continues training between reweightings); default: a fresh one from spec.optimizer. */
  optimizer?: Optimizer;
  /** Only the variables whose name passes train; the rest stay frozen (default: all). */
  trainable?: (name: string) => boolean;
  /** Early stopping on the caller's validation signal instead of spec.early_stop (the patience is
   * still spec.patience; the best epoch's weights are put back at the end). */
  validation?: { name: string; mode: "min" | "max"; evaluate: () => Promise<number> };
}

export interface TrainModelResult {
  /** Optimizer updates in total (including those before a resume). */
  steps: number;
  epochs: number;
  bestValidation?: { metric: string; value: number; epoch: number };
  stoppedEarly: boolean;
  /** Wall-clock seconds of this call. */
  seconds: number;
  /** Updates per second of this call, validation time excluded. */
  stepsPerSecond: number;
  /** Micro-batches per update planned from the first batches (1: none). */
  microBatches: number;
  /** The checkpoint training continued from, or null for a fresh start. */
  resumedFrom: string | null;
}

export async function trainModel(model: RecModel, data: PreparedData, spec: TrainAttributes, options: TrainModelOptions): Promise<TrainModelResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const examples = model.trainingExamples;
  if (examples.length === 0) throw noModelExamplesError(model.name, data.name, data.coverage);
  const batchOptions = { batchSize: spec.batch, length: model.historyLength, seed: spec.seed };
  const perEpoch = batchCount(examples.length, batchOptions);
  const epochBatches = (epoch: number) =>
    (options.lengthBuckets ?? true) ? bucketedBatches(examples, batchOptions, epoch) : batches(examples, batchOptions, epoch);
  // The checker fills exactly one of the two (`epochs = 10` when the spec writes neither).
  const epochs = spec.epochs ?? undefined;
  const steps = spec.steps ?? undefined;
  if (epochs === undefined && steps === undefined) throw new Error(`internal: the train settings of ${model.name} give neither epochs nor steps`);
  const totalSteps = steps !== undefined ? steps : (epochs as number) * perEpoch;
  // What one epoch iterates: the model's training examples (one per user for sequence models, one
  // per training position for two-tower and ranking models), not the data set's users.
  log(
    `${model.name}: ${examples.length.toLocaleString("en-US")} training examples, batches of ${spec.batch}: ` +
      `${perEpoch} steps per epoch, ${steps !== undefined ? `${steps} steps` : `${epochs} epochs = ${totalSteps} steps`}`,
  );

  // Memory plan: estimated from the first batches of epoch 0 (with length buckets these vary
  // most in length, so the probe sees long and short ones); applied to every batch.
  const budget = options.memoryBudget ?? passMemoryBudget(DEFAULT_MEMORY_BUDGET);
  let peak = 0;
  let probe = 0;
  for (const b of epochBatches(0)) {
    peak = Math.max(peak, model.stepBytes(b));
    if (++probe >= 16) break;
  }
  const firstSize = Math.min(spec.batch, examples.length);
  const planned = partsFor(firstSize, peak, budget, spec.micro_batch);
  log(`${model.name}: ${describePlan(firstSize, planned, peak, budget, spec.micro_batch !== null)}`);
  // Run errors from here on say which block failed and where its checkpoints are.
  const inContext = (error: unknown): never => {
    throw error instanceof RunError ? error.withContext({ block: model.name, runDir: options.runDir }) : error;
  };
  try {
    checkPassFits(firstSize, peak, planned, options.passLimit ?? passLimitBytes(tf.getBackend()), spec.micro_batch !== null);
  } catch (error) {
    inContext(error);
  }
  const split = (batch: Batch): Batch[] => splitBatchInto(batch, partsFor(batch.size, model.stepBytes(batch), budget, spec.micro_batch));
  const shares = options.weighBatchesByTargets === true ? weighByShare(epochBatches(0), (b) => model.lossWeight(b)) : undefined;
  if (shares !== undefined) log(`${model.name}: each batch counts by its target positions (${shares.mean.toFixed(1)} per batch on average)`);
  const batchWeight = shares?.weight;

  // Early stopping.
  let validate: ((progress: (done: number, total: number) => void) => Promise<number>) | undefined;
  let validationName = "metric";
  let mode: "min" | "max" = "max";
  let validationSeconds = 0;
  if (options.validation !== undefined) {
    const custom = options.validation;
    validationName = custom.name;
    mode = custom.mode;
    validate = custom.evaluate;
    log(`${model.name}: early stopping on ${custom.name} (${custom.mode === "max" ? "higher" : "lower"} is better), patience ${spec.patience}`);
  } else if (spec.early_stop !== null) {
    const subset = validationSubset(data.split.validation, options.validationUsers ?? 2000, spec.seed);
    if (subset.length === 0) throw noValidationError(model.name, data.name, data.coverage);
    const name = metricName(spec.early_stop);
    const of = `${subset.length === data.split.validation.length ? "all" : `a seeded subset of ${subset.length} of`} ${data.split.validation.length} validation users`;
    if (spec.early_stop.metric === "loss") {
      validationName = "val_loss";
      mode = "min";
      validate = (progress) => validationLoss(model, subset, spec.batch, progress);
      log(`${model.name}: early stopping on validation loss over ${of}, patience ${spec.patience}`);
    } else {
      validationName = `val_${name}`;
      const exclude = options.excludeHistory ? subset.map((e) => e.history) : undefined;
      validate = (progress) => rankingMetric(model, subset, name, 256, progress, exclude);
      log(`${model.name}: early stopping on ${name} (full ranking${exclude ? ", history excluded" : ""}) over ${of}, patience ${spec.patience}`);
    }
  }
  const timedValidate =
    validate === undefined
      ? undefined
      : async ({ progress }: { progress: (done: number, total: number) => void }) => {
          const t0 = performance.now();
          try {
            return await validate!(progress);
          } finally {
            validationSeconds += (performance.now() - t0) / 1000;
          }
        };

  const result = await train<Batch>({
    vars: model.params.variables(),
    lossFn: (batch, training, ctx) => model.loss(batch, { training, rng: ctx.rng }),
    batches: (epoch) => epochBatches(epoch),
    optimizer: options.optimizer ?? optimizerConfig(spec.optimizer),
    ...(options.trainable !== undefined ? { trainable: options.trainable } : {}),
    schedule: scheduleConfig(spec.schedule, spec.optimizer.lr, totalSteps),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(steps !== undefined ? { steps } : {}),
    stepsPerEpoch: perEpoch,
    seed: spec.seed,
    ...(spec.clip > 0 ? { clipNorm: spec.clip } : {}),
    microBatches: split,
    batchSize: (b) => model.lossWeight(b),
    ...(batchWeight !== undefined ? { batchWeight } : {}),
    ...(timedValidate !== undefined ? { validate: timedValidate, validationName, earlyStopping: { patience: spec.patience, mode } } : {}),
    runDir: options.runDir,
    checkpointEvery: spec.checkpoint_every,
    checkpointMinutes: spec.checkpoint_minutes,
    resume: options.resume ?? false,
    onResume: ({ checkpoint, step, epoch, batchInEpoch }) => {
      const where =
        epochs !== undefined && epoch >= epochs
          ? `all ${epochs} epochs done`
          : `epoch ${epoch + 1}${epochs !== undefined ? `/${epochs}` : ""}, ${batchInEpoch} of ${perEpoch} batches done`;
      log(`${model.name}: resumed from ${checkpoint}: step ${step}${steps !== undefined ? `/${steps}` : ""} (${where})`);
    },
    interruptible: options.interruptible ?? false,
    progress: options.progressStream ?? process.stderr,
  }).catch(inContext);

  const seconds = (performance.now() - started) / 1000;
  const stepsThisCall = result.step - (result.resumedFrom !== null ? stepOf(result.resumedFrom) : 0);
  const trainingSeconds = Math.max(1e-9, seconds - validationSeconds);
  const out: TrainModelResult = {
    steps: result.step,
    epochs: result.epochs,
    stoppedEarly: result.stoppedEarly,
    seconds,
    stepsPerSecond: stepsThisCall / trainingSeconds,
    microBatches: planned,
    resumedFrom: result.resumedFrom,
  };
  if (result.bestMetric !== null && result.bestEpoch !== null && (options.validation !== undefined || spec.early_stop !== null)) {
    const metric = options.validation !== undefined ? options.validation.name : metricName(spec.early_stop!);
    out.bestValidation = { metric, value: result.bestMetric, epoch: result.bestEpoch };
  }
  return out;
}

/** The IR optimizer object as the train module's config. */
export function optimizerConfig(o: OptimizerOption): OptimizerConfig {
  switch (o.type) {
    case "adam":
      return { name: "adam", lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps };
    case "adamw":
      return { name: "adamw", lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weight_decay };
    case "adagrad":
      return { name: "adagrad", lr: o.lr, initialAccumulator: o.initial_accumulator };
    case "sgd":
      return { name: "sgd", lr: o.lr, momentum: o.momentum };
    default:
      throw new Error(`unknown optimizer "${(o as { type: string }).type}"`);
  }
}

/** The IR schedule object as the train module's config; cosine decays over the whole run. */
export function scheduleConfig(s: ScheduleOption, lr: number, totalSteps: number): ScheduleConfig {
  switch (s.type) {
    case "constant":
      return { name: "constant", lr };
    case "inverse_sqrt":
      return { name: "inverse_sqrt", lr, warmup: s.warmup };
    case "cosine":
      return { name: "cosine", lr, totalSteps: Math.max(totalSteps, s.warmup + 1), warmup: s.warmup, finalLr: s.final * lr };
    default:
      throw new Error(`unknown schedule "${(s as { type: string }).type}"`);
  }
}

/** Up to n validation examples, a seeded uniform subset in their original order. */
export function validationSubset(examples: readonly Example[], n: number, seed: number): Example[] {
  if (examples.length <= n) return [...examples];
  const order = Int32Array.from({ length: examples.length }, (_, i) => i);
  new Rng(seed).fork("validation-subset").shuffle(order);
  return Array.from(order.subarray(0, n))
    .sort((a, b) => a - b)
    .map((i) => examples[i]);
}

/** Mean held-out loss (model.loss with training false) over examples, batch by batch. */
export async function validationLoss(
  model: RecModel,
  examples: readonly Example[],
  batchSize: number,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  let total = 0;
  let weight = 0;
  for (const b of batches(examples, { batchSize, length: model.historyLength, seed: 0, shuffle: false })) {
    // Each example's held-out loss counts once (the loss is a mean over the batch's examples).
    const w = b.size;
    const loss = tf.tidy(() => model.loss(b, { training: false }));
    total += (await loss.data())[0] * w;
    loss.dispose();
    weight += w;
    onProgress?.(weight, examples.length);
  }
  return weight === 0 ? NaN : total / weight;
}

function stepOf(checkpointDir: string): number {
  const m = /(\d+)\/?$/.exec(checkpointDir);
  return m === null ? 0 : Number(m[1]);
}
