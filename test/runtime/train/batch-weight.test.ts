// A batch's weight scales its update (loss and gradient) but not the loss the loop reports; the
// weights by share give each batch its loss weight over the epoch's mean. Values worked by hand.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { weighByShare } from "../../../src/runtime/pipeline/batch-weights.js";
import { train } from "../../../src/runtime/train/train-loop.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

interface Batch {
  targets: number[];
  weight: number;
}

/** One step of SGD (lr 0.1) on mean (w − t)² from w = 0 with every target 1: gradient −2 per unit weight. */
async function oneStep(batchWeight?: (b: Batch) => number): Promise<{ w: number; loss: number }> {
  const w = tf.variable(tf.scalar(0));
  const vars = new Map([["w", w]]);
  const result = await train<Batch>({
    vars,
    lossFn: (b) => tf.tidy(() => tf.mean(tf.square(tf.sub(w, tf.tensor1d(b.targets))))) as tf.Scalar,
    batches: function* () {
      yield { targets: [1, 1, 1], weight: 3 };
    },
    optimizer: { name: "sgd", lr: 0.1 },
    steps: 1,
    seed: 0,
    progress: false,
    disposeBatches: false,
    ...(batchWeight !== undefined ? { batchWeight } : {}),
  });
  const value = (await w.data())[0];
  w.dispose();
  return { w: value, loss: result.lastLoss };
}

describe("batch weights", () => {
  it("scale a batch's update but not the reported loss", async () => {
    // Unweighted: w = 0 − 0.1 · (−2) = 0.2. Weight 2: the gradient doubles, w = 0.4; the loss is still 1.
    const plain = await oneStep();
    expect(plain.w).toBeCloseTo(0.2, 6);
    expect(plain.loss).toBeCloseTo(1, 6);
    const weighted = await oneStep(() => 2);
    expect(weighted.w).toBeCloseTo(0.4, 6);
    expect(weighted.loss).toBeCloseTo(1, 6);
  });

  it("leave a batch of weight 0 (no targets) without an update, and do not stop training", async () => {
    const none = await oneStep(() => 0);
    expect(none.w).toBe(0);
    expect(none.loss).toBe(0);
  });

  it("by share: a batch's loss weight over the epoch's mean per batch", () => {
    // Batches of 2, 6 and 4 target positions: mean 4, weights 0.5, 1.5 and 1.
    const epoch: Batch[] = [2, 6, 4].map((weight) => ({ targets: [], weight }));
    const shares = weighByShare(epoch, (b) => b.weight)!;
    expect(shares.mean).toBe(4);
    expect(epoch.map(shares.weight)).toEqual([0.5, 1.5, 1]);
    // Every position then weighs the same: weight / positions is 1 / 4 in each batch.
    expect(epoch.map((b) => shares.weight(b) / b.weight)).toEqual([0.25, 0.25, 0.25]);
  });

  it("by share: none when the epoch holds no loss weight", () => {
    expect(weighByShare([{ targets: [], weight: 0 }], (b) => b.weight)).toBeUndefined();
    expect(weighByShare([], (b: Batch) => b.weight)).toBeUndefined();
  });
});
