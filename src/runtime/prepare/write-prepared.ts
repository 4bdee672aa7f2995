// The hand-over of everything seeded to another target (`recspec prepare`). Takes the data sets a
// generated program loaded, its models as constructed (initial weights) and the IR; writes, under
// one folder, the splits as padded histories and CSR full histories, id maps, training counts,
// cold-start masks, each model's batches for every epoch (the length-bucketed seeded order the
// TypeScript trainer uses), its early-stopping validation subset and initial weights, and each
// evaluation's slice masks and sampled candidates — as .npy files — plus manifest.json naming them.
// The Python side reads these and re-implements nothing seeded.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { padHistory } from "../data/batching.js";
import type { Example } from "../data/split.js";
import { protocolText } from "../eval/protocol.js";
import { sampleCandidates } from "../eval/sample-candidates.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { RecModel } from "../models/rec-model.js";
import { buildSlices, splitName } from "../pipeline/evaluate-model.js";
import { weighByShare } from "../pipeline/batch-weights.js";
import { bucketedBatches } from "../pipeline/length-buckets.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { validationSubset } from "../pipeline/train-model.js";
import { Rng } from "../random.js";
import type { IR, IRBlock, TrainAttributes } from "../../ir/index.js";
import { typed } from "../../ir/narrow.js";
import { encodeNpy, type NpyArray } from "./npy.js";
import { isSemanticIdModel, writeSemanticIds, type PreparedSemanticIds } from "./semantic-ids.js";
import { isRankingModel, writeRanking, type PreparedRanking, type RankingModelParts } from "./ranking.js";
import { writeBaselineLists } from "./baselines.js";
import { isRetrievalModel, writeTwoTower, type PreparedTwoTower, type RetrievalModelParts } from "./two-tower.js";
import { writeSequential, type PreparedSequential } from "./sequential.js";
import type { ItemFeatures } from "../features/item-features.js";

/** The format's version: bump it when a file changes meaning. */
export const PREPARED_VERSION = 1;
export const PREPARED_MANIFEST = "manifest.json";

/** An array file: its path relative to the folder, dtype and shape. */
export interface ArrayFile {
  readonly file: string;
  readonly dtype: "int32" | "float32" | "float64" | "uint8";
  readonly shape: number[];
}

export interface PreparedSplit {
  readonly count: number;
  /** [n, T] the last T items of each history, left-padded with 0. */
  readonly histories: ArrayFile;
  readonly targets: ArrayFile;
  readonly users: ArrayFile;
  /** Full histories in CSR form (for history exclusion): items[offsets[i] .. offsets[i+1]). */
  readonly historyOffsets: ArrayFile;
  readonly historyItems: ArrayFile;
}

export interface PreparedDataset {
  readonly numUsers: number;
  /** Real items 1..numItems; 0 is padding. */
  readonly numItems: number;
  readonly history: number;
  readonly splits: { train: PreparedSplit; validation: PreparedSplit; test: PreparedSplit };
  readonly trainCounts: ArrayFile;
  readonly coldMask: ArrayFile;
  /** JSON lists: index → raw id as in the data files. */
  readonly itemIds: string;
  readonly userIds: string;
}

export interface PreparedModel {
  readonly type: string;
  readonly dataset: string;
  /** The split whose examples an epoch iterates. */
  readonly examples: "train";
  readonly historyLength: number;
  readonly train: TrainAttributes;
  readonly stepsPerEpoch: number;
  /** The model's loss weight (target positions) per batch, averaged over an epoch: train.py's denominator for models that weigh batches by their targets. */
  readonly meanLossWeight: number;
  /** [E, n]: epoch e's examples in batch order; batch b is order[e, offsets[e, b] .. offsets[e, b+1]). */
  readonly batchOrder: ArrayFile;
  readonly batchOffsets: ArrayFile;
  /** Indices into the validation split that early stopping ranks (a seeded subset). */
  readonly validationSubset: ArrayFile;
  /** Every initial weight by its TypeScript name (`encoder/layer0/ffn/in/kernel`, kernels [in, out]). */
  readonly init: Record<string, ArrayFile>;
  /** Generative models: the examples the batches index (every prefix of every training history) and the Semantic IDs. */
  readonly generative?: PreparedSemanticIds & { readonly examples: PreparedSplit };
  /** Ranking models: the examples the batches index, the item inputs and every update's negatives. */
  readonly ranking?: PreparedRanking & { readonly examples: PreparedSplit };
  /** Two-tower and matrix-factorisation models: their examples, user and feature rows, item probabilities and weights, negatives. */
  readonly twoTower?: PreparedTwoTower & { readonly examples: PreparedSplit };
  /** Sequential models with a uniform sampled softmax: every update's negatives. */
  readonly sequential?: PreparedSequential;
}

