// The layers must train on the wasm backend (BENCH.md): no kernels without wasm support or
// without gradients. Runs one seeded training loss through every layer family on cpu and on wasm
// and compares losses and gradients. (Embedding lookups are left out: the gradient of gather needs
// the UnsortedSegmentSum kernel that src/runtime/backend adds to wasm.)
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import "./register-gradients.js";
import { describe, expect, it } from "vitest";
import { expectTensorsClose } from "../../helpers/tf.js";
import { mlp } from "../../../src/runtime/layers/mlp.js";
import { maxInterestScores, multiInterest, targetInterestScores } from "../../../src/runtime/layers/multi-interest.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import { transformerDecoder, transformerEncoder } from "../../../src/runtime/layers/transformer.js";
import { Rng } from "../../../src/runtime/random.js";

async function lossAndGrads(backend: string): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
  await tf.setBackend(backend);
  await tf.ready();
  expect(tf.getBackend()).toBe(backend);
  const params = new ParamStore(1);
  const config = {
    layers: 1,
    heads: 2,
    dModel: 8,
    dFF: 16,
    dropout: 0.1,
    activation: "gelu" as const,
    causal: true,
  };
  const src = tf.randomNormal([2, 5, 8], 0, 1, "float32", 1);
  const tgt = tf.randomNormal([2, 3, 8], 0, 1, "float32", 2);
  const mask = tf.tensor2d([
    [1, 1, 1, 1, 0],
    [1, 1, 1, 1, 1],
  ]);
  const rng = new Rng(1);
  const loss = () =>
    tf.tidy(() => {
      const ctx = { training: true, rng };
      const memory = transformerEncoder(src, params.scope("encoder"), config, { paddingMask: mask }, ctx);
      const out = transformerDecoder(tgt, memory, params.scope("decoder"), { ...config, activation: "elu" }, { memoryPaddingMask: mask }, ctx);
      const users = multiInterest(memory, params.scope("interests"), {
        numInterests: 3,
        dim: 8,
        paddingMask: mask,
      });
      const flat = tf.reshape(out, [6, 8]);
      const retrieval = maxInterestScores(users, flat);
      const target = targetInterestScores(users, tf.reshape(tf.slice(out, [0, 0, 0], [2, 1, 8]), [2, 8]));
      const head = mlp(flat, params.scope("mlp"), { inDim: 8, sizes: [4, 1], activation: "silu", dropout: 0.2 }, ctx);
      return tf.addN([tf.mean(retrieval), tf.mean(target), tf.mean(head)]) as tf.Scalar;
    });
  loss().dispose(); // build
  const { value, grads } = tf.variableGrads(loss, [...params.variables().values()]);
  const out = new Map<string, Float32Array>();
  for (const [name, v] of params.variables()) out.set(name, grads[v.name].dataSync() as Float32Array);
  const result = { loss: value.dataSync()[0], grads: out };
  params.dispose();
  return result;
}

describe("layers on the wasm backend", () => {
  it("train, with the same loss and gradients as on cpu", async () => {
    const cpu = await lossAndGrads("cpu");
    const wasm = await lossAndGrads("wasm");
    expect(Number.isFinite(wasm.loss)).toBe(true);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4);
    expect([...wasm.grads.keys()]).toEqual([...cpu.grads.keys()]);
    for (const [name, g] of cpu.grads) expectTensorsClose(wasm.grads.get(name)!, g, 1e-3);
  });
});
