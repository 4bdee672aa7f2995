// The .npy writer and reader: header layout (magic, version, 64-byte alignment, dict text), dtypes,
// shapes, and a round trip; where a python3 with numpy exists, numpy reads what we write.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeNpy, encodeNpy } from "../../src/runtime/prepare/npy.js";
import { torchPython } from "./torch-python.js";

const header = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes.subarray(10, 10 + (bytes[8] | (bytes[9] << 8))));

describe("encodeNpy", () => {
  it("writes the v1.0 magic, a space-padded header ending in a newline, and data at a multiple of 64", () => {
    const bytes = encodeNpy(Int32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const text = header(bytes);
    expect(text).toMatch(/^\{'descr': '<i4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect((10 + text.length) % 64).toBe(0);
    expect(bytes.length).toBe(10 + text.length + 24);
    expect(new DataView(bytes.buffer).getInt32(10 + text.length + 4 * 5, true)).toBe(6);
  });

  it("writes a one-dimensional shape as a one-element tuple and names each dtype", () => {
    expect(header(encodeNpy(new Float32Array(3), [3]))).toContain("'descr': '<f4'");
    expect(header(encodeNpy(new Float32Array(3), [3]))).toContain("'shape': (3,)");
    expect(header(encodeNpy(new Float64Array(1), [1]))).toContain("'descr': '<f8'");
    expect(header(encodeNpy(new Uint8Array(2), [2, 1]))).toContain("'descr': '|u1'");
  });

  it("refuses a shape that does not hold the data", () => {
    expect(() => encodeNpy(new Int32Array(5), [2, 3])).toThrow(/does not hold 5 values/);
  });

  it("round-trips through decodeNpy, empty arrays included", () => {
    const values = Float32Array.from([0.5, -1.25, 3e-8, 7]);
    const back = decodeNpy(encodeNpy(values, [2, 2]));
    expect(back.shape).toEqual([2, 2]);
    expect(Array.from(back.data)).toEqual(Array.from(values));
    const empty = decodeNpy(encodeNpy(new Int32Array(0), [0, 4]));
    expect(empty.shape).toEqual([0, 4]);
    expect(empty.data).toBeInstanceOf(Int32Array);
  });

  it.skipIf(torchPython() === undefined)("is read by numpy with the same values, dtype and shape", () => {
    const dir = mkdtempSync(join(tmpdir(), "npy-"));
    writeFileSync(join(dir, "a.npy"), encodeNpy(Int32Array.from([3, -1, 7, 2147483647, 0, 5]), [3, 2]));
    writeFileSync(join(dir, "b.npy"), encodeNpy(Float32Array.from([0.1, 2.5]), [2]));
    const script = `import numpy as np, json, sys
a = np.load(sys.argv[1] + "/a.npy"); b = np.load(sys.argv[1] + "/b.npy")
print(json.dumps([str(a.dtype), list(a.shape), a.tolist(), str(b.dtype), list(b.shape), float(b[0])]))`;
    const r = spawnSync(torchPython()!, ["-c", script, dir], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([
      "int32",
      [3, 2],
      [
        [3, -1],
        [7, 2147483647],
        [0, 5],
      ],
      "float32",
      [2],
      Math.fround(0.1),
    ]);
  });
});
