// The native mean-pool, ReLU-gradient and pair-feature kernels of the ranking step, on the wasm
// backend with the addon, against the op-by-op paths they replace on the same backend: the same bits
// forward and backward (mean over real items, empty histories giving zeros; a dense relu layer's
// three gradients; [u, v, u ⊙ v] and both inputs' gradients), a hand-computed mean and pair, and that
// each kernel is the one running. Runs only when the
// addon is built; otherwise skipped and says why.
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { MEAN_POOL, MEAN_POOL_GRAD } from "../../../src/runtime/backend/native-mean-pool-kernels.js";
import { PAIR_FEATURES, PAIR_FEATURES_GRAD } from "../../../src/runtime/backend/native-pair-features-kernels.js";
import { RELU_GRAD } from "../../../src/runtime/backend/native-relu-grad-kernel.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { fusedDenseRelu } from "../../../src/runtime/layers/fused-dense-relu.js";
import { meanPool } from "../../../src/runtime/ranking/history-pool.js";
import { pairFeatures } from "../../../src/runtime/ranking/pair-features.js";
import { Rng } from "../../../src/runtime/random.js";
import { useCpuBackend } from "../../helpers/tf.js";

const loaded = loadNativeBlas();
const skipReason = typeof loaded === "string" ? loaded : undefined;
if (skipReason !== undefined) console.warn(`native-pool-relu-kernels.test.ts: SKIPPED, ${skipReason}`);

const normals = (n: number, rng: Rng) => Float32Array.from({ length: n }, () => rng.normal());
const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

/** The op-by-op mean pool history-pool.ts falls back to. */
function opMeanPool(h: tf.Tensor3D, ids: Int32Array, count: number): tf.Tensor2D {
  const keep = tf.tensor3d(
    Float32Array.from(ids, (id) => (id === 0 ? 0 : 1)),
    [count, ids.length / count, 1],
  );
  return tf.div(tf.sum(tf.mul(h, keep), 1), tf.maximum(tf.sum(keep, 1), 1)) as tf.Tensor2D;
}

describe.skipIf(skipReason !== undefined)(`native pool and relu kernels${skipReason ? ` (SKIPPED: ${skipReason})` : ""}`, () => {
  beforeAll(async () => {
    await selectBackend("wasm", { native: true });
  });
  afterAll(useCpuBackend);

  it("mean pool: a hand-computed mean, zeros for an empty history", () => {
    // History 0: items at t = 1, 2 → mean of rows 1 and 2; history 1: all padding → zeros.
    const h = tf.tensor3d([9, 9, 1, 2, 4, 8, 7, 7, 7, 7, 7, 7], [2, 3, 2]);
    const out = meanPool(h, new Int32Array([0, 5, 6, 0, 0, 0]), 2);
    expect(Array.from(out.dataSync())).toEqual([2.5, 5, 0, 0]);
  });

  it("mean pool: the op-by-op bits forward and backward, and the native kernels run", async () => {
    const rng = new Rng(3);
    const [count, length, dim] = [37, 20, 64];
    const ids = Int32Array.from({ length: count * length }, (_, i) => (i % length < rng.int(length + 1) ? 0 : 1 + rng.int(50)));
    ids.fill(0, 0, length); // one empty history
    const h = tf.tensor3d(normals(count * length * dim, rng), [count, length, dim]);
    const w = tf.tensor2d(normals(count * dim, rng), [count, dim]);
    const loss = (pool: (x: tf.Tensor3D) => tf.Tensor2D) => (x: tf.Tensor) => tf.sum(tf.mul(pool(x as tf.Tensor3D), w));
    const native = tf.valueAndGrad(loss((x) => meanPool(x, ids, count)))(h);
    const reference = tf.valueAndGrad(loss((x) => opMeanPool(x, ids, count)))(h);
    expect(bits(meanPool(h, ids, count))).toEqual(bits(opMeanPool(h, ids, count)));
    expect(bits(native.grad)).toEqual(bits(reference.grad));
    const info = await tf.profile(() => tf.grad(loss((x) => meanPool(x, ids, count)))(h));
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain(MEAN_POOL);
    expect(names).toContain(MEAN_POOL_GRAD);
  });

  it("dense + relu: the bits of tfjs's fused matmul gradient for x, W and b, and the native kernel runs", async () => {
    const rng = new Rng(5);
    const [m, k, n] = [300, 48, 40];
    const x = tf.tensor2d(normals(m * k, rng), [m, k]);
    const kernel = tf.tensor2d(normals(k * n, rng), [k, n]);
    const bias = tf.tensor1d(normals(n, rng));
    const up = tf.tensor2d(normals(m * n, rng), [m, n]);
    const run = (layer: (a: tf.Tensor2D, b: tf.Tensor2D, c: tf.Tensor1D) => tf.Tensor) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(layer(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor1D), up)))([
        x,
        kernel,
        bias,
      ]);
    const native = run((a, b, c) => fusedDenseRelu(a, b, c) as tf.Tensor2D);
    const reference = run((a, b, c) => tf.fused.matMul({ a, b, bias: c, activation: "relu" }));
    expect(bits(fusedDenseRelu(x, kernel, bias) as tf.Tensor)).toEqual(bits(tf.fused.matMul({ a: x, b: kernel, bias, activation: "relu" })));
    native.forEach((g, i) => expect(bits(g)).toEqual(bits(reference[i])));
    // Without a bias: two gradients.
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fusedDenseRelu(a as tf.Tensor2D, b as tf.Tensor2D, null) as tf.Tensor, up)))([
      x,
      kernel,
    ]);
    const [rx, rw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, activation: "relu" }), up)),
    )([x, kernel]);
    expect(bits(dx)).toEqual(bits(rx));
    expect(bits(dw)).toEqual(bits(rw));
    const info = await tf.profile(() => run((a, b, c) => fusedDenseRelu(a, b, c) as tf.Tensor2D));
    const names = info.kernels.map((kk) => kk.name);
    expect(names).toContain(RELU_GRAD);
    expect(names).not.toContain("Step");
  });

  it("pair features: [u, v, u ⊙ v] by hand, the op-by-op bits of it and of both gradients, and the native kernels run", async () => {
    expect(pairFeatures(tf.tensor2d([[1, -2]]), tf.tensor2d([[3, 4]])).arraySync()).toEqual([[1, -2, 3, 4, 3, -8]]);
    const rng = new Rng(8);
    const [p, d] = [333, 24];
    const u = tf.tensor2d(normals(p * d, rng), [p, d]);
    const v = tf.tensor2d(normals(p * d, rng), [p, d]);
    const up = tf.tensor2d(normals(p * 3 * d, rng), [p, 3 * d]);
    const ops = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.concat([a, b, tf.mul(a, b)], 1);
    const run = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), up)))([u, v]);
    expect(bits(pairFeatures(u, v))).toEqual(bits(ops(u, v)));
    const native = run(pairFeatures);
    const reference = run(ops);
    native.forEach((g, i) => expect(bits(g)).toEqual(bits(reference[i])));
    const names = (await tf.profile(() => run(pairFeatures))).kernels.map((k) => k.name);
    expect(names).toContain(PAIR_FEATURES);
    expect(names).toContain(PAIR_FEATURES_GRAD);
  });
});
