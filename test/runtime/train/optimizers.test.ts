import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeBlas, type NativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { patchWasmBackend } from "../../../src/runtime/backend/wasm-kernels.js";
import { FUSED_ADAM } from "../../../src/runtime/backend/native-adam-kernel.js";
import { createOptimizer, type OptimizerConfig } from "../../../src/runtime/train/optimizers.js";
import { expectNoLeakedTensors, expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// Every test: w = [1, -2], gradient [0.5, -1] at step 1 and [0.1, 0.2] at step 2, lr 0.1.
const G1 = [0.5, -1];
const G2 = [0.1, 0.2];

/** Runs two steps of the optimizer on a fresh w and returns w after each step. */
function twoSteps(config: OptimizerConfig, l2 = 0): number[][] {
  const w = tf.variable(tf.tensor1d([1, -2]));
  const vars = new Map([["w", w]]);
  const opt = createOptimizer(config);
  const after: number[][] = [];
  for (const g of [G1, G2]) {
    // l2 adds the L2 penalty's gradient l2·w to g (the "Adam + L2" baseline).
    const grad = tf.tidy(() => tf.add(tf.tensor1d(g), tf.mul(w, l2)));
    opt.step(new Map([["w", grad]]), vars, 0.1);
    grad.dispose();
    after.push(Array.from(w.dataSync()));
  }
  opt.dispose();
  w.dispose();
  return after;
}

describe("adam", () => {
  it("matches hand-computed first two steps", () => {
    const [s1, s2] = twoSteps({ name: "adam", lr: 0.1 });
    // Step 1: m̂ = g, v̂ = g², so the step is lr·sign(g): w = [0.9, -1.9].
    expectTensorsClose(s1, [0.9, -1.9], 1e-6);
    // Step 2: m = [0.055, -0.07], v = [0.00025975, 0.001039], m̂ = m/0.19, v̂ = v/0.001999
    // → m̂/√v̂ = [0.80304, -0.51102]; w = [0.9 - 0.080304, -1.9 + 0.051102].
    expectTensorsClose(s2, [0.8196959, -1.8488974], 1e-6);
  });
});

describe("adamw", () => {
  it("matches hand-computed first two steps with decoupled decay", () => {
    const [s1, s2] = twoSteps({ name: "adamw", lr: 0.1, weightDecay: 0.1 });
    // Step 1: w − lr·(sign(g) + wd·w) = [1 − 0.1·(1 + 0.1), −2 − 0.1·(−1 − 0.2)].
    expectTensorsClose(s1, [0.89, -1.88], 1e-6);
    // Step 2: same Adam direction as above, plus wd·w on w after step 1.
    expectTensorsClose(s2, [0.89 - 0.1 * (0.80304 + 0.089), -1.88 - 0.1 * (-0.511026 - 0.188)], 1e-5);
    expectTensorsClose(s2, [0.8007959, -1.8100974], 1e-6);
  });

  it("differs from Adam with an L2 term in the gradient, which Adam's scaling cancels", () => {
    const adamL2 = twoSteps({ name: "adam", lr: 0.1 }, 0.1);
    const adamw = twoSteps({ name: "adamw", lr: 0.1, weightDecay: 0.1 });
    // Adam + L2: step 1 is still lr·sign(g + wd·w): the decay has no effect on it at all.
    expectTensorsClose(adamL2[0], [0.9, -1.9], 1e-6);
    expectTensorsClose(adamL2[1], [0.8136483, -1.8336169], 1e-6);
    expect(Math.abs(adamw[0][0] - adamL2[0][0])).toBeGreaterThan(0.009);
  });

  it("defaults weight decay to 0.01 and refuses it on other optimizers", () => {
    const [s1] = twoSteps({ name: "adamw", lr: 0.1 });
    expectTensorsClose(s1, [1 - 0.1 * (1 + 0.01), -2 - 0.1 * (-1 - 0.02)], 1e-6);
    expect(() => createOptimizer({ name: "adam", lr: 0.1, weightDecay: 0.1 })).toThrow(/adamw/);
  });
});

describe("adagrad", () => {
  it("matches hand-computed first two steps (accumulator starts at 0.1)", () => {
    const [s1, s2] = twoSteps({ name: "adagrad", lr: 0.1 });
    // acc = [0.1 + 0.25, 0.1 + 1] = [0.35, 1.1]; w = [1 − 0.05/√0.35, −2 + 0.1/√1.1].
    expectTensorsClose(s1, [1 - 0.05 / Math.sqrt(0.35), -2 + 0.1 / Math.sqrt(1.1)], 1e-6);
    expectTensorsClose(s1, [0.9154846, -1.9046538], 1e-6);
    // acc = [0.36, 1.14]; w −= 0.1·[0.1/0.6, 0.2/√1.14].
    expectTensorsClose(s2, [0.8988179, -1.9233855], 1e-6);
  });

  it("honours initialAccumulator", () => {
    const [s1] = twoSteps({ name: "adagrad", lr: 0.1, initialAccumulator: 0 });
    // acc = g², so the first step is lr·sign(g).
    expectTensorsClose(s1, [0.9, -1.9], 1e-6);
  });
});

describe("sgd", () => {
  it("plain: w − lr·g", () => {
    const [s1, s2] = twoSteps({ name: "sgd", lr: 0.1 });
    expectTensorsClose(s1, [0.95, -1.9], 1e-6);
    expectTensorsClose(s2, [0.94, -1.92], 1e-6);
  });

  it("with momentum 0.9: b = 0.9·b + g, w − lr·b", () => {
    const [s1, s2] = twoSteps({ name: "sgd", lr: 0.1, momentum: 0.9 });
    // b1 = [0.5, -1]; b2 = [0.45 + 0.1, -0.9 + 0.2] = [0.55, -0.7].
    expectTensorsClose(s1, [0.95, -1.9], 1e-6);
    expectTensorsClose(s2, [0.895, -1.83], 1e-6);
  });

  it("with nesterov momentum: w − lr·(g + μ·b)", () => {
    const [s1] = twoSteps({ name: "sgd", lr: 0.1, momentum: 0.9, nesterov: true });
    // b1 = g, so the step is lr·1.9·g.
    expectTensorsClose(s1, [1 - 0.095, -2 + 0.19], 1e-6);
  });
});

describe("optimizer state", () => {
  for (const name of ["adam", "adamw", "adagrad", "sgd"] as const) {
    it(`${name}: state() and loadState() continue exactly where it left off`, async () => {
      const config: OptimizerConfig = { name, lr: 0.1, momentum: name === "sgd" ? 0.9 : undefined };
      const w = tf.variable(tf.tensor1d([1, -2]));
      const vars = new Map([["w", w]]);
      const g1 = tf.tensor1d(G1);
      const g2 = tf.tensor1d(G2);
      const a = createOptimizer(config);
      a.step(new Map([["w", g1]]), vars, 0.1);
      const saved = a.state();
      expect(saved.get("step")!.dataSync()[0]).toBe(1);
      expect(saved.get("step")!.dtype).toBe("int32");
      const w1 = w.clone();
      a.step(new Map([["w", g2]]), vars, 0.1);
      const continued = Array.from(w.dataSync());

      w.assign(w1);
      const b = createOptimizer(config);
      await b.loadState(saved);
      expect(b.steps).toBe(1);
      b.step(new Map([["w", g2]]), vars, 0.1);
      expect(Array.from(w.dataSync())).toEqual(continued);

      for (const t of saved.values()) t.dispose();
      tf.dispose([w, w1, g1, g2]);
      a.dispose();
      b.dispose();
    });
  }

  it("rejects state from a different optimizer", async () => {
    const s = new Map<string, tf.Tensor>([
      ["step", tf.scalar(1, "int32")],
      ["w/accum", tf.zeros([2])],
    ]);
    const adam = createOptimizer({ name: "adam", lr: 0.1 });
    await expect(adam.loadState(s)).rejects.toThrow(/does not belong to adam/);
    tf.dispose([...s.values()]);
  });

  it("loadState leaves no tensors behind once the caller disposes the state", async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const g = tf.tensor1d(G1);
    const source = createOptimizer({ name: "adam", lr: 0.1 });
    source.step(new Map([["w", g]]), new Map([["w", w]]), 0.1);
    await expectNoLeakedTensors(async () => {
      const saved = source.state();
      const restored = createOptimizer({ name: "adam", lr: 0.1 });
      await restored.loadState(saved);
      tf.dispose([...saved.values()]);
      restored.step(new Map([["w", g]]), new Map([["w", w]]), 0.1);
      restored.dispose();
    });
    source.dispose();
    tf.dispose([w, g]);
  });

  it("leaves no tensors behind after steps and dispose", async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const g = tf.tensor1d(G1);
    await expectNoLeakedTensors(() => {
      for (const name of ["adam", "adamw", "adagrad", "sgd"] as const) {
        const opt = createOptimizer({ name, lr: 0.1, momentum: name === "sgd" ? 0.5 : undefined });
        for (let i = 0; i < 3; i++) opt.step(new Map([["w", g]]), new Map([["w", w]]), 0.1);
        opt.dispose();
      }
    });
    tf.dispose([w, g]);
  });
});

