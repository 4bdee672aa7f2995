// The hand-over of a retrieval model (two-tower, matrix factorisation) to another target. Takes the
// model as constructed, its block, the data set and the batch order writeModel drew; gives the
// manifest entry: each user's row of the user table (u + 1, or 0 for the out-of-vocabulary row),
// each side feature's rows (users) or value lists with the weights of their mean (items), the item
// probabilities logQ and popularity sampling read, the per-example weights by target item
// (inverse frequency, rescaled to mean 1 as the TypeScript model rescales them), and the negatives
// of every update (BPR's per-pair draws, a sampled softmax's shared uniform or popularity draws),
// drawn as the TypeScript trainer draws them (rng fork `step/<s>/0` → `negatives`), and under
// `idw(...)` every reweighting's uniforms and normals (weighting/idw-draws.ts) with the later
// phases' batches and tail validation users (idw-phases.ts). Everything is
// computed by the runtime's own classes; the other target draws and counts nothing itself.
import type { Example } from "../data/split.js";
import { ItemFeatureLists, UserFeatureRows, type ItemFeatureName, type UserFeatureName } from "../features/side-features.js";
import { ItemDistribution, uniformItems } from "../models/sampled-softmax.js";
import { UserRows, uniformNegatives } from "../models/user-ids.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { Rng } from "../random.js";
import { ExampleWeights } from "../weighting/example-weights.js";
import { idwDraws } from "../weighting/idw-draws.js";
import { inverseFrequencyWeights } from "../weighting/inverse-frequency.js";
import type { IR, IRBlock } from "../../ir/index.js";
import { typed } from "../../ir/narrow.js";
import * as tf from "@tensorflow/tfjs-core";
import { writeIdwPhases, type PreparedIdwPhases } from "./idw-phases.js";
import type { NpyArray } from "./npy.js";
import type { BatchOrder } from "./ranking.js";
import type { ArrayFile } from "./write-prepared.js";

/** What a retrieval model shows of itself (the generated class's public fields). */
export interface RetrievalModelParts {
  readonly numItems: number;
  readonly trainingExamples: readonly Example[];
  readonly historyLength: number;
  /** The item tower's vectors (two-tower models; IDW reads their width). */
  itemVectors?(ids: tf.Tensor1D): tf.Tensor2D;
}

export interface PreparedTwoTower {
  /** int32 [U]: each user index's row of the user table (0: the shared out-of-vocabulary row); id-based user towers and MF. */
  readonly userRows?: ArrayFile;
  /** The user table's rows (U + 1). */
  readonly userTableRows?: number;
  /** Per user feature: int32 rows [U] of its table (0: no value) and the table's rows. */
  readonly userFeatures: Record<string, { readonly rows: ArrayFile; readonly tableRows: number }>;
  /** Per item feature: int32 value rows [N + 1, W] (0 padding), float32 weights of their mean [N + 1, W], the table's rows. */
  readonly itemFeatures: Record<string, { readonly rows: ArrayFile; readonly weights: ArrayFile; readonly tableRows: number }>;
  /** float64 [N + 1]: each item's share of the training targets (logQ, popularity negatives). */
  readonly itemProbabilities?: ArrayFile;
  /** float32 [N + 1]: the loss weight of an example by its target item, mean 1 over the training examples. */
  readonly itemWeights?: ArrayFile;
  /** Update s's negatives are values[offsets[s − 1] .. offsets[s]): BPR [B · k] per pair, a sampled softmax [k] shared by the batch. */
  readonly negatives?: { readonly values: ArrayFile; readonly offsets: ArrayFile };
  /** `weighting = idw(...)`: every reweighting's seeded draws (weighting/idw-draws.ts) and the seed they come from. */
  readonly idw?: PreparedIdwPhases & { readonly seed: number; readonly uniforms: ArrayFile; readonly normals: ArrayFile };
}

type ArrayWriter = (file: string, data: NpyArray, shape: number[]) => ArrayFile;

export function isRetrievalModel(block: IRBlock): boolean {
  return block.kind === "model" && (block.type === "two_tower" || block.type === "matrix_factorization");
}