export interface PreparedEvaluation {
  readonly model: string;
  readonly dataset: string;
  readonly split: "train" | "validation" | "test";
  readonly sliceNames: string[];
  /** [S, n] 0/1: example i belongs to slice s. */
  readonly slices: ArrayFile;
  /** Sampled protocols only: [n, 1 + negatives], the target first. */
  readonly candidates: ArrayFile | null;
  /** The seed of the bootstrap resamples (the TypeScript evaluation's). */
  readonly seed: number;
  /** The protocol in words and the split method, as the TypeScript evaluation writes them in results.json. */
  readonly protocol: string;
  readonly splitType: string;
  /** Item-kNN baselines of a full-catalogue evaluation: [n, k] top-k lists, by the baseline's position in the block's list. */
  readonly baselineLists?: Record<string, ArrayFile>;
}

export interface PreparedManifest {
  readonly format: "recspec-prepared";
  readonly version: number;
  readonly spec: string;
  readonly source: string;
  readonly datasets: Record<string, PreparedDataset>;
  readonly models: Record<string, PreparedModel>;
  readonly evaluations: PreparedEvaluation[];
}

export interface PrepareInput {
  readonly ir: IR;
  readonly datasets: ReadonlyMap<string, PreparedData>;
  readonly models: ReadonlyMap<string, RecModel>;
  /** Content vectors a dense ranking model reads, by model name. */
  readonly rankingFeatures?: ReadonlyMap<string, ItemFeatures>;
}

