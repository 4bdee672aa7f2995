// embedParts: one lookup for several id lists (a ranking step's histories and candidates) gives each
// list embed's vectors, and the table gradient of separate lookups: by hand on the cpu backend, and
// bit for bit on the wasm backend with the native addon (where it runs the parts kernel), and on
// wasm without it. The addon case is skipped, saying why, when the addon is not built.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { afterAll, describe, expect, it } from "vitest";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { GATHER_SEGMENT_SUM_PARTS } from "../../../src/runtime/backend/native-segment-sum-parts-kernel.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import { embedParts } from "../../../src/runtime/ranking/embed-parts.js";
import type { SemanticIdTable } from "../../../src/runtime/ranking/inputs.js";
import { ngramRepresentation } from "../../../src/runtime/ranking/item-representations.js";
import { Rng } from "../../../src/runtime/random.js";
import { useCpuBackend } from "../../helpers/tf.js";

const loaded = loadNativeBlas();
const skipReason = typeof loaded === "string" ? loaded : undefined;

afterAll(useCpuBackend);

// L = 3, K = 4; item 1 = (1,2,3), 2 = (1,2,0), 3 = (1,2,3) (as slot-sums.test.ts).
const sids: SemanticIdTable = {
  levels: 3,
  codebook: 4,
  tokensPerItem: 4,
  codes: Int32Array.from([-1, -1, -1, -1, 1, 2, 3, 0, 1, 2, 0, 0, 1, 2, 3, 1]),
  collisions: { maxSuffix: 1, collidingItems: 2 },
};

const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

/** Values and table gradient of Σ w_l · vectors_l over the lists, by `lookup`. */
function run(params: ParamStore, lookup: (lists: Int32Array[]) => tf.Tensor2D[], lists: Int32Array[], weights: tf.Tensor2D[]) {
  const table = params.variables().get("table")!;
  let values: tf.Tensor2D[] = [];
  const { grads } = tf.variableGrads(() => {
    const vs = lookup(lists);
    values = vs.map((v) => tf.keep(v.clone()));
    return tf.addN(vs.map((v, l) => tf.sum(tf.mul(v, weights[l])))) as tf.Scalar;
  }, [table]);
  return { values, grad: grads[table.name] };
}

describe("embedParts", () => {
  it("gives embed's vectors and the summed row gradients, by hand (cpu)", async () => {
    await useCpuBackend();
    const params = new ParamStore(0);
    // n = 2, rows 16: items 1 and 3 read rows [6, 27], item 2 reads [6, 24].
    const r = ngramRepresentation(sids, 2, 16, { numItems: 3, dim: 1, params });
    const lists = [Int32Array.from([1, 0, 2]), Int32Array.from([3, 1])];
    const weights = [tf.tensor2d([[1], [100], [3]]), tf.tensor2d([[5], [7]])];
    const { values, grad } = run(params, (ls) => embedParts(r, ls), lists, weights);
    lists.forEach((ids, l) => expect(values[l].arraySync()).toEqual(r.embed(ids).arraySync()));
    const expected = Array.from({ length: 32 }, () => [0]);
    expected[6] = [1 + 3 + 5 + 7]; // every item reads the (1,2) row; the pad (weight 100) reads none
    expected[27] = [1 + 5 + 7];
    expected[24] = [3];
    expect(grad.arraySync()).toEqual(expected);
  });

  for (const native of [true, false]) {
    const skip = native && skipReason !== undefined;
    it.skipIf(skip)(
      `matches separate lookups bit for bit on wasm ${native ? "with" : "without"} the addon${skip ? ` (SKIPPED: ${skipReason})` : ""}`,
      async () => {
        await selectBackend("wasm", { native });
        const rng = new Rng(9);
        const K = 16;
        const items = 400;
        const codes = Int32Array.from({ length: (items + 1) * 4 }, (_, i) => (i < 4 ? -1 : i % 4 === 3 ? 0 : rng.int(K)));
        const table: SemanticIdTable = { levels: 3, codebook: K, tokensPerItem: 4, codes, collisions: { maxSuffix: 0, collidingItems: 0 } };
        const params = new ParamStore(3);
        const r = ngramRepresentation(table, 2, 256, { numItems: items, dim: 8, params });
        const lists = [
          Int32Array.from({ length: 600 }, () => (rng.next() < 0.2 ? 0 : 1 + rng.int(items))),
          Int32Array.from({ length: 150 }, () => 1 + rng.int(items)),
        ];
        const weights = lists.map((ids) =>
          tf.tensor2d(
            Float32Array.from({ length: ids.length * 8 }, () => rng.normal()),
            [ids.length, 8],
          ),
        );
        const together = run(params, (ls) => embedParts(r, ls), lists, weights);
        const separate = run(params, (ls) => ls.map((ids) => r.embed(ids)), lists, weights);
        together.values.forEach((v, l) => expect(bits(v)).toEqual(bits(separate.values[l])));
        expect(bits(together.grad)).toEqual(bits(separate.grad));
        const info = await tf.profile(() => run(params, (ls) => embedParts(r, ls), lists, weights).grad);
        expect(info.kernelNames.includes(GATHER_SEGMENT_SUM_PARTS)).toBe(native);
      },
    );
  }
});
