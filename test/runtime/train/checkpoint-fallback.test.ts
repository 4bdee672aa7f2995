// Resuming past damaged checkpoints: a corrupt newest checkpoint (same size, bad checksum) is set
// aside and the older complete one is used; a save that fails leaves no temp directory behind.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { checkpointProblem, latestUsableCheckpoint, saveCheckpoint } from "../../../src/runtime/train/checkpoint.js";
import { useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

const save = (dir: string, step: number) =>
  saveCheckpoint(dir, step, { weights: new Map([["w", tf.tensor1d([step, step + 1, step + 2])]]), state: { step } }, { keep: 3 });

describe("latestUsableCheckpoint", () => {
  it("sets a corrupt newest checkpoint aside and gives the older one, saying why", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-fallback-"));
    await save(dir, 5);
    await save(dir, 10);
    const file = path.join(dir, "ckpt-10", "weights.bin");
    const bytes = fs.readFileSync(file);
    bytes[4] ^= 0x01;
    fs.writeFileSync(file, bytes);
    expect(checkpointProblem(path.join(dir, "ckpt-10"))).toBe("weights.bin does not match its checksum");
    const seen: string[] = [];
    expect(latestUsableCheckpoint(dir, (bad, reason) => seen.push(`${path.basename(bad)}: ${reason}`))).toBe(path.join(dir, "ckpt-5"));
    expect(seen).toEqual(["ckpt-10: weights.bin does not match its checksum"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["ckpt-10.corrupt", "ckpt-5"]);
    // Set aside once: the next look finds the good one without a word.
    expect(latestUsableCheckpoint(dir, () => seen.push("again"))).toBe(path.join(dir, "ckpt-5"));
    expect(seen).toHaveLength(1);
  });

  it("gives null when every checkpoint is corrupt", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-fallback-"));
    await save(dir, 3);
    fs.writeFileSync(
      path.join(dir, "ckpt-3", "training-state.json"),
      fs.readFileSync(path.join(dir, "ckpt-3", "training-state.json"), "utf8").replace("3", "4"),
    );
    expect(latestUsableCheckpoint(dir)).toBeNull();
  });
});

describe("saveCheckpoint", () => {
  it("removes its temp directory when the save fails", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-fallback-"));
    const bad = new Map([["s", tf.tensor1d(["a"], "string")]]);
    await expect(saveCheckpoint(dir, 7, { weights: bad, state: {} })).rejects.toThrow(/only float32, int32 and bool are saved/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
