// The program stage for a two_tower model whose `weighting` is `idw(...)` (PAPERS.md §1): the
// generated train.ts calls it (through trainWeightedBlock) instead of one trainModel. Takes the run,
// the built model, the prepared data, its `train { … }` settings and the `idw(...)` settings as
// constants; trains in phases, each a trainModel call in its own folder
// <run>/<model>/phases/<phase>/ (checkpoints never collide, and each phase's loop can resume):
//   initial   — train to early stopping on validation loss (≤ the train block's epochs);
//   idw-k     — after reweighting k (weighting/idw.ts), continue training the same model with the
//               same optimizer (its state carries over) for ≤ idw.epochs epochs, early stopping on
//               validation tail hit-rate, keeping the best epoch;
//   calibrate — with `calibrate: user_tower`, weighting/calibrate.ts (item tower frozen, lr/10).
// Validation: HR@K with K from the block's ranking early_stop metric (else 10), over a seeded subset
// of ≤ 2000 validation users ("all") and of ≤ 2000 whose target is a tail item ("tail": outside the
// top 20% of items by training count, as the evaluation's popularity(head: 0.2) slice).
// <run>/<model>/metrics.jsonl (what the report reads) is rebuilt after every phase from the phases'
// logs, steps and epochs offset to run on across phases, plus one entry per IDW iteration:
// idw_max_delta_w, idw_val_hr@K and idw_val_hr@K_tail (iteration 0: after the initial phase).
// It returns a TrainModelResult over all phases (for trainBlock's summary) with the phases and
// the IDW iterations besides.
// The final weights go to <run>/<model>/model as trainBlock's do. With run.resume, finished
// phases are skipped (their weights, optimizer state and IDW weights come back from disk) and the
// interrupted phase continues from its last checkpoint.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { popularitySlices } from "../eval/slices.js";
import { rankingMetric } from "../pipeline/evaluate-model.js";
import { loadModel, modelDir, saveModel } from "../pipeline/model-weights.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { TrainAttributes } from "../../ir/index.js";
import { noValidationError } from "../data/split-coverage.js";
import { optimizerConfig, trainModel, validationSubset, type TrainModelOptions, type TrainModelResult } from "../pipeline/train-model.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { latestCheckpoint, loadCheckpoint } from "../train/checkpoint.js";
import { METRICS_FILE, readMetrics, type MetricEntry } from "../train/metrics-log.js";
import { createOptimizer } from "../train/optimizers.js";
import { calibrateUserTower } from "../weighting/calibrate.js";
import { initialItemWeights, iterativeDensityWeighting, type IdwSettings } from "../weighting/idw.js";
import type { WeightedModel } from "../weighting/weighted-model.js";
import type { Run } from "./run.js";

/** `idw(...)` as the generated program gives it: the reweighting and whether the user tower is calibrated after. */
export interface IdwTraining extends IdwSettings {
  calibrateUserTower: boolean;
}

/** One IDW iteration as logged (iteration 0: the model after the initial phase). */
export interface IdwIterationLog {
  iteration: number;
  /** NaN for iteration 0. */
  maxDelta: number;
  kdeSeconds: number;
  trained: boolean;
  /** Validation HR@K over all / tail validation users after this iteration's training. */
  hrAll: number;
  hrTail: number;
}

export interface WeightedTrainingResult extends TrainModelResult {
  /** Phases in order, with their own summaries. */
  phases: { name: string; result: TrainModelResult }[];
  /** The IDW iterations. */
  idw: { metric: string; iterations: IdwIterationLog[]; converged: boolean; initialWeights: Float64Array; weights: Float64Array };
}

interface PhaseRecord {
  name: string;
  result: TrainModelResult;
  /** The IDW weights w the phase trained with (null before the first reweighting). */
  weights: number[] | null;
}

interface IdwState {
  version: 1;
  phases: PhaseRecord[];
  iterations: IdwIterationLog[];
  converged: boolean;
}

const STATE_FILE = "idw-state.json";
const VALIDATION_USERS = 2000;
const HEAD_FRACTION = 0.2;

