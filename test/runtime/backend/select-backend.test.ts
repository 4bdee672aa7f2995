import * as tf from "@tensorflow/tfjs-core";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { gradientsRegistered } from "../../../src/runtime/backend/register-gradients.js";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { isWasmBackendPatched, wasmMatMulPath } from "../../../src/runtime/backend/wasm-kernels.js";

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

  it("forces wasm without native: SIMD on, transpose-first kernels installed", async () => {
    const r = await selectBackend("wasm", { native: false });
    expect(r.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(r.matmul).toMatch(/^wasm SIMD, 1 thread, transpose-first/);
    expect(r.nativeUnavailable).toBeUndefined();
    expect(isWasmBackendPatched()).toBe(true);
    expect(wasmMatMulPath()).toBe("transpose-first");
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeDefined();
  });

  it("with the native addon absent, still starts wasm and reports the wasm path and why", async () => {
    const r = await selectBackend("wasm", { native: true, nativeAddon: "/nonexistent/recspec_blas.node" });
    expect(r.name).toBe("wasm");
    expect(r.matmul).toMatch(/^wasm SIMD, 1 thread, transpose-first/);
    expect(r.nativeUnavailable).toMatch(/native addon not built/);
    expect(wasmMatMulPath()).toBe("transpose-first");
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(Array.from(tf.matMul(x, x, false, true).dataSync())).toEqual([5, 11, 11, 25]);
    x.dispose();
  });

  it("honours RECSPEC_NO_NATIVE=1 when no option is given", async () => {
    const saved = process.env.RECSPEC_NO_NATIVE;
    process.env.RECSPEC_NO_NATIVE = "1";
    try {
      const r = await selectBackend("wasm");
      expect(r.matmul).toMatch(/transpose-first/);
      expect(wasmMatMulPath()).toBe("transpose-first");
    } finally {
      if (saved === undefined) delete process.env.RECSPEC_NO_NATIVE;
      else process.env.RECSPEC_NO_NATIVE = saved;
    }
  });

  const blas = loadNativeBlas();
  it.skipIf(typeof blas === "string")(`uses the native OpenBLAS matmul when built${typeof blas === "string" ? ` (SKIPPED: ${blas})` : ""}`, async () => {
    const r = await selectBackend("wasm", { native: true });
    expect(r.matmul).toMatch(/^native OpenBLAS \([A-Z0-9_]+, \d+ threads?\)$/);
    expect(wasmMatMulPath()).toBe("native");
    // Switching back re-installs the other variant.
    await selectBackend("wasm", { native: false });
    expect(wasmMatMulPath()).toBe("transpose-first");
  });

  it("is idempotent and re-activates its choice after a switch", async () => {
    const first = await selectBackend("wasm", { native: false });
    await tf.setBackend("cpu");
    const again = await selectBackend("wasm", { native: false });
    expect(again).toBe(first);
    expect(tf.getBackend()).toBe("wasm");
  });

  it.skipIf(installed("@tensorflow/tfjs-node-gpu"))("says clearly when a forced backend is missing", async () => {
    await expect(selectBackend("node-gpu")).rejects.toThrow(/backend "node-gpu" is not available/);
  });

  it("rejects unknown names, listing the valid ones", async () => {
    await expect(selectBackend("metal")).rejects.toThrow(/unknown backend "metal".*webgpu, node-gpu, node, tensorflow, wasm, cpu/);
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
