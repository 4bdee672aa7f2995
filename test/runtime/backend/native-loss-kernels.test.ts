// The native kernels behind the SASRec recipe's losses and GELU, on the wasm backend with the addon,
// against the op-by-op paths they replace on the same backend: sampled softmax over candidates
// gives the same bits (loss and both gradients), gBCE's softplus rows and GELU agree within 1e-6
// relative (their erf, log1p and σ are vectorised approximations, see native/src/*.c; gBCE's loss is
// checked against float64, which the op-by-op wasm sum misses by 1.3e-4). Also that
// each kernel is the one running. Runs only when the addon is built; otherwise skipped and says why.
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's Node bundle registers no gradients; vitest can load the ES registration directly.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { CANDIDATE_XENT, CANDIDATE_XENT_GRAD } from "../../../src/runtime/backend/native-candidate-xent-kernels.js";
import { GELU, GELU_GRAD } from "../../../src/runtime/backend/native-gelu-kernels.js";
import { SOFTPLUS_ROWS, SOFTPLUS_ROWS_GRAD } from "../../../src/runtime/backend/native-softplus-rows-kernels.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { gelu } from "../../../src/runtime/layers/activations.js";
import { candidateHits, candidateLogits, candidateSoftmaxPerExample } from "../../../src/runtime/losses/candidate-softmax.js";
import { gbceLoss } from "../../../src/runtime/losses/gbce.js";
import { softmaxCrossEntropyPerExample } from "../../../src/runtime/losses/softmax-cross-entropy.js";
import { Rng } from "../../../src/runtime/random.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

const loaded = loadNativeBlas();
const skipReason = typeof loaded === "string" ? loaded : undefined;
if (skipReason !== undefined) console.warn(`native-loss-kernels.test.ts: SKIPPED, ${skipReason}`);

