// The phases of an IDW-weighted two-tower model (program/stages-idw.ts), as another target needs
// them handed over. Takes the model's training examples, history length, train settings, its
// `idw(...)` settings and the data; gives, per phase after the initial one (which trains on the
// block's own batches), its name, seed, epoch cap and batch order for every epoch, and the tail
// validation subset the IDW phases stop on. Seeds and subsets are derived as stages-idw.ts derives
// them: phase k reshuffles with seed + 7919·k; calibration is phase iterations + 1 and trains for
// the block's epochs (10 when it counts steps); the tail users are a seeded subset of ≤ 2000
// validation examples whose target lies outside the top 20% of items by training count.
import type { Example } from "../data/split.js";
import { popularitySlices } from "../eval/slices.js";
import { bucketedBatches } from "../pipeline/length-buckets.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { validationSubset } from "../pipeline/train-model.js";
import type { IdwWeighting } from "../../ir/attributes.generated.js";
import type { TrainAttributes } from "../../ir/index.js";
import type { NpyArray } from "./npy.js";
import type { ArrayFile } from "./write-prepared.js";

/** stages-idw.ts's reshuffle stride between phases. */
const PHASE_SEED_STRIDE = 7919;
const VALIDATION_USERS = 2000;
const HEAD_FRACTION = 0.2;

export interface PreparedIdwPhase {
  /** `idw-<k>` or `calibrate`. */
  readonly name: string;
  readonly seed: number;
  /** At most this many epochs (early stopping may cut them). */
  readonly epochs: number;
  /** int32 [epochs, examples] and [epochs, perEpoch + 1], as the block's batchOrder/batchOffsets. */
  readonly batchOrder: ArrayFile;
  readonly batchOffsets: ArrayFile;
}

export interface PreparedIdwPhases {
  readonly phases: readonly PreparedIdwPhase[];
  /** int32: indices into the validation split of the tail users the IDW phases stop on. */
  readonly tailValidationSubset: ArrayFile;
}

type ArrayWriter = (file: string, data: NpyArray, shape: number[]) => ArrayFile;

export function writeIdwPhases(
  array: ArrayWriter,
  name: string,
  examples: readonly Example[],
  historyLength: number,
  train: TrainAttributes,
  idw: IdwWeighting,
  data: PreparedData,
): PreparedIdwPhases {
  const indexed = examples.map((e, i) => ({ ...e, user: i }));
  const perEpoch = Math.ceil(examples.length / train.batch);
  const phase = (phaseName: string, index: number, epochs: number): PreparedIdwPhase => {
    const seed = train.seed + PHASE_SEED_STRIDE * index;
    const order = new Int32Array(epochs * examples.length);
    const offsets = new Int32Array(epochs * (perEpoch + 1));
    for (let epoch = 0; epoch < epochs; epoch++) {
      let at = 0;
      let b = 0;
      for (const batch of bucketedBatches(indexed, { batchSize: train.batch, length: historyLength, seed }, epoch)) {
        order.set(batch.users, epoch * examples.length + at);
        at += batch.size;
        offsets[epoch * (perEpoch + 1) + ++b] = at;
      }
    }
    return {
      name: phaseName,
      seed,
      epochs,
      batchOrder: array(`${name}/${phaseName}/batch_order.npy`, order, [epochs, examples.length]),
      batchOffsets: array(`${name}/${phaseName}/batch_offsets.npy`, offsets, [epochs, perEpoch + 1]),
    };
  };
  const phases = Array.from({ length: idw.iterations }, (_, k) => phase(`idw-${k + 1}`, k + 1, idw.epochs));
  if (idw.calibrate === "user_tower") phases.push(phase("calibrate", idw.iterations + 1, train.epochs ?? 10));

  const tail = popularitySlices(data.trainCounts, { headFraction: HEAD_FRACTION }).masks.tail;
  const validation = data.split.validation.map((e, i) => ({ ...e, user: i }));
  const subset = Int32Array.from(
    validationSubset(
      validation.filter((e) => tail[e.target] === 1),
      VALIDATION_USERS,
      train.seed,
    ),
    (e) => e.user,
  );
  return { phases, tailValidationSubset: array(`${name}/idw_tail_validation_subset.npy`, subset, [subset.length]) };
}
