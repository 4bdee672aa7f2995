import * as tf from "@tensorflow/tfjs-core";
import "./register-gradients.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { maxInterestScores, multiInterest, routeToTarget, targetInterestScores } from "../../../src/runtime/layers/multi-interest.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";

beforeAll(useCpuBackend);
let params: ParamStore;
afterEach(() => params?.dispose());

describe("multiInterest", () => {
  it("gives [B, H, D]", () => {
    params = new ParamStore(0);
    const y = multiInterest(tf.randomNormal([3, 5, 8], 0, 1, "float32", 1), params, {
      numInterests: 4,
      dim: 8,
    });
    expect(y.shape).toEqual([3, 4, 8]);
    expect(params.count()).toBe(32);
  });

  it("matches a hand-computed attention with padding", () => {
    params = new ParamStore(0);
    params.get("queries", [2, 2], () => new Float32Array([1, 0, 0, 2]));
    const seq = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
        [50, 50],
      ],
    ]);
    const y = multiInterest(seq, params, {
      numInterests: 2,
      dim: 2,
      scale: false,
      paddingMask: tf.tensor2d([[1, 1, 0]]),
    });
    // Query 0 scores [1, 0] → softmax [0.731059, 0.268941]; query 1 scores [0, 2] → [0.119203, 0.880797].
    // The padded [50, 50] gets weight 0, so each interest is the weights themselves.
    expectTensorsClose(
      y,
      tf.tensor3d([
        [
          [0.7310586, 0.2689414],
          [0.1192029, 0.8807971],
        ],
      ]),
      1e-5,
    );
  });

  it("leaks nothing once built", async () => {
    params = new ParamStore(1);
    const seq = tf.ones([2, 3, 4]);
    const paddingMask = tf.tensor2d([
      [1, 1, 0],
      [1, 0, 0],
    ]);
    multiInterest(seq, params, { numInterests: 2, dim: 4 }).dispose();
    await expectNoLeakedTensors(() => multiInterest(seq, params, { numInterests: 2, dim: 4, paddingMask }).dispose());
  });
});

describe("interest scoring", () => {
  const users = () =>
    tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [2, 2],
        [-1, 0],
      ],
    ]); // [2 users, 2 heads, 2]

  it("scores users against items by the best head", () => {
    const items = tf.tensor2d([
      [2, 1],
      [1, 3],
      [-1, -1],
    ]);
    // User 0: heads give [2, 1, −1] and [1, 3, −1]; user 1: [6, 8, −4] and [−2, −1, 1].
    expectTensorsClose(
      maxInterestScores(users(), items),
      tf.tensor2d([
        [2, 3, -1],
        [6, 8, 1],
      ]),
    );
  });

  it("routes each example to the head that best matches its target", () => {
    const targets = tf.tensor2d([
      [1, 3],
      [-3, 1],
    ]);
    const { vectors, heads } = routeToTarget(users(), targets);
    expect(Array.from(heads.dataSync())).toEqual([1, 1]);
    expectTensorsClose(
      vectors,
      tf.tensor2d([
        [0, 1],
        [-1, 0],
      ]),
    );
    expectTensorsClose(targetInterestScores(users(), targets), [3, 3]);
  });

  it("passes a single interest through unchanged (no routing)", () => {
    const single = tf.tensor3d([[[1, 2]], [[3, -1]]]); // [B=2, H=1, D=2]
    const { vectors, heads } = routeToTarget(
      single,
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
    );
    expect(Array.from(heads.dataSync())).toEqual([0, 0]);
    expectTensorsClose(
      vectors,
      tf.tensor2d([
        [1, 2],
        [3, -1],
      ]),
    );
    expectTensorsClose(
      targetInterestScores(
        single,
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
      ),
      [1, -1],
    );
  });

  it("sends gradient only to the winning head (hard routing)", () => {
    const u = users();
    const targets = tf.tensor2d([
      [3, 1],
      [1, 1],
    ]); // winners: user 0 head 0, user 1 head 0
    const g = tf.grad((x) => tf.sum(targetInterestScores(x, targets)))(u);
    // d score / d winning head = target; the other head gets exactly 0.
    expect(Array.from(g.dataSync())).toEqual([3, 1, 0, 0, 1, 1, 0, 0]);
    const gt = tf.grad((t) => tf.sum(targetInterestScores(u, t)))(targets);
    expectTensorsClose(
      gt,
      tf.tensor2d([
        [1, 0],
        [2, 2],
      ]),
    );
    // Retrieval scores route the same way through the max.
    const gm = tf.grad((x) => tf.sum(maxInterestScores(x, tf.tensor2d([[0, 1]]))))(u);
    expect(Array.from(gm.dataSync())).toEqual([0, 0, 0, 1, 0, 1, 0, 0]);
  });
});
