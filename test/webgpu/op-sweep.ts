// Run in its own process by op-sweep.test.ts: every op a recommender's training and evaluation
// use, forward and gradient, on the cpu backend and on webgpu, from the same host inputs. Takes
// nothing (the Vulkan driver comes from VK_ICD_FILENAMES); prints one JSON line: either
// { skip: reason } when no WebGPU adapter can be made, or { cases: [{ name, maxError, scale }] }
// plus the checks of chunked addN and of device errors becoming RunErrors.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { selectBackend } from "../../src/runtime/backend/select-backend.js";
import { installChunkedAddN } from "../../src/runtime/backend/webgpu-addn.js";
import { releaseWebGpu, webGpuLimits } from "../../src/runtime/backend/webgpu-backend.js";
import { Rng } from "../../src/runtime/random.js";

interface Input {
  shape: number[];
  /** Integers in [0, ints) (indices), else standard normal floats. */
  ints?: number;
}
interface Case {
  name: string;
  inputs: Input[];
  f: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Differentiate with respect to the float inputs (default true). */
  grad?: boolean;
}

const cases: Case[] = [
  { name: "matMul", inputs: [{ shape: [33, 17] }, { shape: [17, 29] }], f: (a, b) => tf.matMul(a, b) },
  { name: "matMul transposeB (logits vs catalogue)", inputs: [{ shape: [16, 24] }, { shape: [300, 24] }], f: (a, b) => tf.matMul(a, b, false, true) },
  { name: "batched matMul (attention)", inputs: [{ shape: [4, 10, 8] }, { shape: [4, 10, 8] }], f: (a, b) => tf.matMul(a, b, false, true) },
  { name: "gather (embedding lookup)", inputs: [{ shape: [50, 12] }, { shape: [9, 7], ints: 50 }], f: (t, i) => tf.gather(t, i) },
  { name: "unsortedSegmentSum", inputs: [{ shape: [20, 6] }, { shape: [20], ints: 8 }], f: (x, s) => tf.unsortedSegmentSum(x, s as tf.Tensor1D, 8) },
  { name: "broadcast add/mul/div", inputs: [{ shape: [6, 1, 5] }, { shape: [4, 5] }], f: (a, b) => tf.div(tf.mul(tf.add(a, b), b), tf.add(tf.square(b), 1)) },
  { name: "relu, sigmoid, tanh, elu", inputs: [{ shape: [7, 9] }], f: (x) => tf.addN([tf.relu(x), tf.sigmoid(x), tf.tanh(x), tf.elu(x)]) },
  {
    name: "exp, log, sqrt, rsqrt",
    inputs: [{ shape: [40] }],
    f: (x) => tf.add(tf.exp(tf.mul(x, 0.5)), tf.rsqrt(tf.add(tf.sqrt(tf.add(tf.square(x), 1)), tf.log(tf.add(tf.abs(x), 1))))),
  },
  {
    name: "softplus, maximum, clipByValue",
    inputs: [{ shape: [30] }, { shape: [30] }],
    f: (a, b) => tf.add(tf.softplus(a), tf.clipByValue(tf.maximum(a, b), -0.5, 0.5)),
  },
  { name: "sum/mean/max over axes", inputs: [{ shape: [5, 6, 7] }], f: (x) => tf.concat([tf.sum(x, 2), tf.mean(x, 2), tf.max(x, 2)], 1) },
  {
    name: "layer norm via moments",
    inputs: [{ shape: [8, 16] }],
    f: (x) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    },
  },
  { name: "softmax, logSoftmax", inputs: [{ shape: [6, 40] }], f: (x) => tf.add(tf.softmax(x), tf.logSoftmax(x)) },
  {
    name: "softmax cross-entropy (logSumExp, oneHot)",
    inputs: [{ shape: [12, 300] }, { shape: [12], ints: 300 }],
    f: (logits, labels) => tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, tf.oneHot(labels, 300)), 1))),
  },
  { name: "concat of 12 (chunked by tfjs)", inputs: Array.from({ length: 12 }, () => ({ shape: [3, 2] })), f: (...xs) => tf.concat(xs, 1) },
  { name: "addN of 12", inputs: Array.from({ length: 12 }, () => ({ shape: [5] })), f: (...xs) => tf.addN(xs) },
  {
    name: "stack, slice, transpose, reshape",
    inputs: [{ shape: [4, 6] }, { shape: [4, 6] }],
    f: (a, b) => tf.reshape(tf.transpose(tf.slice(tf.stack([a, b]), [0, 1, 2], [2, 3, 4]), [2, 1, 0]), [4, 6]),
  },
  {
    name: "where (causal mask), tile, pad",
    inputs: [{ shape: [6, 6] }],
    f: (x) =>
      tf.pad(tf.tile(tf.where(tf.cast(tf.linalg.bandPart(tf.ones([6, 6]), -1, 0), "bool"), x, tf.fill([6, 6], -1e9)), [1, 2]), [
        [1, 0],
        [0, 1],
      ]),
  },
  { name: "l2 normalise", inputs: [{ shape: [10, 8] }], f: (x) => tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) },
  {
    name: "dropout-style mask",
    inputs: [{ shape: [9, 9] }],
    f: (x) => tf.mul(x, tf.div(tf.cast(tf.greater(tf.sin(tf.reshape(tf.range(0, 81), [9, 9])), 0), "float32"), 0.8)),
  },
  { name: "cumsum", inputs: [{ shape: [5, 11] }], f: (x) => tf.cumsum(x, 1) },
  { name: "gatherND (no tfjs gradient)", inputs: [{ shape: [7, 9] }, { shape: [5, 2], ints: 7 }], f: (x, i) => tf.gatherND(x, i), grad: false },
  { name: "topk values (evaluation)", inputs: [{ shape: [4, 200] }], f: (x) => tf.topk(x, 10).values, grad: false },
  {
    name: "argMax, equal, cast (metrics)",
    inputs: [{ shape: [6, 50] }],
    f: (x) => tf.cast(tf.equal(tf.argMax(x, 1), tf.argMin(tf.neg(x), 1)), "float32"),
    grad: false,
  },
  {
    // Rounded values tie often; the first index must win, as on cpu (RQ-VAE codes from a codebook with duplicates).
    name: "argMin/argMax with ties over long rows",
    inputs: [{ shape: [40, 300] }, { shape: [3, 4, 70] }],
    f: (x, y) =>
      tf.cast(
        tf.concat([
          tf.argMin(tf.round(x), 1),
          tf.argMax(tf.round(x), -1),
          tf.reshape(tf.argMin(tf.round(y), 2), [-1]),
          tf.reshape(tf.argMax(tf.reshape(tf.round(y), [-1])), [1]),
        ]),
        "float32",
      ),
    grad: false,
  },
];

