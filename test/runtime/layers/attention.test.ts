import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { multiHeadAttention, scaledDotProductAttention, type AttentionConfig } from "../../../src/runtime/layers/attention.js";
import type { Init } from "../../../src/runtime/layers/initializers.js";
import { paddingBias } from "../../../src/runtime/layers/masks.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import { Rng } from "../../../src/runtime/random.js";

beforeAll(useCpuBackend);
let params: ParamStore;
afterEach(() => params.dispose());

const eye: Init = (shape) => {
  const out = new Float32Array(shape[0] * shape[0]);
  for (let i = 0; i < shape[0]; i++) out[i * shape[0] + i] = 1;
  return out;
};

/** One head of width 2 whose four projections are identities and have no bias. */
function identityAttention(): AttentionConfig {
  params = new ParamStore(0);
  for (const name of ["query", "key", "value", "output"]) params.scope(name).get("kernel", [2, 2], eye);
  return { numHeads: 1, headDim: 2, queryDim: 2, bias: false };
}

describe("multiHeadAttention", () => {
  it("matches a hand-computed softmax-weighted sum with identity projections", () => {
    const config = identityAttention();
    const q = tf.tensor3d([[[1, 0]]]);
    const kv = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
    ]);
    // Scores [1, 0]/√2; softmax → [0.669762, 0.330238]; output = weights · [e1; e2].
    const y = multiHeadAttention(q, kv, params, config);
    expectTensorsClose(y, tf.tensor3d([[[0.6697615, 0.3302385]]]), 1e-5);
    expect([...params.variables().keys()]).toEqual(["key/kernel", "output/kernel", "query/kernel", "value/kernel"]);
  });

  it("gives padded keys zero weight", () => {
    const config = identityAttention();
    const q = tf.tensor3d([[[1, 0]], [[0, 3]]]);
    const kv = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [2, 2],
        [0, 1],
      ],
    ]);
    const keyPaddingMask = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const y = multiHeadAttention(q, kv, params, config, { keyPaddingMask });
    expectTensorsClose(y, tf.tensor3d([[[1, 0]], [[0, 1]]]));
    // The weights themselves, via the inner function: exactly zero on padded keys.
    const qh = tf.reshape(q, [2, 1, 1, 2]);
    const kt = tf.reshape(tf.transpose(kv, [0, 2, 1]), [2, 1, 2, 2]);
    const { weights } = scaledDotProductAttention(qh, kt, tf.reshape(kv, [2, 1, 2, 2]), paddingBias(keyPaddingMask));
    expect(Array.from(weights.dataSync())).toEqual([1, 0, 0, 1]);
  });

  it("with a causal mask, output at t does not depend on inputs after t", () => {
    params = new ParamStore(1);
    const config = { numHeads: 2, headDim: 3, queryDim: 8 };
    const x = tf.randomNormal([2, 5, 8], 0, 1, "float32", 1);
    const noise = tf.concat([tf.zeros([2, 3, 8]), tf.randomNormal([2, 2, 8], 0, 1, "float32", 2)], 1);
    const a = multiHeadAttention(x, x, params, config, { causal: true });
    const b = multiHeadAttention(tf.add(x, noise), tf.add(x, noise), params, config, {
      causal: true,
    });
    expectTensorsClose(tf.slice(b, [0, 0, 0], [2, 3, 8]), tf.slice(a, [0, 0, 0], [2, 3, 8]), 1e-5);
    const later = tf.max(tf.abs(tf.sub(tf.slice(a, [0, 3, 0], [2, 2, 8]), tf.slice(b, [0, 3, 0], [2, 2, 8]))));
    expect(later.dataSync()[0]).toBeGreaterThan(1e-3);
    // Without the mask, early positions do see the change.
    const c = multiHeadAttention(tf.add(x, noise), tf.add(x, noise), params, config);
    const d = multiHeadAttention(x, x, params, config);
    expect(tf.max(tf.abs(tf.sub(tf.slice(c, [0, 0, 0], [2, 1, 8]), tf.slice(d, [0, 0, 0], [2, 1, 8])))).dataSync()[0]).toBeGreaterThan(1e-4);
  });

  it("allows heads × headDim ≠ dModel and different key widths", () => {
    params = new ParamStore(2);
    const config = { numHeads: 6, headDim: 4, queryDim: 16, keyDim: 10, dModel: 12 };
    const y = multiHeadAttention(tf.ones([3, 2, 16]), tf.ones([3, 7, 10]), params, config);
    expect(y.shape).toEqual([3, 2, 12]);
    expect(params.count()).toBe(16 * 24 + 24 + 2 * (10 * 24 + 24) + 24 * 12 + 12);
  });

  it("drops attention weights in training, deterministically", () => {
    params = new ParamStore(3);
    const config = { numHeads: 2, headDim: 4, queryDim: 8, dropout: 0.5 };
    const x = tf.randomNormal([2, 6, 8], 0, 1, "float32", 4);
    const a = multiHeadAttention(x, x, params, config, {}, { training: true, rng: new Rng(1) });
    const b = multiHeadAttention(x, x, params, config, {}, { training: true, rng: new Rng(1) });
    const inference = multiHeadAttention(x, x, params, config);
    expectTensorsClose(a, b, 0);
    expect(tf.max(tf.abs(tf.sub(a, inference))).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it("leaks nothing once built", async () => {
    params = new ParamStore(4);
    const config = { numHeads: 2, headDim: 4, queryDim: 8 };
    const x = tf.ones([2, 3, 8]);
    const mask = tf.tensor2d([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    multiHeadAttention(x, x, params, config).dispose();
    await expectNoLeakedTensors(() =>
      tf.tidy(() => {
        multiHeadAttention(x, x, params, config, { keyPaddingMask: mask, causal: true });
      }),
    );
  });
});
