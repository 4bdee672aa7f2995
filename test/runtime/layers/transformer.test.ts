import * as tf from "@tensorflow/tfjs-core";
import "./register-gradients.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import { headDimOf, transformerDecoder, transformerEncoder, type TransformerConfig } from "../../../src/runtime/layers/transformer.js";
import { Rng } from "../../../src/runtime/random.js";

beforeAll(useCpuBackend);
let params: ParamStore;
afterEach(() => params.dispose());

const small: TransformerConfig = {
  layers: 2,
  heads: 2,
  dModel: 16,
  dFF: 32,
  dropout: 0.1,
  activation: "gelu",
};
const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);
const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe("transformerEncoder", () => {
  it("keeps the shape and has the hand-counted parameters", () => {
    params = new ParamStore(0);
    const y = transformerEncoder(randn([2, 6, 16], 1), params, small);
    expect(y.shape).toEqual([2, 6, 16]);
    // Per layer: attention 4·(16·16 + 16) = 1088, FFN 16·32 + 32 + 32·16 + 16 = 1072, 2 norms 64.
    expect(params.count()).toBe(2 * (1088 + 1072 + 64) + 32);
    expect(params.has("final_norm/gamma")).toBe(true);
    expect(params.has("layer1/self_attention/query/kernel")).toBe(true);
  });

  it("derives or takes the head width", () => {
    expect(headDimOf(small)).toBe(8);
    expect(headDimOf({ ...small, heads: 6, headDim: 64 })).toBe(64);
    expect(() => headDimOf({ ...small, heads: 3 })).toThrow(/headDim/);
  });

  it("is causal when asked: position t ignores inputs after t", () => {
    params = new ParamStore(1);
    const config = { ...small, causal: true };
    const x = randn([2, 5, 16], 2);
    const changed = tf.concat([tf.slice(x, [0, 0, 0], [2, 2, 16]), randn([2, 3, 16], 3)], 1);
    const a = transformerEncoder(x, params, config);
    const b = transformerEncoder(changed, params, config);
    expectTensorsClose(tf.slice(b, [0, 0, 0], [2, 2, 16]), tf.slice(a, [0, 0, 0], [2, 2, 16]), 1e-5);
    expect(maxAbsDiff(tf.slice(a, [0, 2, 0], [2, 3, 16]), tf.slice(b, [0, 2, 0], [2, 3, 16]))).toBeGreaterThan(1e-3);
  });

  it("ignores padded positions when computing real ones", () => {
    params = new ParamStore(2);
    const mask = tf.tensor2d([
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
    const x = randn([2, 4, 16], 4);
    const changed = tf.add(x, tf.mul(randn([2, 4, 16], 5), tf.expandDims(tf.sub(1, mask), 2)));
    const a = transformerEncoder(x, params, small, { paddingMask: mask });
    const b = transformerEncoder(changed, params, small, { paddingMask: mask });
    expectTensorsClose(tf.mul(b, tf.expandDims(mask, 2)), tf.mul(a, tf.expandDims(mask, 2)), 1e-5);
  });

  it("post-LN ends each layer with a plain layer norm and has no final norm", () => {
    params = new ParamStore(3);
    const y = transformerEncoder(randn([2, 3, 16], 6), params, { ...small, norm: "post" });
    expect(params.has("final_norm/gamma")).toBe(false);
    const { mean, variance } = tf.moments(y, 2);
    expectTensorsClose(mean, tf.zeros([2, 3]), 1e-5);
    expectTensorsClose(variance, tf.ones([2, 3]), 1e-3);
  });

  it("leaks nothing in a training forward pass once built", async () => {
    params = new ParamStore(4);
    const x = randn([2, 4, 16], 7);
    const mask = tf.tensor2d([
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
    transformerEncoder(x, params, small).dispose();
    await expectNoLeakedTensors(() =>
      tf.tidy(() => {
        transformerEncoder(x, params, { ...small, causal: true }, { paddingMask: mask }, { training: true, rng: new Rng(1) });
      }),
    );
  });
});

describe("transformerDecoder", () => {
  const tiger: TransformerConfig = {
    layers: 2,
    heads: 6,
    headDim: 8,
    dModel: 16,
    dFF: 32,
    dropout: 0.1,
  };

  it("gives [B, Tt, dModel] with heads × headDim ≠ dModel", () => {
    params = new ParamStore(5);
    const memory = randn([2, 7, 16], 8);
    const y = transformerDecoder(randn([2, 4, 16], 9), memory, params, tiger);
    expect(y.shape).toEqual([2, 4, 16]);
    expect(params.has("layer0/cross_attention/key/kernel")).toBe(true);
    expect(
      params
        .scope("layer0")
        .scope("cross_attention")
        .get("key/kernel", [16, 48], () => new Float32Array()).shape,
    ).toEqual([16, 48]);
  });

  it("is causal in its own positions and respects the memory padding", () => {
    params = new ParamStore(6);
    const memory = randn([1, 5, 16], 10);
    const memoryPaddingMask = tf.tensor2d([[1, 1, 1, 0, 0]]);
    const x = randn([1, 4, 16], 11);
    const masks = { memoryPaddingMask };
    const base = transformerDecoder(x, memory, params, tiger, masks);
    const future = tf.concat([tf.slice(x, [0, 0, 0], [1, 2, 16]), randn([1, 2, 16], 12)], 1);
    expectTensorsClose(tf.slice(transformerDecoder(future, memory, params, tiger, masks), [0, 0, 0], [1, 2, 16]), tf.slice(base, [0, 0, 0], [1, 2, 16]), 1e-5);
    const paddedChanged = tf.concat([tf.slice(memory, [0, 0, 0], [1, 3, 16]), randn([1, 2, 16], 13)], 1);
    expectTensorsClose(transformerDecoder(x, paddedChanged, params, tiger, masks), base, 1e-5);
    const realChanged = tf.concat([randn([1, 1, 16], 14), tf.slice(memory, [0, 1, 0], [1, 4, 16])], 1);
    expect(maxAbsDiff(transformerDecoder(x, realChanged, params, tiger, masks), base)).toBeGreaterThan(1e-3);
  });
});

describe("gradients", () => {
  it("reach every parameter of an encoder–decoder stack in training", () => {
    params = new ParamStore(7);
    const src = randn([2, 5, 16], 15);
    const tgt = randn([2, 3, 16], 16);
    const srcMask = tf.tensor2d([
      [1, 1, 1, 1, 0],
      [1, 1, 1, 1, 1],
    ]);
    const rng = new Rng(3);
    const loss = () =>
      tf.tidy(() => {
        const ctx = { training: true, rng };
        const memory = transformerEncoder(src, params.scope("encoder"), small, { paddingMask: srcMask }, ctx);
        const out = transformerDecoder(tgt, memory, params.scope("decoder"), small, { memoryPaddingMask: srcMask }, ctx);
        return tf.mean(tf.square(tf.sub(out, 0.5))) as tf.Scalar;
      });
    loss().dispose(); // build
    const variables = [...params.variables().values()];
    // Encoder layer: 8 attention + 4 FFN + 4 norm; decoder layer: 16 attention + 4 FFN + 6 norm; 2 final norms.
    expect(variables.length).toBe(2 * 16 + 2 + 2 * 26 + 2);
    const { value, grads } = tf.variableGrads(loss, variables);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const [name, v] of params.variables()) {
      const g = grads[v.name];
      expect(g, name).toBeDefined();
      expect(g.shape, name).toEqual(v.shape);
      expect(tf.max(tf.abs(g)).dataSync()[0], name).toBeGreaterThan(0);
    }
  });
});