function hostInputs(c: Case, seed: number): { values: Float32Array | Int32Array; shape: number[]; dtype: "float32" | "int32" }[] {
  const rng = new Rng(seed);
  return c.inputs.map((input) => {
    const size = input.shape.reduce((a, b) => a * b, 1);
    if (input.ints !== undefined)
      return { values: Int32Array.from({ length: size }, () => rng.int(input.ints as number)), shape: input.shape, dtype: "int32" as const };
    return { values: Float32Array.from({ length: size }, () => rng.normal()), shape: input.shape, dtype: "float32" as const };
  });
}

/** Forward values, then the gradient of Σ out·w for each float input, all flattened. */
async function evaluate(c: Case, index: number): Promise<number[][]> {
  const host = hostInputs(c, 1000 + index);
  const xs = host.map((h) => tf.tensor(h.values, h.shape, h.dtype));
  const out: number[][] = [];
  const y = c.f(...xs);
  out.push(Array.from(await y.data()));
  if (c.grad !== false) {
    const floats = xs.map((x, i) => (x.dtype === "float32" ? i : -1)).filter((i) => i >= 0);
    const weights = tf.tensor(
      Float32Array.from({ length: y.size }, (_, i) => Math.cos(i)),
      y.shape,
    );
    const g = tf.grads((...fx: tf.Tensor[]) => {
      const all = xs.slice();
      floats.forEach((at, k) => (all[at] = fx[k]));
      return tf.sum(tf.mul(c.f(...all), weights));
    })(floats.map((i) => xs[i]));
    for (const t of g) out.push(Array.from(await t.data()));
    tf.dispose([...g, weights]);
  }
  tf.dispose([...xs, y]);
  return out;
}

const selected = await selectBackend("webgpu").catch((error: Error) => error);
if (selected instanceof Error) {
  console.log(JSON.stringify({ skip: selected.message.split("\n")[0] }));
} else {
  const results: { name: string; maxError: number; scale: number }[] = [];
  for (const [i, c] of cases.entries()) {
    await tf.setBackend("cpu");
    const want = await evaluate(c, i);
    await tf.setBackend("webgpu");
    const got = await evaluate(c, i);
    let maxError = 0;
    let scale = 0;
    for (let k = 0; k < want.length; k++) {
      for (let j = 0; j < want[k].length; j++) {
        maxError = Math.max(maxError, Math.abs(want[k][j] - (got[k]?.[j] ?? NaN)) || (Number.isNaN(got[k]?.[j]) ? Infinity : 0));
        scale = Math.max(scale, Math.abs(want[k][j]));
      }
    }
    results.push({ name: c.name, maxError, scale });
  }

  // addN above the per-shader input limit: force a limit of 3 so 12 inputs take a tree of chunks.
  const limits = webGpuLimits();
  installChunkedAddN(3);
  const terms = Array.from({ length: 12 }, (_, i) => tf.fill([4], i + 1));
  const chunked = Array.from(await tf.addN(terms).data());
  installChunkedAddN((limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
  tf.dispose(terms);

  // One tensor over the largest binding: the device rejects it; the read must fail with RS6010.
  let deviceError: string | null = null;
  const limit = limits?.maxStorageBufferBindingSize ?? 0;
  if (limit > 0 && limit <= 2 ** 28) {
    const big = tf.fill([limit / 4 + 1024], 1);
    const doubled = tf.mul(big, 2);
    try {
      await tf.slice(doubled, [0], [4]).data();
    } catch (error) {
      deviceError = `${(error as { code?: string }).code ?? ""} ${(error as Error).message}`;
    }
    tf.dispose([big, doubled]);
  }
  console.log(JSON.stringify({ adapter: selected.matmul, cases: results, chunked, deviceError, limit }));
  releaseWebGpu();
}
