import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useCpuBackend } from "../../helpers/tf.js";
import { fans, glorotUniform, normal, ones, truncatedNormal, uniform, zeros } from "../../../src/runtime/layers/initializers.js";
import { ParamStore } from "../../../src/runtime/layers/params.js";
import { Rng } from "../../../src/runtime/random.js";

beforeAll(useCpuBackend);

describe("ParamStore", () => {
  it("gives the same values for the same seed and name, whatever the creation order", () => {
    const a = new ParamStore(42);
    const b = new ParamStore(42);
    const a1 = a.get("x", [3, 4], glorotUniform());
    a.get("y", [5], normal(1));
    b.get("y", [5], normal(1));
    b.get("z", [2, 2], normal(1));
    const b1 = b.get("x", [3, 4], glorotUniform());
    expect(Array.from(a1.dataSync())).toEqual(Array.from(b1.dataSync()));
    const other = new ParamStore(43).get("x", [3, 4], glorotUniform());
    expect(Array.from(other.dataSync())).not.toEqual(Array.from(a1.dataSync()));
    const sibling = a.get("w", [3, 4], glorotUniform());
    expect(Array.from(sibling.dataSync())).not.toEqual(Array.from(a1.dataSync()));
    a.dispose();
    b.dispose();
  });

  it("returns the same variable on a second get and rejects a different shape", () => {
    const p = new ParamStore(1);
    const v = p.get("k", [2, 3], zeros());
    expect(p.get("k", [2, 3], ones())).toBe(v);
    expect(Array.from(v.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => p.get("k", [3, 2], zeros())).toThrow(/shape/);
    expect(() => p.get("bad", [0, 2], zeros())).toThrow(/bad shape/);
    p.dispose();
  });

  it("prefixes names in scopes, lists them sorted and counts parameters", () => {
    const p = new ParamStore(1);
    const enc = p.scope("enc");
    enc.scope("l1").get("kernel", [4, 3], zeros());
    enc.get("bias", [3], zeros());
    p.get("head", [3, 2], zeros());
    expect(enc.has("bias")).toBe(true);
    expect(p.has("bias")).toBe(false);
    expect([...p.variables().keys()]).toEqual(["enc/bias", "enc/l1/kernel", "head"]);
    expect([...enc.variables().keys()]).toEqual(["enc/bias", "enc/l1/kernel"]);
    expect(p.count()).toBe(12 + 3 + 6);
    expect(enc.count()).toBe(15);
    // Values depend on the full name, so a scoped "kernel" is seeded like "enc/l1/kernel".
    const direct = new ParamStore(7).get("enc/l1/kernel", [2, 2], normal(1));
    const scoped = new ParamStore(7).scope("enc").scope("l1").get("kernel", [2, 2], normal(1));
    expect(Array.from(scoped.dataSync())).toEqual(Array.from(direct.dataSync()));
    expect(() => p.scope("a/b")).toThrow();
    p.dispose();
  });

  it("frees its tensors on dispose, a scope freeing only its own", () => {
    const before = tf.memory().numTensors;
    const p = new ParamStore(3);
    p.scope("a").get("w", [2], zeros());
    p.get("v", [2], zeros());
    expect(tf.memory().numTensors).toBe(before + 2);
    p.scope("a").dispose();
    expect([...p.variables().keys()]).toEqual(["v"]);
    expect(tf.memory().numTensors).toBe(before + 1);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(p.count()).toBe(0);
  });

  it("can create non-trainable variables", () => {
    const p = new ParamStore(3, { trainable: false });
    expect(p.get("w", [2], zeros()).trainable).toBe(false);
    p.dispose();
  });
});

describe("initialisers", () => {
  it("computes fans like Keras", () => {
    expect(fans([3, 5])).toEqual([3, 5]);
    expect(fans([7])).toEqual([7, 7]);
    expect(fans([2, 3, 4])).toEqual([6, 8]);
  });

  it("keeps glorot and uniform draws in their bounds", () => {
    const g = glorotUniform()([20, 30], new Rng(1));
    const limit = Math.sqrt(6 / 50);
    expect(g.length).toBe(600);
    expect(Math.max(...g)).toBeLessThanOrEqual(limit);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...g)).toBeGreaterThan(limit * 0.9);
    const u = uniform(0.1)([1000], new Rng(2));
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(0.1);
  });

  it("draws normals with the requested spread and truncates at two std", () => {
    const n = normal(0.5)([20000], new Rng(3));
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const std = Math.sqrt(n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.02);
    const t = truncatedNormal(0.5)([20000], new Rng(4));
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(1.0000001);
  });

  it("fills zeros and ones", () => {
    expect(Array.from(zeros()([2, 2], new Rng(0)))).toEqual([0, 0, 0, 0]);
    expect(Array.from(ones()([3], new Rng(0)))).toEqual([1, 1, 1]);
  });
});
