// Forward + backward, on wasm vs cpu, of every op a transformer or embedding model trains through.
// A kernel missing on wasm shows up here as a thrown "not registered" error naming it.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { matMulLast, safeCumsum, sliceLast, stopGradient } from "../../../src/runtime/backend/ops.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { expectSameResults, intHost, onBoth, randomHost } from "./compare-backends.js";

beforeAll(async () => {
  await selectBackend("wasm");
});

/** Gradient of sum(f(x) * fixed weights) with respect to x, plus f(x) itself. */
function valueAndGrad(f: (x: tf.Tensor) => tf.Tensor) {
  return (x: tf.Tensor) => {
    const y = f(x);
    const w = tf.sin(tf.reshape(tf.range(0, y.size, 1, "float32"), y.shape));
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), w)))(x);
    return [y, g];
  };
}

const unary: [string, (x: tf.Tensor) => tf.Tensor][] = [
  ["softmax", (x) => tf.softmax(x)],
  ["logSoftmax", (x) => tf.logSoftmax(x)],
  [
    "layer norm (moments, rsqrt)",
    (x) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
    },
  ],
  ["erf", (x) => tf.erf(x)],
  ["tanh", (x) => tf.tanh(x)],
  ["sigmoid", (x) => tf.sigmoid(x)],
  ["relu", (x) => tf.relu(x)],
  ["elu", (x) => tf.elu(x)],
  ["selu", (x) => tf.selu(x)],
  ["softplus", (x) => tf.softplus(x)],
  ["exp/log", (x) => tf.log(tf.add(tf.exp(x), 1))],
  ["sqrt/abs", (x) => tf.sqrt(tf.add(tf.abs(x), 0.1))],
  ["pow", (x) => tf.pow(tf.add(tf.abs(x), 0.5), tf.scalar(1.5))],
  ["cumsum (last axis)", (x) => safeCumsum(x, -1)],
  ["cumsum reverse exclusive", (x) => safeCumsum(x, 1, true, true)],
  ["max", (x) => tf.max(x, -1)],
  ["min", (x) => tf.min(x, 0)],
  ["maximum/minimum", (x) => tf.maximum(tf.minimum(x, 0.5), -0.5)],
  // tfjs's Prod gradient breaks on a negative axis (it builds a transpose with -1), so axis 1.
  ["prod", (x) => tf.prod(tf.add(x, 2), 1)],
  ["mean/sum", (x) => tf.add(tf.mean(x, 0), tf.sum(x, 0))],
  ["mod", (x) => tf.mod(tf.add(x, 10), tf.scalar(3))],
  ["floorDiv-masked", (x) => tf.mul(x, tf.floorDiv(tf.add(tf.abs(x), 1), tf.scalar(1)))],
  // Comparisons have no gradient in tfjs; stopGradient on the condition's input keeps the tape
  // from trying to differentiate through them.
  ["where/greater", (x) => tf.where(tf.greater(stopGradient(x), 0), x, tf.mul(x, 0.1))],
  ["slice/concat", (x) => tf.concat([sliceLast(x, 3), sliceLast(x, 0, 3)], -1)],
  ["transpose/reshape", (x) => tf.reshape(tf.transpose(x), [-1])],
  ["clipByValue", (x) => tf.clipByValue(x, -0.5, 0.5)],
  // Same-shape operands: tfjs's SquaredDifference gradient does not reduce broadcast inputs.
  ["squaredDifference", (x) => tf.squaredDifference(x, tf.reverse(x, 1))],
  [
    "expandDims/tile/pad",
    (x) =>
      tf.pad(tf.tile(tf.expandDims(x, 0), [2, 1, 1]), [
        [0, 0],
        [1, 0],
        [0, 2],
      ]),
  ],
  ["stack/unstack", (x) => tf.stack(tf.unstack(x, 1).reverse(), 1)],
];

describe("training ops on patched wasm agree with cpu", () => {
  for (const [name, f] of unary) {
    it(name, async () => {
      const [wasm, cpu] = await onBoth([randomHost([4, 6], 11)], valueAndGrad(f));
      expectSameResults(wasm, cpu, 1e-4);
    });
  }

  it("argMax, oneHot and topk run (no gradient needed)", async () => {
    const [wasm, cpu] = await onBoth([randomHost([4, 6], 12)], (x) => [tf.argMax(x, -1), tf.oneHot(tf.argMax(x, -1), 6), tf.topk(x, 2).values]);
    expectSameResults(wasm, cpu, 0);
  });

  it("a tiny transformer block with embeddings: loss and every parameter gradient", async () => {
    const V = 11,
      T = 5,
      D = 8,
      B = 3;
    const inputs = [
      intHost([1, 4, 4, 9, 0, 2, 3, 10, 10, 10, 5, 6, 7, 8, 1], [B, T]),
      intHost([4, 9, 0, 2, 3, 10, 10, 10, 5, 6, 7, 8, 1, 2, 3], [B, T]),
      randomHost([V, D], 21),
      randomHost([D, D], 22),
      randomHost([D, D], 23),
      randomHost([D, D], 24),
      randomHost([D], 25),
      randomHost([D, V], 26),
    ];
    const [wasm, cpu] = await onBoth(inputs, (tokens, targets, emb, wq, wk, wv, gamma, wout) => {
      const loss = (e: tf.Tensor, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, g: tf.Tensor, o: tf.Tensor) => {
        const x = tf.gather(e, tokens); // [B,T,D]
        const qs = matMulLast(x, q as tf.Tensor2D);
        const ks = matMulLast(x, k as tf.Tensor2D);
        const vs = matMulLast(x, v as tf.Tensor2D);
        const scores = tf.div(tf.matMul(qs, ks, false, true), Math.sqrt(D)); // [B,T,T]
        const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9);
        const attn = tf.softmax(tf.add(scores, mask));
        const h = tf.add(x, tf.matMul(attn, vs));
        const { mean, variance } = tf.moments(h, -1, true);
        const normed = tf.mul(tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, 1e-5))), g);
        const act = tf.mul(normed, tf.mul(0.5, tf.add(1, tf.erf(tf.div(normed, Math.SQRT2)))));
        const logits = matMulLast(act, o as tf.Tensor2D); // [B,T,V]
        const logp = tf.logSoftmax(logits);
        const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, V)), -1);
        return tf.neg(tf.mean(picked));
      };
      const params = [emb, wq, wk, wv, gamma, wout].map((p) => tf.variable(p));
      const { value, grads } = tf.variableGrads(
        () => loss(...(params as unknown as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])) as tf.Scalar,
        params,
      );
      tf.dispose(params);
      return [value, ...Object.values(grads)];
    });
    expect(wasm).toHaveLength(7);
    expect(Number.isFinite(wasm[0].values[0])).toBe(true);
    expectSameResults(wasm, cpu, 1e-4);
  });
});
