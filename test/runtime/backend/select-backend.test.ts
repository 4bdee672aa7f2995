import * as tf from "@tensorflow/tfjs-core";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { gradientsRegistered } from "../../../src/runtime/backend/register-gradients.js";
import { isWasmBackendPatched } from "../../../src/runtime/backend/wasm-kernels.js";

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

describe("selectBackend", () => {
  it("forces cpu and reports its matmul path, with gradients registered", async () => {
    const r = await selectBackend("cpu");
    expect(r).toMatchObject({ name: "cpu", tfjsBackend: "cpu" });
    expect(r.matmul).toMatch(/reference/);
    expect(tf.getBackend()).toBe("cpu");
    expect(gradientsRegistered()).toBe(true);
  });

  it("forces wasm: SIMD on, patched kernels installed", async () => {
    const r = await selectBackend("wasm");
    expect(r.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(r.matmul).toMatch(/^wasm SIMD, 1 thread, transpose-first/);
    expect(isWasmBackendPatched()).toBe(true);
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeDefined();
  });

  it("is idempotent and re-activates its choice after a switch", async () => {
    const first = await selectBackend("wasm");
    await tf.setBackend("cpu");
    const again = await selectBackend("wasm");
    expect(again).toBe(first);
    expect(tf.getBackend()).toBe("wasm");
  });

  it.skipIf(installed("@tensorflow/tfjs-node-gpu"))("says clearly when a forced backend is missing", async () => {
    await expect(selectBackend("node-gpu")).rejects.toThrow(/backend "node-gpu" is not available/);
  });

  it("rejects unknown names, listing the valid ones", async () => {
    await expect(selectBackend("webgpu")).rejects.toThrow(/unknown backend "webgpu".*node-gpu, node, tensorflow, wasm, cpu/);
  });

  it("auto-selects the fastest available (wasm here when the node packages are absent)", async () => {
    const r = await selectBackend();
    if (!installed("@tensorflow/tfjs-node") && !installed("@tensorflow/tfjs-node-gpu")) {
      expect(r.name).toBe("wasm");
    } else {
      expect(["node-gpu", "node"]).toContain(r.name);
    }
    expect(tf.getBackend()).toBe(r.tfjsBackend);
  });
});
