// The gradients of the ranking lookups: an item's vector is the sum of its table rows, so each row's
// gradient is the sum of the output gradients of every lookup that read it (repeats, shared rows and
// several slots included; the pad and unused slots read nothing); repeatRows' input gradient is the
// sum of its copies' gradients. Checked on the cpu backend against sums worked out by hand.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import { ngramRepresentation, spmRepresentation } from "../../../src/runtime/ranking/item-representations.js";
import type { SemanticIdTable } from "../../../src/runtime/ranking/inputs.js";
import { repeatRows } from "../../../src/runtime/ranking/pair-scores.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// As item-representations.test.ts: L = 3, K = 4; item 1 = (1,2,3), 2 = (1,2,0), 3 = (1,2,3).
const sids: SemanticIdTable = {
  levels: 3,
  codebook: 4,
  tokensPerItem: 4,
  codes: Int32Array.from([-1, -1, -1, -1, /* 1 */ 1, 2, 3, 0, /* 2 */ 1, 2, 0, 0, /* 3 */ 1, 2, 3, 1]),
  collisions: { maxSuffix: 1, collidingItems: 2 },
};

/** d/dTable of Σ_i w_i · embed(ids)_i, with weights w [n, 2]; gives the gradient's rows as arrays. */
function tableGradient(params: ParamStore, embed: (ids: Int32Array) => tf.Tensor2D, ids: number[], weights: number[][]): number[][] {
  const table = params.variables().get("table")!;
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(embed(Int32Array.from(ids)), tf.tensor2d(weights))) as tf.Scalar, [table]);
  const g = grads[table.name].arraySync() as number[][];
  tf.dispose([value, grads]);
  return g;
}

describe("slot lookups", () => {
  it("give each n-gram row the summed gradient of every lookup that read it", () => {
    const params = new ParamStore(0);
    // n = 2, rows 16: items 1 and 3 read rows [6, 27], item 2 reads [6, 24].
    const r = ngramRepresentation(sids, 2, 16, { numItems: 3, dim: 2, params });
    const g = tableGradient(
      params,
      (ids) => r.embed(ids),
      [1, 0, 2, 3, 1],
      [
        [1, 2],
        [100, 100], // the pad: reads no row, so this weight reaches nothing
        [3, 4],
        [5, 6],
        [7, 8],
      ],
    );
    const expected = Array.from({ length: 32 }, () => [0, 0]);
    expected[6] = [1 + 3 + 5 + 7, 2 + 4 + 6 + 8]; // every item shares the (1,2) row
    expected[27] = [1 + 5 + 7, 2 + 6 + 8]; // items 1, 3, 1
    expected[24] = [3, 4]; // item 2
    expect(g).toEqual(expected);
  });

  it("skip the unused slots of an item with fewer pieces", () => {
    const params = new ParamStore(0);
    // Pieces weighted by item 1 only: item 1 is one piece (row 14), item 2 two (rows 12 and 8).
    const r = spmRepresentation(sids, 20, { numItems: 3, dim: 2, params, itemCounts: [0, 3, 0, 0] });
    const values = Float32Array.from({ length: 40 }, (_, k) => k / 4);
    params
      .variables()
      .get("table")!
      .assign(tf.tensor2d(values, [20, 2]));
    const out = r.embed(Int32Array.from([2, 1, 0]));
    expectTensorsClose(
      out,
      tf.tensor2d([
        [(24 + 16) / 4, (25 + 17) / 4],
        [28 / 4, 29 / 4],
        [0, 0],
      ]),
    );
    out.dispose();
    const g = tableGradient(
      params,
      (ids) => r.embed(ids),
      [2, 1],
      [
        [1, 2],
        [3, 4],
      ],
    );
    const expected = Array.from({ length: 20 }, () => [0, 0]);
    expected[12] = [1, 2];
    expected[8] = [1, 2];
    expected[14] = [3, 4];
    expect(g).toEqual(expected);
  });

  it("leave no tensors behind", async () => {
    const params = new ParamStore(0);
    const r = ngramRepresentation(sids, 2, 16, { numItems: 3, dim: 2, params });
    tf.tidy(() => r.embed(Int32Array.from([1])));
    await expectNoLeakedTensors(() => {
      tableGradient(
        params,
        (ids) => r.embed(ids),
        [0, 0],
        [
          [1, 1],
          [1, 1],
        ],
      );
      r.embed(Int32Array.from([3, 0, 2])).dispose();
    });
  });
});

describe("repeatRows", () => {
  it("repeats each user for its candidates and sums their gradients back", () => {
    const users = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const out = repeatRows(users, 3);
    expect(out.arraySync()).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [3, 4],
      [3, 4],
      [3, 4],
    ]);
    const dy = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [6, 2]);
    const g = tf.grad((u: tf.Tensor) => tf.sum(tf.mul(repeatRows(u as tf.Tensor2D, 3), dy)))(users);
    expect(g.arraySync()).toEqual([
      [1 + 3 + 5, 2 + 4 + 6],
      [7 + 9 + 11, 8 + 10 + 12],
    ]);
    tf.dispose([users, out, dy, g]);
  });
});
