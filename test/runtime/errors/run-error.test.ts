// RunError and its subclasses: the code each failure carries (chosen by its type), the context
// outer layers add without overriding the thrower's, and the code table's range.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { UnknownBackendError } from "../../../src/runtime/backend/backend-errors.js";
import { DataError, DataFileError } from "../../../src/runtime/data/data-error.js";
import { readSourceText } from "../../../src/runtime/data/source-text.js";
import { NoRunError } from "../../../src/runtime/errors/no-run-error.js";
import { RUN_CODES } from "../../../src/runtime/errors/run-codes.js";
import { RunError } from "../../../src/runtime/errors/run-error.js";
import type { RecModel } from "../../../src/runtime/models/rec-model.js";
import { loadModel } from "../../../src/runtime/pipeline/model-weights.js";
import { checkPassFits, MemoryLimitError, passLimitBytes, WASM_HEAP_BYTES } from "../../../src/runtime/pipeline/pass-limit.js";
import { latestRun } from "../../../src/runtime/program/run.js";
import { SpecRunError } from "../../../src/runtime/spec-run-error.js";
import { NonFiniteLossError } from "../../../src/runtime/train/train-loop.js";

describe("RunError", () => {
  it("keeps the thrower's context and fills in what outer layers know", () => {
    const e = new RunError("RS6003", "diverged", { context: { step: 7, block: "inner" } });
    e.withContext({ block: "outer", spec: "a.recspec", runDir: undefined }).withContext({ spec: "b.recspec", runDir: "runs/a/1" });
    expect(e.context).toEqual({ step: 7, block: "inner", spec: "a.recspec", runDir: "runs/a/1" });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("RunError");
  });

  it("has every code in the RS6xxx range, each with a title", () => {
    for (const [code, info] of Object.entries(RUN_CODES)) {
      expect(code).toMatch(/^RS6\d{3}$/);
      expect(info.title.length).toBeGreaterThan(0);
    }
  });
});

describe("the code of each failure comes from its type", () => {
  it("a bad row is RS6001 with file, line and column; a missing file RS6002", async () => {
    const row = new DataError("events.csv", 4, "bad", 7);
    expect(row).toBeInstanceOf(RunError);
    expect([row.code, row.context]).toEqual(["RS6001", { file: "events.csv", line: 4, column: 7 }]);
    expect(row.toString()).toBe("events.csv:4:7: bad");
    expect(row.name).toBe("DataError");
    const missing = await readSourceText("/nonexistent/recspec/events.csv").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DataFileError);
    expect((missing as DataFileError).code).toBe("RS6002");
  });

  it("a missing run is RS6004 to resume and RS6005 to evaluate", () => {
    const where = "/nonexistent/recspec/runs/tiny";
    for (const [purpose, code] of [
      ["resume", "RS6004"],
      ["evaluate", "RS6005"],
    ] as const) {
      let caught: unknown;
      try {
        latestRun(where, purpose);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NoRunError);
      expect((caught as NoRunError).code).toBe(code);
      expect((caught as NoRunError).context.runDir).toBe(where);
    }
  });

  it("a run folder without a model's trained weights is RS6005 for that block", () => {
    const dir = mkdtempSync(join(tmpdir(), "recspec-no-weights-"));
    let caught: unknown;
    try {
      loadModel({ name: "seq" } as RecModel, join(dir, "seq", "model"));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NoRunError);
    expect((caught as NoRunError).code).toBe("RS6005");
    expect((caught as NoRunError).context.block).toBe("seq");
    rmSync(dir, { recursive: true, force: true });
  });

  it("an unknown backend is RS6007 and names the valid ones", async () => {
    const error = await selectBackend("metal").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownBackendError);
    expect((error as UnknownBackendError).code).toBe("RS6007");
    expect((error as UnknownBackendError).known).toEqual(["webgpu", "node-gpu", "node", "tensorflow", "wasm", "cpu"]);
  });

  it("a non-finite loss is RS6003 with 1-based step and epoch in its context", () => {
    const e = new NonFiniteLossError("stopped", 12, 0, "lower `lr`");
    expect([e.code, e.context, e.help, e.epoch]).toEqual(["RS6003", { step: 12, epoch: 1 }, "lower `lr`", 0]);
  });

  it("a spec its data cannot serve is RS6009", () => {
    expect(new SpecRunError("no item text").code).toBe("RS6009");
  });
});

describe("the pass limit", () => {
  it("is the wasm heap on wasm and the machine's memory elsewhere", () => {
    expect(passLimitBytes("wasm")).toBe(WASM_HEAP_BYTES);
    expect(passLimitBytes("cpu")).toBeGreaterThan(0);
  });

  it("passes a plan whose passes fit, and stops one that cannot with RS6006", () => {
    const gib = 1024 ** 3;
    // 256 examples at 16 GiB, split in 8: 2 GiB per pass fits under 4 GiB.
    expect(() => checkPassFits(256, 16 * gib, 8, 4 * gib, false)).not.toThrow();
    let caught: unknown;
    try {
      checkPassFits(256, 16 * gib, 2, 4 * gib, true);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MemoryLimitError);
    const e = caught as MemoryLimitError;
    expect(e.code).toBe("RS6006");
    expect(e.message).toBe("one forward pass of 128 examples needs est. 8.0 GiB, over the 4.0 GiB this backend can hold");
    expect(e.help).toMatch(/`micro_batch`/);
    // Auto-planned: one example alone is over the limit, so the help is about the model's size.
    expect(() => checkPassFits(4, 20 * gib, 4, 4 * gib, false)).toThrow(MemoryLimitError);
    try {
      checkPassFits(4, 20 * gib, 4, 4 * gib, false);
    } catch (error) {
      expect((error as MemoryLimitError).help).toMatch(/smaller model/);
    }
  });
});