export function writeTwoTower(
  array: ArrayWriter,
  ir: IR,
  name: string,
  model: RetrievalModelParts,
  block: IRBlock,
  data: PreparedData,
  batches: BatchOrder,
): PreparedTwoTower {
  const t = typed(block);
  const n = model.numItems + 1;
  const examples = model.trainingExamples;
  const users = Int32Array.from({ length: data.store.numUsers }, (_, u) => u);
  let out: PreparedTwoTower = { userFeatures: {}, itemFeatures: {} };
  const userRows = () => {
    const rows = new UserRows(data.trainTargets, data.store.numUsers);
    return { userRows: array(`${name}/user_rows.npy`, rows.of(users), [users.length]), userTableRows: rows.size };
  };
  let draw: ((targets: Int32Array, rng: Rng) => Int32Array) | null = null;

  if (t.kind === "model" && t.type === "matrix_factorization") {
    out = { ...out, ...userRows() };
    const loss = t.attributes.loss;
    if (loss.type === "bpr") draw = (targets, rng) => uniformNegatives(targets, loss.negatives, model.numItems, rng);
  } else if (t.kind === "model" && t.type === "two_tower") {
    const a = t.attributes;
    const source = (tower: string, file: string) => ({ tower, dataset: data.name, file });
    const userTower = typed(ir.blocks.find((b) => b.name === a.user.ref)!);
    const itemTower = typed(ir.blocks.find((b) => b.name === a.item.ref)!);
    if (userTower.type === "user_tower") {
      out = { ...out, ...userRows() };
      for (const feature of userTower.attributes.features) {
        const rows = new UserFeatureRows(data.store, feature as UserFeatureName, source(userTower.name, "u.user"));
        out.userFeatures[feature] = { rows: array(`${name}/user_${feature}_rows.npy`, rows.of(users), [users.length]), tableRows: rows.size };
      }
    }
    if (itemTower.type === "item_tower") {
      for (const feature of itemTower.attributes.features) {
        const lists = new ItemFeatureLists(data.store, feature as ItemFeatureName, source(itemTower.name, "item attributes"));
        const { rows, weights } = lists.of(tf.range(0, n, 1, "int32") as tf.Tensor1D);
        out.itemFeatures[feature] = {
          rows: array(`${name}/item_${feature}_rows.npy`, rows.dataSync() as Int32Array, [n, lists.width]),
          weights: array(`${name}/item_${feature}_weights.npy`, weights.dataSync() as Float32Array, [n, lists.width]),
          tableRows: lists.size,
        };
        tf.dispose([rows, weights]);
      }
    }
    const counts = new Int32Array(n);
    for (const e of examples) counts[e.target]++;
    const distribution = new ItemDistribution(counts);
    out = { ...out, itemProbabilities: array(`${name}/item_probabilities.npy`, distribution.p, [n]) };
    if (a.weighting.type === "inverse_frequency") {
      // The generated model's own rescaling (ExampleWeights), so both targets weigh each example alike.
      const weights = new ExampleWeights(examples, model.numItems);
      weights.set(inverseFrequencyWeights(counts));
      out = { ...out, itemWeights: array(`${name}/item_weights.npy`, weights.byItem!, [n]) };
    }
    if (a.weighting.type === "idw") {
      // Iteration k's draws; the item vectors they perturb exist only once the model has trained.
      const { iterations, sample } = a.weighting;
      if (model.itemVectors === undefined) throw new Error(`internal: two-tower ${name} shows no item vectors`);
      const probe = tf.tensor1d([1], "int32");
      const vectors = model.itemVectors(probe);
      const dim = vectors.shape[1];
      tf.dispose([probe, vectors]);
      const draws = idwDraws(batches.seed, iterations, sample, dim);
      out = {
        ...out,
        idw: {
          ...writeIdwPhases(array, name, examples, model.historyLength, t.train!, a.weighting, data),
          seed: batches.seed,
          uniforms: array(`${name}/idw_uniforms.npy`, draws.uniforms, [iterations, sample]),
          normals: array(`${name}/idw_normals.npy`, draws.normals, [iterations, sample, dim]),
        },
      };
    }
    const loss = a.loss;
    if (loss.type === "sampled_softmax" && loss.negatives !== "in_batch") {
      draw =
        loss.negatives === "uniform"
          ? (_targets, rng) => uniformItems(loss.count, model.numItems, rng)
          : (_targets, rng) => distribution.sample(loss.count, rng);
    }
  }

  if (draw !== null) {
    // Update s (1-based, over the epochs' batches in order) draws from Rng(seed).fork(`step/s/0`).fork("negatives").
    const steps = batches.epochs * batches.perEpoch;
    const drawn: Int32Array[] = [];
    const offsets = new Int32Array(steps + 1);
    const root = new Rng(batches.seed);
    for (let e = 0; e < batches.epochs; e++) {
      for (let b = 0; b < batches.perEpoch; b++) {
        const cut = e * (batches.perEpoch + 1) + b;
        const rows = batches.order.subarray(e * examples.length + batches.offsets[cut], e * examples.length + batches.offsets[cut + 1]);
        const targets = Int32Array.from(rows, (i) => examples[i].target);
        const s = e * batches.perEpoch + b + 1;
        drawn.push(draw(targets, root.fork(`step/${s}/0`).fork("negatives")));
        offsets[s] = offsets[s - 1] + drawn.at(-1)!.length;
      }
    }
    const values = new Int32Array(offsets[steps]);
    drawn.forEach((d, s) => values.set(d, offsets[s]));
    out = {
      ...out,
      negatives: { values: array(`${name}/negatives.npy`, values, [values.length]), offsets: array(`${name}/negative_offsets.npy`, offsets, [steps + 1]) },
    };
  }
  return out;
}