/** Trains a two-tower model by IDW phases (then calibrates its user tower when `idw` says so). */
export async function trainWithIdw(
  run: Run,
  model: WeightedModel,
  data: PreparedData,
  spec: TrainAttributes,
  idw: IdwTraining,
): Promise<WeightedTrainingResult> {
  const blockDir = join(run.dir, model.name);
  const started = performance.now();
  const common: TrainModelOptions = { runDir: blockDir, log: run.log, progressStream: run.progress, interruptible: true };

  const phasesDir = join(blockDir, "phases");
  const statePath = join(blockDir, STATE_FILE);
  const state: IdwState =
    run.resume && existsSync(statePath)
      ? (JSON.parse(readFileSync(statePath, "utf8")) as IdwState)
      : { version: 1, phases: [], iterations: [], converged: false };
  if (run.resume && state.phases.length > 0) run.log(`${model.name}: resuming IDW after phase ${state.phases.at(-1)!.name}`);

  if (data.split.validation.length === 0) throw noValidationError(model.name, data.name, data.coverage, "idw");
  const hrName = `hr@${spec.early_stop !== null && spec.early_stop.k !== null ? spec.early_stop.k : 10}`;
  const allUsers = validationSubset(data.split.validation, VALIDATION_USERS, spec.seed);
  const tailMask = popularitySlices(data.trainCounts, { headFraction: HEAD_FRACTION }).masks.tail;
  const tailUsers = validationSubset(
    data.split.validation.filter((e) => tailMask[e.target] === 1),
    VALIDATION_USERS,
    spec.seed,
  );
  if (tailUsers.length === 0) throw new Error(`model ${model.name}: IDW stops on validation tail hit-rate, but no validation target is a tail item`);
  run.log(`${model.name}: IDW validation on ${allUsers.length} users (${tailUsers.length} with a tail target), ${hrName}`);
  const hitRate = async () => ({ all: await rankingMetric(model, allUsers, hrName), tail: await rankingMetric(model, tailUsers, hrName) });

  const optimizer = createOptimizer(optimizerConfig(spec.optimizer));
  // A finished phase found on resume: its weights and optimizer state are loaded lazily, just
  // before the next phase that actually trains.
  let pendingRestore: string | null = null;
  let currentWeights: Float64Array | null = null;
  let finalWeights: Float64Array | null = null;
  const phaseDir = (name: string) => join(phasesDir, name);

  const saveState = () => {
    writeFileAtomic(statePath, `${JSON.stringify(state)}\n`);
    writeFileAtomic(join(blockDir, METRICS_FILE), mergedMetrics(state, phaseDir, hrName));
  };
  const restorePending = async (): Promise<void> => {
    if (pendingRestore === null) return;
    loadModel(model, modelDir(phaseDir(pendingRestore)));
    const checkpoint = latestCheckpoint(phaseDir(pendingRestore));
    if (checkpoint !== null) {
      const saved = loadCheckpoint(checkpoint);
      try {
        const slots = saved.groups?.optimizer;
        if (slots !== undefined) await optimizer.loadState(slots);
      } finally {
        tf.dispose([...saved.weights.values(), ...Object.values(saved.groups ?? {}).flatMap((g) => [...g.values()])]);
      }
    }
    pendingRestore = null;
  };
  const runPhase = async (name: string, train: () => Promise<TrainModelResult>): Promise<TrainModelResult> => {
    const done = state.phases.find((p) => p.name === name);
    if (done !== undefined) {
      pendingRestore = name;
      return done.result;
    }
    await restorePending();
    const result = await train();
    state.phases.push({ name, result, weights: currentWeights === null ? null : Array.from(currentWeights) });
    saveState();
    run.log(`${model.name}: phase ${name}: ${result.epochs} epochs, ${result.steps} steps in ${result.seconds.toFixed(1)} s`);
    return result;
  };
  const phaseOptions = (name: string): TrainModelOptions => ({
    ...common,
    runDir: phaseDir(name),
    resume: run.resume && latestCheckpoint(phaseDir(name)) !== null,
    optimizer,
  });
  // Each phase reshuffles differently (phase 0 keeps the block's seed).
  const phaseSpec = (index: number, overrides: Partial<TrainAttributes> = {}): TrainAttributes => ({ ...spec, seed: spec.seed + 7919 * index, ...overrides });

  try {
    // Phase 0: natural weights, early stopping on validation loss.
    const initialSpec = phaseSpec(0, { early_stop: { metric: "loss", k: null } });
    await runPhase("initial", () => trainModel(model, data, initialSpec, phaseOptions("initial")));
    if (!state.iterations.some((i) => i.iteration === 0)) {
      await restorePending();
      const hr = await hitRate();
      state.iterations.push({ iteration: 0, maxDelta: NaN, kdeSeconds: 0, trained: true, hrAll: hr.all, hrTail: hr.tail });
      saveState();
      run.log(`${model.name}: IDW iteration 0: validation ${hrName} all ${hr.all.toFixed(4)}, tail ${hr.tail.toFixed(4)}`);
    }

    const settings: IdwSettings = idw;
    const lastDone = [...state.phases].reverse().find((p) => p.name.startsWith("idw-") && p.weights !== null);
    const resumeFrom = lastDone === undefined ? undefined : { iteration: Number(lastDone.name.slice(4)), weights: Float64Array.from(lastDone.weights!) };
    if (!state.converged) {
      // A resumed run reweights from the restored model, so its weights must be loaded first.
      await restorePending();
      const result = await iterativeDensityWeighting(
        model,
        settings,
        {
          train: async (iteration, perExample, weights) => {
            currentWeights = weights;
            model.setItemWeights(perExample);
            const idwSpec = phaseSpec(iteration, { epochs: settings.epochs, steps: null });
            await runPhase(`idw-${iteration}`, () =>
              trainModel(model, data, idwSpec, {
                ...phaseOptions(`idw-${iteration}`),
                validation: { name: `val_${hrName}_tail`, mode: "max", evaluate: async () => rankingMetric(model, tailUsers, hrName) },
              }),
            );
          },
          onIteration: async (info) => {
            const hr = await hitRate();
            state.iterations.push({
              iteration: info.iteration,
              maxDelta: info.maxDelta,
              kdeSeconds: info.kdeSeconds,
              trained: info.trained,
              hrAll: hr.all,
              hrTail: hr.tail,
            });
            saveState();
            run.log(
              `${model.name}: IDW iteration ${info.iteration}: max|Δw| ${info.maxDelta.toExponential(2)}` +
                `${info.trained ? "" : ` < ${settings.tolerance} (converged)`}, KDE ${info.kdeSeconds.toFixed(1)} s, ` +
                `validation ${hrName} all ${hr.all.toFixed(4)}, tail ${hr.tail.toFixed(4)}`,
            );
          },
        },
        spec.seed,
        resumeFrom,
      );
      state.converged = result.converged;
      finalWeights = result.weights;
      saveState();
    }

    if (finalWeights === null) {
      const trained = [...state.phases].reverse().find((p) => p.weights !== null);
      if (trained !== undefined) finalWeights = Float64Array.from(trained.weights!);
    }
    if (idw.calibrateUserTower) {
      const calibrationIndex = settings.iterations + 1;
      await runPhase("calibrate", () => calibrateUserTower(model, data, phaseSpec(calibrationIndex), phaseOptions("calibrate")));
    }
    await restorePending();
  } finally {
    optimizer.dispose();
  }

  await saveModel(model, modelDir(blockDir));
  const phases = state.phases.map((p) => ({ name: p.name, result: p.result }));
  const last = phases.at(-1)!.result;
  const seconds = (performance.now() - started) / 1000;
  const steps = phases.reduce((s, p) => s + p.result.steps, 0);
  const trainingSeconds = phases.reduce((s, p) => s + p.result.seconds, 0);
  return {
    steps,
    epochs: phases.reduce((s, p) => s + p.result.epochs, 0),
    ...(last.bestValidation !== undefined ? { bestValidation: last.bestValidation } : {}),
    stoppedEarly: last.stoppedEarly,
    seconds,
    stepsPerSecond: trainingSeconds > 0 ? steps / trainingSeconds : 0,
    microBatches: phases[0].result.microBatches,
    resumedFrom: phases.find((p) => p.result.resumedFrom !== null)?.result.resumedFrom ?? null,
    phases,
    idw: {
      metric: hrName,
      iterations: state.iterations,
      converged: state.converged,
      initialWeights: initialItemWeights(model.targetCounts),
      weights: finalWeights ?? initialItemWeights(model.targetCounts),
    },
  };
}

