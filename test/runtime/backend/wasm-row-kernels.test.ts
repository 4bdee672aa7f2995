// The row-wise wasm kernels (GatherV2, leading-axes Sum, Slice, SplitV, Tile, Concat) and the
// max-over-heads kernels against the cpu backend, including the shapes that fall back to the stock
// kernels.
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerMaxOverHeadsKernels } from "../../../src/runtime/backend/max-over-heads-kernel.js";
import { loadNativeBlas } from "../../../src/runtime/backend/native-blas.js";
import { GATHER_SEGMENT_SUM, gatherSegmentSum } from "../../../src/runtime/backend/native-gather-segment-sum-kernel.js";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import { patchWasmBackend } from "../../../src/runtime/backend/wasm-kernels.js";
import { maxOverHeads } from "../../../src/runtime/models/max-interest-scores.js";
import { Rng } from "../../../src/runtime/random.js";
import { expectSameResults, intHost, onBoth, randomHost } from "./compare-backends.js";

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("wasm GatherV2 by rows", () => {
  it("matches cpu for axis 0 with 2-D indices (an embedding lookup), short and long rows", async () => {
    const ids = intHost([4, 0, 4, 2, 1, 3], [2, 3]);
    for (const width of [3, 40]) {
      const [wasm, cpu] = await onBoth([randomHost([5, width], width), ids], (t, i) => tf.gather(t, i));
      expect(wasm[0].shape).toEqual([2, 3, width]);
      expectSameResults(wasm, cpu, 0);
    }
  });

  it("matches cpu for a middle axis, a last axis and int32 data", async () => {
    const ids = intHost([2, 0, 2]);
    const x = randomHost([2, 3, 4], 5);
    for (const axis of [1, 2, -1]) {
      const [wasm, cpu] = await onBoth([x, ids], (t, i) => tf.gather(t, i, axis));
      expectSameResults(wasm, cpu, 0);
    }
    const ints = intHost([1, 2, 3, 4, 5, 6], [3, 2]);
    const [wi, ci] = await onBoth([ints, ids], (t, i) => tf.gather(t, i));
    expect(wi[0].dtype).toBe("int32");
    expectSameResults(wi, ci, 0);
  });

  it("names an index outside the table and leaks nothing", async () => {
    await tf.setBackend("wasm");
    const table = tf.zeros([3, 2]);
    const ids = tf.tensor1d([1, 3], "int32");
    const before = tf.memory().numTensors;
    expect(() => tf.gather(table, ids)).toThrow(/index value 3 is not in \[0, 2\]/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([table, ids]);
  });
});

describe("embedding lookups and their gradient, on the addon and in JavaScript", () => {
  const addon = loadNativeBlas();
  const natives = typeof addon === "string" ? [undefined] : [addon, undefined];
  afterAll(() => patchWasmBackend(typeof addon === "string" ? {} : { native: addon }));

  it.each(natives.map((native) => [native ? "native" : "JavaScript", native] as const))(
    "gather rows and sum repeated rows' gradients like cpu (%s)",
    async (_, native) => {
      patchWasmBackend(native ? { native } : {});
      const ids = intHost([3, 0, 3, 5, 3, 1, 0], [7]);
      for (const width of [1, 5, 64]) {
        const dy = randomHost([7, width], width + 1);
        const [wasm, cpu] = await onBoth([randomHost([6, width], width), ids, dy], (t, i, g) => [
          tf.gather(t, i),
          tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, i), g)))(t),
        ]);
        expectSameResults(wasm, cpu, 1e-6);
        // Row 3 was looked up three times: its gradient is the sum of those three rows of dy.
        expect(wasm[1].values[3 * width]).toBeCloseTo(dy.values[0] + dy.values[2 * width] + dy.values[4 * width], 5);
        expect(wasm[1].values.slice(2 * width, 3 * width)).toEqual(new Array(width).fill(0)); // never looked up
      }
    },
  );

  it.each(natives.map((native) => [native ? "native" : "JavaScript", native] as const))(
    "sum gathered rows in one pass with the bits of gather then segment sum, out-of-range targets skipped (%s)",
    async (_, native) => {
      patchWasmBackend(native ? { native } : {});
      await tf.setBackend("wasm");
      const rng = new Rng(4);
      const x = tf.tensor2d(
        Float32Array.from({ length: 9 * 64 }, () => rng.normal()),
        [9, 64],
      );
      const from = Int32Array.from({ length: 300 }, () => rng.int(9));
      const ids = Int32Array.from({ length: 300 }, (_, u) => (u === 7 ? 40 : rng.int(12)));
      const info = await tf.profile(() => gatherSegmentSum(x, from, ids, 12));
      expect(info.kernelNames.includes(GATHER_SEGMENT_SUM)).toBe(native !== undefined);
      const fused = gatherSegmentSum(x, from, ids, 12);
      const twoPass = tf.unsortedSegmentSum(tf.gather(x, tf.tensor1d(from, "int32")), tf.tensor1d(ids, "int32"), 12);
      expect(fused.shape).toEqual([12, 64]);
      expect(Array.from(fused.dataSync())).toEqual(Array.from(twoPass.dataSync()));
      // Row 0 of the result by hand: the rows of x each pair with target 0 reads.
      const xs = x.arraySync();
      const row0 = new Array<number>(64).fill(0);
      ids.forEach((id, u) => id === 0 && xs[from[u]].forEach((v, j) => (row0[j] = Math.fround(row0[j] + v))));
      expect(Array.from(fused.dataSync().slice(0, 64))).toEqual(row0);
      tf.dispose([x, fused, twoPass]);
    },
  );

  it.each(natives.map((native) => [native ? "native" : "JavaScript", native] as const))("skip segment ids outside [0, numSegments) (%s)", async (_, native) => {
    patchWasmBackend(native ? { native } : {});
    await tf.setBackend("wasm");
    const sums = tf.unsortedSegmentSum(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]),
      tf.tensor1d([1, -1, 1, 2], "int32"),
      2,
    );
    expect(Array.from(sums.dataSync())).toEqual([0, 0, 6, 8]);
    sums.dispose();
  });
});