const normals = (n: number, rng: Rng, scale = 1) => Float32Array.from({ length: n }, () => scale * rng.normal());
const bits = (t: tf.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

describe.skipIf(skipReason !== undefined)(`native loss kernels${skipReason ? ` (SKIPPED: ${skipReason})` : ""}`, () => {
  beforeAll(async () => {
    await selectBackend("wasm", { native: true });
  });
  afterAll(useCpuBackend);

  it("sampled softmax over candidates: the bits of concat + offsets + softmax cross-entropy, small and split over two threads", async () => {
    const rng = new Rng(11);
    // [P, K]: a tiny case, and one above the two-thread threshold (2^18 entries).
    for (const [p, k, items] of [
      [5, 7, 9],
      [1100, 256, 300],
    ]) {
      const targets = Int32Array.from({ length: p }, () => 1 + rng.int(items));
      const negatives = Int32Array.from({ length: k }, () => 1 + rng.int(items));
      const hits = candidateHits(targets, negatives);
      expect(hits.length).toBeGreaterThan(0);
      const pos = tf.tensor1d(normals(p, rng, 3));
      const neg = tf.tensor2d(normals(p * k, rng, 3), [p, k]);
      const positiveOffsets = normals(p, rng);
      const negativeOffsets = normals(k, rng);
      const dy = tf.tensor1d(normals(p, rng));
      const run = (fused: boolean) =>
        tf.tidy(() => {
          const f = (a: tf.Tensor, b: tf.Tensor) => {
            const x = { positive: a as tf.Tensor1D, negatives: b as tf.Tensor2D, positiveOffsets, negativeOffsets, hits };
            const per = fused ? candidateSoftmaxPerExample(x) : softmaxCrossEntropyPerExample(candidateLogits(x), tf.zeros([p], "int32") as tf.Tensor1D);
            return tf.sum(tf.mul(per, dy));
          };
          const { value, grads } = tf.valueAndGrads(f)([pos, neg]);
          return [value, ...grads].map(bits);
        });
      const info = await tf.profile(() => run(true));
      expect(info.kernelNames).toEqual(expect.arrayContaining([CANDIDATE_XENT, CANDIDATE_XENT_GRAD]));
      expect(info.kernelNames).not.toContain("Concat");
      const [fused, reference] = [run(true), run(false)];
      for (let i = 0; i < 3; i++) expect(fused[i], ["loss", "positive gradient", "negatives gradient"][i]).toEqual(reference[i]);
      tf.dispose([pos, neg, dy]);
    }
  });

  it("gBCE's negatives: the loss within 1e-6 of float64 and the cpu backend, the gradient within 1e-6 of the op-by-op one, hits left out", async () => {
    const rng = new Rng(12);
    const [p, k] = [1100, 256];
    const values = normals(p * k, rng, 4);
    values[0] = 95; // far past fast_expf's range both ways: softplus = z and 0
    values[1] = -95;
    const hits = Int32Array.from([2, 700, 256 * 40 + 3]);
    const mask = new Float32Array(p * k).fill(1);
    for (const h of hits) mask[h] = 0;
    const positives = normals(p, rng, 2);
    const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    let exact = 0;
    for (let i = 0; i < p; i++) exact += 0.3 * softplus(-positives[i]);
    for (let i = 0; i < p * k; i++) exact += mask[i] * softplus(values[i]);
    exact /= p * (k + 1);
    const run = (native: boolean) =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, b: tf.Tensor) => gbceLoss(a as tf.Tensor1D, b as tf.Tensor2D, 0.3, native ? { hits } : { negativeMask: mask });
        const { value, grads } = tf.valueAndGrads(f)([tf.tensor1d(positives), tf.tensor2d(values, [p, k])]);
        return [value, ...grads].map((t) => Array.from(t.dataSync()));
      });
    const info = await tf.profile(() => run(true));
    expect(info.kernelNames).toEqual(expect.arrayContaining([SOFTPLUS_ROWS, SOFTPLUS_ROWS_GRAD]));
    const [native, reference] = [run(true), run(false)];
    expectTensorsClose(native[0], [exact], 1e-6);
    // The op-by-op loss on wasm sums 281,600 terms in float32 and lands 1.3e-4 off the float64 value;
    // on the cpu backend it is within 1e-7, and so is the kernel.
    expectTensorsClose(reference[0], [exact], 2e-4);
    await tf.setBackend("cpu");
    const cpu = run(false);
    await selectBackend("wasm", { native: true });
    expectTensorsClose(native[0], cpu[0], 1e-6);
    expectTensorsClose(native[1], reference[1], 1e-6);
    // Gradient entries are σ(z)/(P(K + 1)): compare them relative to that scale.
    const scale = p * (k + 1);
    expectTensorsClose(
      native[2].map((g) => g * scale),
      reference[2].map((g) => g * scale),
      1e-6,
    );
    for (const h of hits) expect(native[2][h]).toBe(0);
  });

  it("GELU: x·Φ(x) and its gradient within 1e-6 of the erf form, split over two threads", async () => {
    const rng = new Rng(13);
    const values = normals(2 ** 18 + 10, rng, 3);
    values.set([0, -0, 12, -12, 95, -95, 1e-6], 0);
    const x = tf.tensor1d(values);
    const dy = tf.tensor1d(normals(values.length, rng));
    const erfForm = (t: tf.Tensor) => tf.mul(tf.mul(t, 0.5), tf.add(1, tf.erf(tf.mul(t, Math.SQRT1_2))));
    const run = (f: (t: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(f(t), dy)))(x);
        return [Array.from(f(x).dataSync()), Array.from(grad.dataSync()), value.dataSync()[0]] as const;
      });
    const info = await tf.profile(() => run(gelu));
    expect(info.kernelNames).toEqual(expect.arrayContaining([GELU, GELU_GRAD]));
    expect(info.kernelNames).not.toContain("Erf");
    const [native, reference] = [run(gelu), run(erfForm)];
    // Absolute: erf is good to 1.5e-7 absolute, so small outputs carry that much, not 1e-6 of themselves.
    for (const i of [0, 1]) {
      const a = native[i] as number[];
      const b = reference[i] as number[];
      for (let j = 0; j < a.length; j++)
        if (!(Math.abs(a[j] - b[j]) <= 1e-6 * Math.max(1, Math.abs(b[j])))) throw new Error(`${i ? "gradient" : "value"} ${j}: ${a[j]} vs ${b[j]}`);
    }
    expect(native[0][4]).toBe(95);
    expect(native[0][5] === 0).toBe(true);
    tf.dispose([x, dy]);
  });
});