/** Writes the folder and its manifest (last, so a folder with a manifest is complete). */
export function writePrepared(dir: string, input: PrepareInput): PreparedManifest {
  mkdirSync(dir, { recursive: true });
  const array = (file: string, data: NpyArray, shape: number[]): ArrayFile => {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileAtomic(join(dir, file), encodeNpy(data, shape));
    return { file, dtype: dtypeOf(data), shape };
  };

  const datasets: Record<string, PreparedDataset> = {};
  for (const [name, data] of input.datasets) {
    const split = (s: "train" | "validation" | "test") => writeSplit(array, `${name}/${s}`, data.split[s], data.history);
    mkdirSync(join(dir, name), { recursive: true });
    writeFileAtomic(join(dir, name, "item_ids.json"), `${JSON.stringify(data.store.itemIds)}\n`);
    writeFileAtomic(join(dir, name, "user_ids.json"), `${JSON.stringify(data.store.userIds)}\n`);
    datasets[name] = {
      numUsers: data.store.numUsers,
      numItems: data.numItems,
      history: data.history,
      splits: { train: split("train"), validation: split("validation"), test: split("test") },
      trainCounts: array(`${name}/train_counts.npy`, data.trainCounts, [data.trainCounts.length]),
      coldMask: array(`${name}/cold_mask.npy`, data.coldMask, [data.coldMask.length]),
      itemIds: `${name}/item_ids.json`,
      userIds: `${name}/user_ids.json`,
    };
  }

  const models: Record<string, PreparedModel> = {};
  for (const [name, model] of input.models) {
    const block = input.ir.blocks.find((b) => b.name === name);
    const data = block === undefined ? undefined : input.datasets.get(block.dataset);
    if (block === undefined || block.train === null || data === undefined) throw new Error(`internal: model ${name} has no block, train settings or data set`);
    models[name] = writeModel(array, name, model, block, data, input.rankingFeatures?.get(name), input.ir);
  }

  const evaluations = input.ir.evaluations.map((evaluation, i): PreparedEvaluation => {
    const data = input.datasets.get(evaluation.dataset);
    if (data === undefined) throw new Error(`internal: evaluation of ${evaluation.model} names no loaded data set ${evaluation.dataset}`);
    const split = splitName(evaluation.split);
    const examples = data.split[split];
    const targets = Int32Array.from(examples, (e) => e.target);
    const slices = buildSlices(evaluation.slices, targets, data);
    const masks = new Uint8Array(slices.names.length * examples.length);
    slices.names.forEach((s, k) => masks.set(slices.masks[s], k * examples.length));
    let candidates: ArrayFile | null = null;
    if (evaluation.candidates.type === "sampled") {
      // Seeded as evaluateModel seeds them (seed 0, stream "eval/candidates").
      const { negatives, sampling } = evaluation.candidates;
      const drawn = sampleCandidates(examples, data, negatives, sampling, evaluation.exclude_history, new Rng(0).fork("eval/candidates"));
      const flat = new Int32Array(examples.length * (negatives + 1));
      drawn.forEach((c, u) => flat.set(c, u * (negatives + 1)));
      candidates = array(`evaluations/${i}/candidates.npy`, flat, [examples.length, negatives + 1]);
    }
    return {
      model: evaluation.model,
      dataset: evaluation.dataset,
      split,
      sliceNames: slices.names,
      slices: array(`evaluations/${i}/slices.npy`, masks, [slices.names.length, examples.length]),
      candidates,
      seed: 0,
      protocol: protocolText(evaluation, { numItems: data.numItems, splitType: data.splitType }),
      splitType: data.splitType,
      baselineLists: writeBaselineLists(array, i, evaluation, data, examples),
    };
  });

  const manifest: PreparedManifest = {
    format: "recspec-prepared",
    version: PREPARED_VERSION,
    spec: input.ir.spec,
    source: input.ir.source,
    datasets,
    models,
    evaluations,
  };
  writeFileAtomic(join(dir, PREPARED_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

type ArrayWriter = (file: string, data: NpyArray, shape: number[]) => ArrayFile;

function writeSplit(array: ArrayWriter, prefix: string, examples: readonly Example[], history: number): PreparedSplit {
  const n = examples.length;
  const padded = new Int32Array(n * history);
  const offsets = new Int32Array(n + 1);
  examples.forEach((e, i) => {
    padHistory(e.history, history, padded, i * history);
    offsets[i + 1] = offsets[i] + e.history.length;
  });
  const items = new Int32Array(offsets[n]);
  examples.forEach((e, i) => items.set(e.history, offsets[i]));
  return {
    count: n,
    histories: array(`${prefix}_histories.npy`, padded, [n, history]),
    targets: array(
      `${prefix}_targets.npy`,
      Int32Array.from(examples, (e) => e.target),
      [n],
    ),
    users: array(
      `${prefix}_users.npy`,
      Int32Array.from(examples, (e) => e.user),
      [n],
    ),
    historyOffsets: array(`${prefix}_history_offsets.npy`, offsets, [n + 1]),
    historyItems: array(`${prefix}_history_items.npy`, items, [items.length]),
  };
}

function writeModel(
  array: ArrayWriter,
  name: string,
  model: RecModel,
  block: IRBlock,
  data: PreparedData,
  features: ItemFeatures | undefined,
  ir: IR,
): PreparedModel {
  const train = typed(block).train;
  if (train === null) throw new Error(`internal: model ${name} has no train settings`);
  const examples = model.trainingExamples;
  if (examples !== data.split.train && !isSemanticIdModel(model) && !isRankingModel(block) && !isRetrievalModel(block)) {
    throw new Error(`internal: ${name} trains on examples other than ${data.name}'s training split; prepare hands over split-trained models only`);
  }
  // The example's index rides in `user`, so the trainer's own batching function gives indices.
  const indexed = examples.map((e, i) => ({ ...e, user: i }));
  const options = { batchSize: train.batch, length: model.historyLength, seed: train.seed };
  const perEpoch = Math.ceil(examples.length / train.batch);
  const epochs = train.epochs ?? Math.ceil((train.steps ?? 0) / perEpoch);
  const order = new Int32Array(epochs * examples.length);
  const offsets = new Int32Array(epochs * (perEpoch + 1));
  for (let epoch = 0; epoch < epochs; epoch++) {
    let at = 0;
    let b = 0;
    for (const batch of bucketedBatches(indexed, options, epoch)) {
      order.set(batch.users, epoch * examples.length + at);
      at += batch.size;
      offsets[epoch * (perEpoch + 1) + ++b] = at;
    }
    if (b !== perEpoch) throw new Error(`internal: epoch ${epoch} of ${name} has ${b} batches, expected ${perEpoch}`);
  }
  const validation = data.split.validation.map((e, i) => ({ ...e, user: i }));
  const subset = Int32Array.from(validationSubset(validation, 2000, train.seed), (e) => e.user);
  const init: Record<string, ArrayFile> = {};
  for (const [weight, variable] of model.params.variables()) {
    init[weight] = array(`${name}/init/${weight.replaceAll("/", ".")}.npy`, variable.dataSync() as Float32Array, [...variable.shape]);
  }
  return {
    type: block.type,
    dataset: data.name,
    examples: "train",
    historyLength: model.historyLength,
    train,
    stepsPerEpoch: perEpoch,
    // The same mean trainModel weighs batches by (pipeline/batch-weights.ts); 0 when there is none.
    meanLossWeight: weighByShare(bucketedBatches(indexed, options, 0), (b) => model.lossWeight(b))?.mean ?? 0,
    batchOrder: array(`${name}/batch_order.npy`, order, [epochs, examples.length]),
    batchOffsets: array(`${name}/batch_offsets.npy`, offsets, [epochs, perEpoch + 1]),
    validationSubset: array(`${name}/validation_subset.npy`, subset, [subset.length]),
    init,
    ...(isRankingModel(block)
      ? {
          ranking: {
            ...writeRanking(array, name, model as unknown as RankingModelParts, block, data, { order, offsets, epochs, perEpoch, seed: train.seed }, features),
            examples: writeSplit(array, `${name}/examples`, examples, data.history),
          },
        }
      : {}),
    ...(isRetrievalModel(block)
      ? {
          twoTower: {
            ...writeTwoTower(array, ir, name, model as unknown as RetrievalModelParts, block, data, { order, offsets, epochs, perEpoch, seed: train.seed }),
            examples: writeSplit(array, `${name}/examples`, examples, data.history),
          },
        }
      : {}),
    ...writeSequential(array, name, block, model.numItems, { order, offsets, epochs, perEpoch, seed: train.seed }),
    ...(isSemanticIdModel(model)
      ? { generative: { ...writeSemanticIds(array, name, model, data), examples: writeSplit(array, `${name}/examples`, examples, data.history) } }
      : {}),
  };
}

function dtypeOf(data: NpyArray): ArrayFile["dtype"] {
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  return "uint8";
}