describe("wasm Sum over leading axes", () => {
  const addon = loadNativeBlas();
  const natives = typeof addon === "string" ? [undefined] : [addon, undefined];
  afterAll(() => patchWasmBackend(typeof addon === "string" ? {} : { native: addon }));

  it.each(natives.map((native) => [native ? "native" : "JavaScript", native] as const))(
    "matches cpu over axis 0, axes [0, 1], with keepDims, and for the stock cases (%s)",
    async (_, native) => {
      patchWasmBackend(native ? { native } : {});
      const x = randomHost([6, 5, 4], 7);
      for (const [axis, keep] of [
        [0, false],
        [[0, 1], false],
        [[1, 0], true],
        [-3, true],
        [1, false],
        [1, true],
        [[0, 2], false],
        [null, false],
      ] as const) {
        const [wasm, cpu] = await onBoth([x], (t) => tf.sum(t, axis === null ? undefined : (axis as number | number[]), keep));
        expect(wasm[0].shape).toEqual(cpu[0].shape);
        expectSameResults(wasm, cpu, 1e-5);
      }
      // Middle blocks (mean pooling over a history), the native blockSums path when loaded.
      const x4 = randomHost([3, 4, 5, 6], 8);
      for (const [axis, keep] of [
        [[1, 2], false],
        [1, true],
        [2, false],
        [[2, 1], true],
      ] as const) {
        const [wasm, cpu] = await onBoth([x4], (t) => tf.sum(t, axis as number | number[], keep));
        expect(wasm[0].shape).toEqual(cpu[0].shape);
        expectSameResults(wasm, cpu, 1e-5);
      }
    },
  );

  it("is exact on a hand-computed bias gradient", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(Array.from(tf.sum(x, 0).dataSync())).toEqual([9, 12]);
    x.dispose();
  });
});

