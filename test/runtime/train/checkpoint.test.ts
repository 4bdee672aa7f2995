import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  decodeWeights,
  encodeWeights,
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  loadWeights,
  saveCheckpoint,
  saveWeights,
} from "../../../src/runtime/train/checkpoint.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-ckpt-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function bits(t: tf.Tensor): number[] {
  const v = t.dataSync() as Float32Array | Int32Array;
  return Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));
}

function sample(): Map<string, tf.Tensor> {
  return new Map<string, tf.Tensor>([
    [
      "encoder/layer0/attn/wq",
      tf.tensor2d([
        [0.1, -1e-30],
        [3.4028234e38, NaN],
      ]),
    ],
    ["encoder/bias", tf.tensor1d([Math.PI, -0, Infinity])],
    ["counts", tf.tensor1d([7, -3], "int32")],
  ]);
}

describe("weights encoding", () => {
  it("writes little-endian float32 in manifest order", async () => {
    const t = new Map<string, tf.Tensor>([
      ["a", tf.tensor1d([1, -2])],
      ["b", tf.scalar(0.5)],
    ]);
    const { specs, data } = await encodeWeights(t);
    expect(specs).toEqual([
      { name: "a", shape: [2], dtype: "float32" },
      { name: "b", shape: [], dtype: "float32" },
    ]);
    // 1.0f = 0x3f800000, stored least significant byte first.
    expect(Array.from(data.subarray(0, 4))).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect(data.readFloatLE(4)).toBe(-2);
    expect(data.readFloatLE(8)).toBe(0.5);
    const back = decodeWeights(specs, data);
    expect(Array.from(back.get("a")!.dataSync())).toEqual([1, -2]);
    tf.dispose([...t.values(), ...back.values()]);
  });

  it("rejects data that does not match the manifest", async () => {
    expect(() => decodeWeights([{ name: "a", shape: [3], dtype: "float32" }], new Uint8Array(8))).toThrow(/ends before "a"/);
    expect(() => decodeWeights([{ name: "a", shape: [1], dtype: "float32" }], new Uint8Array(8))).toThrow(/left over/);
  });
});