const addon = loadNativeBlas();

describe.skipIf(typeof addon === "string")("adam on wasm with the native addon: one fused kernel per variable", () => {
  beforeAll(async () => {
    await selectBackend("wasm", { native: true });
  });
  afterAll(useCpuBackend);

  it("runs the fused kernel with the addon and the elementwise ops without it", async () => {
    const kernels = async () => {
      const w = tf.variable(tf.tensor1d([1, -2]));
      const g = tf.tensor1d(G1);
      const opt = createOptimizer({ name: "adam", lr: 0.1 });
      const info = await tf.profile(() => opt.step(new Map([["w", g]]), new Map([["w", w]]), 0.1));
      opt.dispose();
      tf.dispose([w, g]);
      return info.kernelNames;
    };
    expect(await kernels()).toContain(FUSED_ADAM);
    expect(await kernels()).not.toContain("Sqrt");
    patchWasmBackend({});
    expect(await kernels()).toContain("Sqrt");
    patchWasmBackend({ native: addon as NativeBlas });
  });

  it("matches the hand-computed steps of adam and adamw", () => {
    const [a1, a2] = twoSteps({ name: "adam", lr: 0.1 });
    expectTensorsClose(a1, [0.9, -1.9], 1e-6);
    expectTensorsClose(a2, [0.8196959, -1.8488974], 1e-6);
    const [w1, w2] = twoSteps({ name: "adamw", lr: 0.1, weightDecay: 0.1 });
    expectTensorsClose(w1, [0.89, -1.88], 1e-6);
    expectTensorsClose(w2, [0.8007959, -1.8100974], 1e-6);
  });

  // [1001, 301]: more than 2^18 values, so the addon splits the update between two threads (when
  // OpenBLAS may use two), with an odd length for uneven halves.
  it.each([
    [12, 5],
    [1001, 301],
  ])("agrees with the op-by-op update on the cpu backend over 5 steps of a [%i, %i] variable", async (rows, cols) => {
    const size = rows * cols;
    const run = async (backend: "cpu" | "wasm") => {
      await tf.setBackend(backend);
      const w = tf.variable(
        tf.tensor2d(
          Array.from({ length: size }, (_, i) => Math.sin(i)),
          [rows, cols],
        ),
      );
      const opt = createOptimizer({ name: "adamw", lr: 0.01, weightDecay: 0.05, beta2: 0.98 });
      for (let t = 0; t < 5; t++) {
        const g = tf.tensor2d(
          Array.from({ length: size }, (_, i) => Math.cos(i * (t + 1)) * 10 ** ((i % 5) - 3)),
          [rows, cols],
        );
        opt.step(new Map([["w", g]]), new Map([["w", w]]), 0.01);
        g.dispose();
      }
      const state = opt.state();
      const out = [Array.from(w.dataSync()), Array.from(state.get("w/m")!.dataSync()), Array.from(state.get("w/v")!.dataSync())];
      tf.dispose([w, ...state.values()]);
      opt.dispose();
      return out;
    };
    const cpu = await run("cpu");
    const wasm = await run("wasm");
    cpu.forEach((values, i) => expectTensorsClose(wasm[i], values, 1e-6));
  });

  it("updates in place only buffers no other tensor shares: a clone taken before a step keeps its values", () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const g = tf.tensor1d(G1);
    const opt = createOptimizer({ name: "adam", lr: 0.1 });
    opt.step(new Map([["w", g]]), new Map([["w", w]]), 0.1); // w now owns its buffer alone
    const snapshot = w.clone(); // shares w's buffer
    const moments = opt.state(); // clones share m and v
    const before = [Array.from(snapshot.dataSync()), Array.from(moments.get("w/m")!.dataSync())];
    opt.step(new Map([["w", g]]), new Map([["w", w]]), 0.1);
    expect([Array.from(snapshot.dataSync()), Array.from(moments.get("w/m")!.dataSync())]).toEqual(before);
    expect(Array.from(w.dataSync())).not.toEqual(before[0]);
    tf.dispose([w, g, snapshot, ...moments.values()]);
    opt.dispose();
  });

  it("leaves no tensors behind", async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const g = tf.tensor1d(G1);
    await expectNoLeakedTensors(() => {
      const opt = createOptimizer({ name: "adam", lr: 0.1 });
      for (let i = 0; i < 3; i++) opt.step(new Map([["w", g]]), new Map([["w", w]]), 0.1);
      opt.dispose();
    });
    tf.dispose([w, g]);
  });
});