describe("wasm Slice, SplitV, Tile and Concat by contiguous runs", () => {
  it("slices like cpu: whole rows, cut rows, a middle axis, rank 1 to 5, int32 and bool", async () => {
    const cases: [number[], number[], number[]][] = [
      [[7], [2], [4]],
      [
        [6, 5],
        [1, 0],
        [3, 5],
      ], // whole rows: one run
      [
        [6, 5],
        [0, 1],
        [6, 3],
      ], // cut rows
      [
        [4, 3, 20],
        [1, 1, 0],
        [2, 2, 20],
      ],
      [
        [4, 3, 20],
        [0, 0, 5],
        [4, 3, 15],
      ],
      [
        [2, 3, 4, 5],
        [1, 0, 1, 2],
        [1, 3, 2, 3],
      ],
      [
        [2, 2, 3, 2, 3],
        [0, 1, 1, 0, 1],
        [2, 1, 2, 2, 2],
      ],
      [
        [3, 4],
        [1, 1],
        [0, 2],
      ], // empty
    ];
    for (const [shape, begin, size] of cases) {
      const [wasm, cpu] = await onBoth([randomHost(shape, shape.length)], (t) => tf.slice(t, begin, size));
      expect(wasm[0].shape).toEqual(size);
      expectSameResults(wasm, cpu, 0);
    }
    const ints = intHost([1, 2, 3, 4, 5, 6], [2, 3]);
    const [wi, ci] = await onBoth([ints], (t) => [tf.slice(t, [0, 1], [2, 2]), tf.slice(tf.greater(t, 3), [0, 1], [2, 2])]);
    expect(wi[0].values).toEqual([2, 3, 5, 6]);
    expect(wi[1].dtype).toBe("bool");
    expectSameResults(wi, ci, 0);
  });

  it("splits like cpu along every axis, and the gradient of a concat is its split", async () => {
    const x = randomHost([4, 6, 5], 3);
    for (const [sizes, axis] of [
      [[1, 3], 0],
      [[2, 1, 3], 1],
      [3, 1],
      [[2, 2, 1], 2],
      [[1, 4], -1],
    ] as const) {
      const [wasm, cpu] = await onBoth([x], (t) => tf.split(t, sizes as number[] | number, axis));
      expectSameResults(wasm, cpu, 0);
    }
    const [a, b] = [randomHost([5, 3], 8), randomHost([5, 4], 9)];
    const dy = randomHost([5, 7], 10);
    const [wasm, cpu] = await onBoth([a, b, dy], (u, v, g) => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 1), g)))([u, v]));
    expectSameResults(wasm, cpu, 0);
    // d/da = the first three columns of dy.
    expect(wasm[0].values.slice(0, 3)).toEqual(dy.values.slice(0, 3).map(Math.fround));
  });

  it("concatenates like cpu along every axis: short and long runs, an empty input, int32, and the hand-checked rows", async () => {
    const parts = [randomHost([3, 2, 20], 11), randomHost([3, 2, 5], 12), randomHost([3, 2, 0], 13), randomHost([3, 2, 17], 14)];
    const [wasm, cpu] = await onBoth(parts, (...xs) => tf.concat(xs, 2));
    expect(wasm[0].shape).toEqual([3, 2, 42]);
    expectSameResults(wasm, cpu, 0);
    // Row (1, 0) of the result is row (1, 0) of each input, in order.
    const row = (h: (typeof parts)[number], w: number) => h.values.slice(2 * w, 3 * w);
    expect(wasm[0].values.slice(2 * 42, 3 * 42)).toEqual([...row(parts[0], 20), ...row(parts[1], 5), ...row(parts[3], 17)].map(Math.fround));
    for (const axis of [0, 1, -1]) {
      const [w2, c2] = await onBoth([randomHost([2, 3, 4], 15), randomHost([2, 3, 4], 16)], (a, b) => tf.concat([a, b], axis));
      expectSameResults(w2, c2, 0);
    }
    const [wi, ci] = await onBoth([intHost([1, 2, 3, 4], [2, 2]), intHost([5, 6], [2, 1])], (a, b) => tf.concat([a, b], 1));
    expect(wi[0].dtype).toBe("int32");
    expect(wi[0].values).toEqual([1, 2, 5, 3, 4, 6]);
    expectSameResults(wi, ci, 0);
  });

  it("tiles like cpu, rank 1 to 4, int32, whole rows on the addon and in JavaScript, and back-propagates the summed copies", async () => {
    const addon = loadNativeBlas();
    for (const native of typeof addon === "string" ? [undefined] : [addon, undefined]) {
      patchWasmBackend(native ? { native } : {});
      for (const [shape, reps] of [
        [[3], [4]],
        [
          [2, 3],
          [2, 1],
        ],
        [
          [2, 3],
          [1, 3],
        ],
        [
          [4, 1, 20],
          [1, 5, 1],
        ],
        [
          [3, 2, 9],
          [2, 3, 1],
        ],
        [
          [2, 1, 3],
          [3, 2, 2],
        ],
        [
          [1, 2, 1, 2],
          [2, 1, 3, 2],
        ],
      ] as const) {
        const [wasm, cpu] = await onBoth([randomHost([...shape], 4)], (t) => tf.tile(t, [...reps]));
        expect(wasm[0].shape).toEqual(shape.map((d, i) => d * reps[i]));
        expectSameResults(wasm, cpu, 0);
      }
    }
    patchWasmBackend(typeof addon === "string" ? {} : { native: addon });
    const [wi] = await onBoth([intHost([1, 2], [1, 2])], (t) => tf.tile(t, [2, 2]));
    expect(wi[0].values).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    const dy = randomHost([2, 3, 4], 12);
    const [wasm, cpu] = await onBoth([randomHost([2, 1, 4], 13), dy], (t, g) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, [1, 3, 1]), g)))(t));
    expectSameResults(wasm, cpu, 1e-6);
    // d/dx[0, 0, 0] = dy[0, 0, 0] + dy[0, 1, 0] + dy[0, 2, 0].
    expect(wasm[0].values[0]).toBeCloseTo(dy.values[0] + dy.values[4] + dy.values[8], 6);
  });
});

