import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blockKeys, sharedCopy, sharedSummary, shareTrained } from "../../../src/runtime/program/shared-blocks.js";

const data = { name: "data", attributes: { seed: 1 } };
const teacher = { name: "teacher", attributes: { width: 64 }, dependsOn: ["data"] };
const student = { name: "student", attributes: { width: 16 }, dependsOn: ["teacher"] };

describe("blockKeys", () => {
  it("gives equal keys to equal blocks with equal dependencies", () => {
    const a = blockKeys([data, teacher, student]);
    const b = blockKeys([data, teacher, { ...student, attributes: { width: 8 } }]);
    expect(a.get("teacher")).toBe(b.get("teacher"));
    expect(a.get("student")).not.toBe(b.get("student"));
  });

  it("changes a block's key when anything it depends on changes, however deep", () => {
    const a = blockKeys([data, teacher, student]);
    const b = blockKeys([{ ...data, attributes: { seed: 2 } }, teacher, student]);
    expect(a.get("teacher")).not.toBe(b.get("teacher"));
    expect(a.get("student")).not.toBe(b.get("student"));
  });
});

describe("shareTrained / sharedCopy", () => {
  it("finds a block only after its copy is complete, with the summary it was shared with", () => {
    const root = mkdtempSync(join(tmpdir(), "recspec-shared-"));
    const shared = { dir: join(root, "shared"), keys: blockKeys([data, teacher]) };
    expect(sharedCopy(shared, "teacher")).toBeNull();
    const trained = join(root, "trained");
    mkdirSync(trained);
    writeFileSync(join(trained, "weights.bin"), "w");
    shareTrained(shared, "teacher", trained, { steps: 7 });
    const copy = sharedCopy(shared, "teacher");
    expect(copy).not.toBeNull();
    expect(sharedSummary<{ steps: number }>(copy!)).toEqual({ steps: 7 });
    // Without an experiment nothing is shared.
    expect(sharedCopy(undefined, "teacher")).toBeNull();
  });
});
