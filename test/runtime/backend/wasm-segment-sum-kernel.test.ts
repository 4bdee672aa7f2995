import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { expectNoLeakedTensors, expectTensorsClose } from "../../helpers/tf.js";
import { expectSameResults, intHost, onBoth, randomHost } from "./compare-backends.js";

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("wasm UnsortedSegmentSum", () => {
  it("sums rows into segments, with repeated ids, empty segments and dropped out-of-range ids", async () => {
    await tf.setBackend("wasm");
    const data = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
    const ids = tf.tensor1d([2, 0, 2, -1, 7], "int32");
    const out = tf.unsortedSegmentSum(data, ids, 4);
    // segment 0: row 1; segment 2: rows 0 and 2; rows 3 (id -1) and 4 (id 7) are dropped.
    expectTensorsClose(
      out,
      tf.tensor2d([
        [3, 4],
        [0, 0],
        [6, 8],
        [0, 0],
      ]),
      0,
    );
    tf.dispose([data, ids, out]);
  });

  it("matches cpu for rank-3 data and int32 data", async () => {
    const ids = intHost([1, 1, 0, 2, 1]);
    const [wasm, cpu] = await onBoth([randomHost([5, 3, 4], 1), ids], (x, s) => tf.unsortedSegmentSum(x, s as tf.Tensor1D, 3));
    expectSameResults(wasm, cpu, 1e-6);
    const ints = intHost([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5, 2]);
    const [wi, ci] = await onBoth([ints, ids], (x, s) => tf.unsortedSegmentSum(x, s as tf.Tensor1D, 3));
    expect(wi[0].dtype).toBe("int32");
    expectSameResults(wi, ci, 0);
  });

  it("gives tf.gather its gradient (embedding lookup), for axis 0 and axis 1", async () => {
    const table = randomHost([6, 4], 2);
    const idx = intHost([3, 1, 3, 3, 5, 0, 1], [7]);
    const upstream = randomHost([7, 4], 3);
    const [wasm, cpu] = await onBoth([table, idx, upstream], (t, i, u) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, i), u)))(t));
    expectSameResults(wasm, cpu, 1e-5);
    // Row 3 was looked up three times: its gradient is the sum of those three upstream rows.
    const u = upstream.values;
    for (let j = 0; j < 4; j++) {
      expect(wasm[0].values[3 * 4 + j]).toBeCloseTo(u[0 * 4 + j] + u[2 * 4 + j] + u[3 * 4 + j], 5);
    }
    // Row 2 and 4 were never looked up.
    expect(wasm[0].values.slice(8, 12)).toEqual([0, 0, 0, 0]);

    const idx2 = intHost(
      [
        [2, 0],
        [1, 2],
      ].flat(),
      [2, 2],
    );
    const [w2, c2] = await onBoth([randomHost([2, 3, 5], 4), idx2], (t, i) => tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, i, 1))))(t));
    expectSameResults(w2, c2, 1e-5);
  });

  it("leaks nothing", async () => {
    await tf.setBackend("wasm");
    const table = tf.randomNormal([50, 8]);
    const idx = tf.tensor1d([1, 4, 4, 49], "int32");
    await expectNoLeakedTensors(() => {
      tf.grad((v: tf.Tensor) => tf.sum(tf.gather(v, idx)))(table).dispose();
    });
    tf.dispose([table, idx]);
  });
});