describe("checkpoints", () => {
  it("round-trips weights, tensor groups and state bit for bit", async () => {
    const weights = sample();
    const optimizer = new Map<string, tf.Tensor>([
      ["step", tf.scalar(12, "int32")],
      ["encoder/bias/m", tf.tensor1d([1e-8, 2, 3])],
    ]);
    const state = { loop: { step: 12, epoch: 1, bestMetric: null, note: "x" } };
    const ckpt = await saveCheckpoint(dir, 12, { weights, groups: { optimizer }, state });
    expect(path.basename(ckpt)).toBe("ckpt-12");
    expect(fs.readdirSync(ckpt).sort()).toEqual(["complete.json", "model.json", "optimizer.bin", "training-state.json", "weights.bin"].sort());

    const model = JSON.parse(fs.readFileSync(path.join(ckpt, "model.json"), "utf8"));
    expect(model.format).toBe("recspec-weights");
    expect(model.weightsManifest).toEqual([
      {
        paths: ["weights.bin"],
        weights: [
          { name: "encoder/layer0/attn/wq", shape: [2, 2], dtype: "float32" },
          { name: "encoder/bias", shape: [3], dtype: "float32" },
          { name: "counts", shape: [2], dtype: "int32" },
        ],
      },
    ]);
    expect(fs.statSync(path.join(ckpt, "weights.bin")).size).toBe((4 + 3 + 2) * 4);

    const loaded = loadCheckpoint(ckpt);
    expect(loaded.step).toBe(12);
    expect(loaded.state).toEqual(state);
    for (const [name, t] of weights) {
      expect(loaded.weights.get(name)!.dtype).toBe(t.dtype);
      expect(loaded.weights.get(name)!.shape).toEqual(t.shape);
      expect(bits(loaded.weights.get(name)!)).toEqual(bits(t));
    }
    expect(bits(loaded.groups!.optimizer.get("encoder/bias/m")!)).toEqual(bits(optimizer.get("encoder/bias/m")!));
    expect(loaded.groups!.optimizer.get("step")!.dataSync()[0]).toBe(12);

    // The model weights alone load through the same manifest.
    const plain = loadWeights(ckpt);
    expect(bits(plain.get("encoder/bias")!)).toEqual(bits(weights.get("encoder/bias")!));

    tf.dispose([...weights.values(), ...optimizer.values(), ...loaded.weights.values(), ...plain.values()]);
    tf.dispose([...loaded.groups!.optimizer.values()]);
  });

  it("keeps the newest N and leaves no temp directories", async () => {
    const w = new Map<string, tf.Tensor>([["w", tf.tensor1d([1])]]);
    for (const step of [1, 2, 3, 4]) await saveCheckpoint(dir, step, { weights: w, state: {} }, { keep: 2 });
    expect(fs.readdirSync(dir).sort()).toEqual(["ckpt-3", "ckpt-4"]);
    expect(listCheckpoints(dir).map((c) => c.step)).toEqual([3, 4]);
    await saveCheckpoint(dir, 5, { weights: w, state: {} });
    expect(fs.readdirSync(dir).sort()).toEqual(["ckpt-4", "ckpt-5"]);
    tf.dispose([...w.values()]);
  });

  it("replaces a checkpoint of the same step", async () => {
    const a = new Map<string, tf.Tensor>([["w", tf.tensor1d([1])]]);
    const b = new Map<string, tf.Tensor>([["w", tf.tensor1d([2])]]);
    await saveCheckpoint(dir, 3, { weights: a, state: {} });
    await saveCheckpoint(dir, 3, { weights: b, state: {} });
    const loaded = loadCheckpoint(path.join(dir, "ckpt-3"));
    expect(Array.from(loaded.weights.get("w")!.dataSync())).toEqual([2]);
    expect(fs.readdirSync(dir)).toEqual(["ckpt-3"]);
    tf.dispose([...a.values(), ...b.values(), ...loaded.weights.values()]);
  });

  it("latestCheckpoint skips temp directories, unmarked ones and ones missing files", async () => {
    expect(latestCheckpoint(dir)).toBeNull();
    expect(latestCheckpoint(path.join(dir, "missing"))).toBeNull();
    const w = new Map<string, tf.Tensor>([["w", tf.tensor1d([1, 2])]]);
    await saveCheckpoint(dir, 10, { weights: w, state: {} }, { keep: 5 });
    await saveCheckpoint(dir, 20, { weights: w, state: {} }, { keep: 5 });
    await saveCheckpoint(dir, 30, { weights: w, state: {} }, { keep: 5 });
    expect(latestCheckpoint(dir)).toBe(path.join(dir, "ckpt-30"));

    // A crash mid-write leaves a newer *.tmp directory (here a full copy, marker and all).
    fs.cpSync(path.join(dir, "ckpt-30"), path.join(dir, "ckpt-40.tmp"), { recursive: true });
    // A checkpoint that lost its weights file.
    fs.rmSync(path.join(dir, "ckpt-30", "weights.bin"));
    // One with its weights truncated.
    fs.truncateSync(path.join(dir, "ckpt-20", "weights.bin"), 4);
    // A directory with every file but no completion marker.
    fs.cpSync(path.join(dir, "ckpt-10"), path.join(dir, "ckpt-50"), { recursive: true });
    fs.rmSync(path.join(dir, "ckpt-50", "complete.json"));

    expect(latestCheckpoint(dir)).toBe(path.join(dir, "ckpt-10"));
    expect(() => loadCheckpoint(path.join(dir, "ckpt-50"))).toThrow(/incomplete/);
    tf.dispose([...w.values()]);
  });

  it("refuses to load a checkpoint whose bytes changed", async () => {
    const w = new Map<string, tf.Tensor>([["w", tf.tensor1d([1, 2])]]);
    const ckpt = await saveCheckpoint(dir, 1, { weights: w, state: {} });
    const file = path.join(ckpt, "weights.bin");
    const bytes = fs.readFileSync(file);
    bytes[0] ^= 1;
    fs.writeFileSync(file, bytes);
    expect(latestCheckpoint(dir)).toBe(ckpt); // same size: found cheaply...
    expect(() => loadCheckpoint(ckpt)).toThrow(/corrupt: weights.bin/); // ...caught on load
    tf.dispose([...w.values()]);
  });
});

describe("saveWeights", () => {
  it("writes a tfjs weights directory that loads back exactly", async () => {
    const weights = sample();
    const out = path.join(dir, "model");
    await saveWeights(out, weights);
    await saveWeights(out, weights); // replacing is fine
    expect(fs.readdirSync(out).sort()).toEqual(["model.json", "weights.bin"]);
    expect(fs.existsSync(`${out}.tmp`)).toBe(false);
    const back = loadWeights(out);
    for (const [name, t] of weights) expect(bits(back.get(name)!)).toEqual(bits(t));
    tf.dispose([...weights.values(), ...back.values()]);
  });
});