/**
 * The block's metrics.jsonl: every finished phase's log with steps and epochs offset by the phases
 * before it, and the IDW iterations at the step where each one's training ended.
 */
function mergedMetrics(state: IdwState, phaseDir: (name: string) => string, hrName: string): string {
  const out: Omit<MetricEntry, "time">[] = [];
  let stepOffset = 0;
  let epochOffset = 0;
  const endOf = new Map<string, { step: number; epoch: number }>();
  for (const phase of state.phases) {
    for (const e of readMetrics(join(phaseDir(phase.name), METRICS_FILE))) {
      out.push({ ...e, step: e.step + stepOffset, epoch: e.epoch + epochOffset });
    }
    stepOffset += phase.result.steps;
    epochOffset += phase.result.epochs;
    endOf.set(phase.name, { step: stepOffset, epoch: Math.max(0, epochOffset - 1) });
  }
  for (const it of state.iterations) {
    // Iteration k is measured after phase idw-k (iteration 0 after the initial phase; a converged
    // iteration, which did not train, where the last phase ended).
    const at = endOf.get(it.iteration === 0 ? "initial" : `idw-${it.iteration}`) ?? { step: stepOffset, epoch: Math.max(0, epochOffset - 1) };
    const time = Date.now();
    if (it.iteration > 0) out.push({ step: at.step, epoch: at.epoch, split: "val", name: "idw_max_delta_w", value: it.maxDelta, time } as MetricEntry);
    out.push({ step: at.step, epoch: at.epoch, split: "val", name: `idw_val_${hrName}`, value: it.hrAll, time } as MetricEntry);
    out.push({ step: at.step, epoch: at.epoch, split: "val", name: `idw_val_${hrName}_tail`, value: it.hrTail, time } as MetricEntry);
  }
  return out.map((e) => `${JSON.stringify(e)}\n`).join("");
}