describe("wasm Cast to the same dtype", () => {
  it("shares the buffer, and converts like cpu when the dtype changes", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor1d([1.5, -2, 0]);
    const same = tf.cast(x, "float32");
    expect(same.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2, 0]);
    same.dispose();
    const [wasm, cpu] = await onBoth([{ values: [1.7, -2.2, 0, 3], shape: [4], dtype: "float32" }], (t) => [
      tf.cast(t, "int32"),
      tf.cast(t, "bool"),
      tf.cast(tf.cast(t, "int32"), "float32"),
    ]);
    expectSameResults(wasm, cpu, 0);
  });
});

describe("wasm Transpose of size-1 axes", () => {
  it("shares the buffer when only size-1 axes move, and matches cpu for every permutation", async () => {
    await tf.setBackend("wasm");
    const column = tf.tensor2d([1, 2, 3], [3, 1]);
    const row = tf.transpose(column);
    expect(row.shape).toEqual([1, 3]);
    expect(row.dataId).toBe(column.dataId);
    column.dispose();
    expect(Array.from(row.dataSync())).toEqual([1, 2, 3]); // still readable: the buffer is counted
    row.dispose();
    const x = randomHost([2, 1, 3, 1], 14);
    for (const perm of [
      [1, 0, 2, 3],
      [0, 3, 2, 1],
      [2, 1, 0, 3],
      [3, 2, 1, 0],
      [0, 2, 1, 3],
    ]) {
      const [wasm, cpu] = await onBoth([x], (t) => tf.transpose(t, perm));
      expectSameResults(wasm, cpu, 0);
    }
  });

  it("moves whole rows like cpu when the last axis stays (attention heads), with and without the addon", async () => {
    const x = randomHost([2, 3, 4, 16], 15);
    const addon = loadNativeBlas();
    for (const native of typeof addon === "string" ? [undefined] : [addon, undefined]) {
      patchWasmBackend(native ? { native } : {});
      for (const perm of [
        [0, 2, 1, 3],
        [2, 0, 1, 3],
        [1, 2, 0, 3],
        [0, 1, 2, 3],
        [0, 3, 2, 1],
      ]) {
        const [wasm, cpu] = await onBoth([x], (t) => tf.transpose(t, perm));
        expectSameResults(wasm, cpu, 0);
      }
      const [w3, c3] = await onBoth([randomHost([5, 7, 9], 16)], (t) => tf.transpose(t, [1, 0, 2]));
      expectSameResults(w3, c3, 0);
    }
    patchWasmBackend(typeof addon === "string" ? {} : { native: addon });
  });
});

describe("max over heads", () => {
  const addon = loadNativeBlas();
  const servers = typeof addon === "string" ? [undefined] : [addon, undefined];
  it.each(servers.map((native) => [native ? "native" : "JavaScript", native] as const))(
    "gives the same values and gradient on the wasm kernel (%s) as on the cpu path, ties included",
    async (_, native) => {
      registerMaxOverHeadsKernels(native);
      // Row 0, item 1: heads 0 and 2 tie at the maximum 5, so both get its gradient.
      const x = { values: [1, 5, 0, 9, 2, -1, 3, 4, 5, 5, 0, 1, -2, 0, 7, 1, 8, 8, 1, 1, 0, 2, 2, 2], shape: [2, 3, 4], dtype: "float32" as const };
      const dy = randomHost([2, 4], 11);
      const [wasm, cpu] = await onBoth([x, dy], (t, g) => {
        const value = maxOverHeads(t as tf.Tensor3D);
        const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxOverHeads(v as tf.Tensor3D), g)))(t);
        return [value, grad];
      });
      expectSameResults(wasm, cpu, 0);
      expect(wasm[0].values.slice(0, 4)).toEqual([5, 5, 3, 9]);
      const g = dy.values;
      // d/dx[0, 0, 1] and d/dx[0, 2, 1] both equal dy[0, 1] (the tie); x[0, 1, 1] = −1 gets 0.
      expect(wasm[1].values[1]).toBeCloseTo(g[1], 6);
      expect(wasm[1].values[9]).toBeCloseTo(g[1], 6);
      expect(wasm[1].values[5]).toBe(0);
    },
  );
  // Back to what patchWasmBackend installed, for any later test in this worker.
  afterAll(() => registerMaxOverHeadsKernels(typeof addon === "string" ? undefined : addon));
});
