import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { accumulateGradients, leadingSize, splitBatch } from "../../../src/runtime/train/grad-accumulation.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** Mean squared error of x·w against y. */
function mse(w: tf.Variable, b: Batch): tf.Scalar {
  return tf.mean(tf.square(tf.sub(tf.reshape(tf.matMul(b.x, w), [-1]), b.y)));
}

describe("splitBatch", () => {
  it("splits every field along the leading axis into near-equal parts", async () => {
    const batch = { x: tf.tensor2d([[1], [2], [3], [4], [5]]), ids: Int32Array.from([1, 2, 3, 4, 5]), meta: { n: [9, 8, 7, 6, 5] }, tag: "t" };
    const parts = splitBatch(batch, 2);
    expect(parts.map((p) => p.x.shape[0])).toEqual([2, 3]);
    expect(Array.from(parts[1].x.dataSync())).toEqual([3, 4, 5]);
    expect(Array.from(parts[0].ids)).toEqual([1, 2]);
    expect(parts[1].meta.n).toEqual([7, 6, 5]);
    expect(parts[1].tag).toBe("t");
    expect(leadingSize(batch)).toBe(5);
    // More parts than examples: one example each.
    expect(splitBatch([1, 2], 5)).toEqual([[1], [2]]);
    tf.dispose([batch.x, ...parts.map((p) => p.x)]);
  });

  it("rejects fields that disagree on the number of examples", async () => {
    expect(() => splitBatch({ a: [1, 2, 3], b: [1, 2] }, 2)).toThrow(/disagree/);
    expect(() => splitBatch({ a: 1 }, 2)).toThrow(/no tensor or array/);
  });
});

describe("accumulateGradients", () => {
  it("gives the hand-computed gradient of a mean loss for one part", async () => {
    // X = [[1,0],[0,1],[1,1]], w = [1,0], y = [0,1,1]: residuals r = Xw − y = [1, −1, 0],
    // ∇ = (2/3)·Xᵀr = (2/3)·[1, −1].
    const w = tf.variable(tf.tensor2d([[1], [0]]));
    const batch = {
      x: tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
      y: tf.tensor1d([0, 1, 1]),
    };
    const { grads, loss } = await accumulateGradients(new Map([["w", w]]), [{ batch, weight: 1 }], (b) => mse(w, b));
    expect(loss).toBeCloseTo(2 / 3, 6);
    expectTensorsClose(Array.from(grads.get("w")!.dataSync()), [2 / 3, -2 / 3], 1e-6);
    tf.dispose([w, batch.x, batch.y, ...grads.values()]);
  });

  it("micro-batch gradients weighted by size equal the full-batch gradient", async () => {
    const w = tf.variable(tf.tensor2d([[0.3], [-1.2]]));
    const vars = new Map([["w", w]]);
    const batch = {
      x: tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 1],
        [2, -1],
        [0.5, 3],
        [-1, -1],
        [4, 0.25],
      ]),
      y: tf.tensor1d([0, 1, 1, -2, 0.5, 3, 1]),
    };
    const full = await accumulateGradients(vars, [{ batch, weight: 1 }], (b) => mse(w, b));
    await expectNoLeakedTensors(async () => {
      const parts = splitBatch(batch, 3); // sizes 2, 2, 3
      expect(parts.map((p) => p.x.shape[0])).toEqual([2, 2, 3]);
      const micro = await accumulateGradients(
        vars,
        parts.map((p) => ({ batch: p, weight: p.x.shape[0] / 7 })),
        (b) => mse(w, b),
      );
      expect(micro.loss).toBeCloseTo(full.loss, 5);
      expectTensorsClose(micro.grads.get("w")!, full.grads.get("w")!, 1e-5);
      tf.dispose([...micro.grads.values(), ...parts.flatMap((p) => [p.x, p.y])]);
    });
    tf.dispose([w, batch.x, batch.y, ...full.grads.values()]);
  });

  it("keys gradients by the caller's names and skips unreached variables", async () => {
    const a = tf.variable(tf.scalar(2));
    const unused = tf.variable(tf.scalar(1));
    const { grads } = await accumulateGradients(
      new Map([
        ["model/a", a],
        ["model/unused", unused],
      ]),
      [
        { batch: null, weight: 0.5 },
        { batch: null, weight: 0.5 },
      ],
      () => tf.square(a),
    );
    expect([...grads.keys()]).toEqual(["model/a"]);
    expect(grads.get("model/a")!.dataSync()[0]).toBeCloseTo(4, 6);
    tf.dispose([a, unused, ...grads.values()]);
  });
});
