import * as tf from "@tensorflow/tfjs-core";
import "./register-gradients.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { embedding, hashBucket, hashedEmbedding, hashIds, positionalEmbedding } from "../../../src/runtime/layers/embedding.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";

beforeAll(useCpuBackend);
let params: ParamStore;
afterEach(() => params.dispose());

const table = (rows: number, dim: number) => () => Float32Array.from({ length: rows * dim }, (_, i) => i + 1);

describe("embedding", () => {
  it("looks up rows for ids of any shape", () => {
    params = new ParamStore(0);
    params.get("table", [4, 2], table(4, 2)); // row r = [2r+1, 2r+2]
    const y = embedding(
      tf.tensor2d(
        [
          [0, 3],
          [2, 2],
        ],
        [2, 2],
        "int32",
      ),
      params,
      4,
      2,
    );
    expect(y.shape).toEqual([2, 2, 2]);
    expectTensorsClose(
      y,
      tf.tensor3d([
        [
          [1, 2],
          [7, 8],
        ],
        [
          [5, 6],
          [5, 6],
        ],
      ]),
    );
  });

  it("zeroes padding id 0 when asked, and gives it no gradient", () => {
    params = new ParamStore(0);
    const t = params.get("table", [4, 2], table(4, 2));
    const ids = tf.tensor1d([0, 1, 0], "int32");
    expectTensorsClose(
      embedding(ids, params, 4, 2, { maskPadding: true }),
      tf.tensor2d([
        [0, 0],
        [3, 4],
        [0, 0],
      ]),
    );
    const { grads } = tf.variableGrads(() => tf.sum(embedding(ids, params, 4, 2, { maskPadding: true })) as tf.Scalar, [t]);
    expectTensorsClose(
      grads[t.name],
      tf.tensor2d([
        [0, 0],
        [1, 1],
        [0, 0],
        [0, 0],
      ]),
    );
  });

  it("accepts float ids by casting", () => {
    params = new ParamStore(0);
    params.get("table", [4, 2], table(4, 2));
    expectTensorsClose(embedding(tf.tensor1d([1]), params, 4, 2), tf.tensor2d([[3, 4]]));
  });
});

describe("hashed ids", () => {
  it("hashes with ((a·id + b) mod (2^31 − 1)) mod buckets", () => {
    // Hand values from exact integer arithmetic with a = 1103515245, b = 12345.
    expect(hashBucket(0, 1000)).toBe(345);
    expect(hashBucket(1, 1000)).toBe(590);
    expect(hashBucket(7, 1000)).toBe(119);
    expect(hashBucket(123456789, 1000)).toBe(770);
    expect(hashBucket(5, 10, 3, 4)).toBe(9); // (15 + 4) mod 10
    expect(Array.from(hashIds([0, 1, 7], 1000))).toEqual([345, 590, 119]);
    expect(() => hashBucket(-1, 10)).toThrow();
  });

  it("spreads consecutive ids over the buckets", () => {
    const counts = new Array(16).fill(0);
    for (const b of hashIds(
      Array.from({ length: 16000 }, (_, i) => i),
      16,
    ))
      counts[b]++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });

  it("looks hashed ids up from host arrays, with padding masked", () => {
    params = new ParamStore(0);
    const t = params.get("table", [10, 2], table(10, 2));
    const ids = new Int32Array([0, 5, 123456789, 5]);
    const y = hashedEmbedding(ids, params, {
      buckets: 10,
      dim: 2,
      shape: [2, 2],
      maskPadding: true,
    });
    expect(y.shape).toEqual([2, 2, 2]);
    const rows = tf.gather(t, tf.tensor1d(Array.from(hashIds(ids, 10)), "int32"));
    const expected = tf.mul(
      tf.reshape(rows, [2, 2, 2]),
      tf.tensor3d([
        [[0], [1]],
        [[1], [1]],
      ]),
    );
    expectTensorsClose(y, expected);
  });
});

describe("positionalEmbedding", () => {
  it("gives the first `length` rows and trains only them", () => {
    params = new ParamStore(0);
    const t = params.get("table", [5, 2], table(5, 2));
    const p = positionalEmbedding(3, params, 5, 2);
    expectTensorsClose(
      p,
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    const { grads } = tf.variableGrads(() => tf.sum(positionalEmbedding(3, params, 5, 2)) as tf.Scalar, [t]);
    expectTensorsClose(
      grads[t.name],
      tf.tensor2d([
        [1, 1],
        [1, 1],
        [1, 1],
        [0, 0],
        [0, 0],
      ]),
    );
    expect(() => positionalEmbedding(6, params, 5, 2)).toThrow(/maxLen/);
  });
});
