import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { compileSpec } from "../../../src/compiler/compile.js";
import { fullBinaryTarget, labelSmoothingBinaryTarget } from "../../../src/runtime/distill/binary-targets.js";
import { maskedSoftmax, simTarget, teacherProbabilities } from "../../../src/runtime/distill/transforms.js";
import { Rng } from "../../../src/runtime/random.js";
import { expectTensorsClose, useCpuBackend } from "../../helpers/tf.js";
import { transformRow, transformTeacher, type TeacherTransform } from "./teacher-targets.js";

beforeAll(useCpuBackend);

const P = [0.1, 0.2, 0.3, 0.4];

/** The tensor form of one row, read back. */
function tensorRow(t: TeacherTransform, probs: number[], target: number, extra: { valid?: number[]; weights?: number[][] } = {}): number[] {
  const c = extra.weights?.length ?? probs.length;
  return tf.tidy(() =>
    Array.from(
      transformTeacher(t, {
        ...(probs.length > 0 ? { probs: tf.tensor2d([probs]) } : {}),
        targets: tf.tensor1d([target], "int32"),
        columns: c,
        ...(extra.valid ? { valid: tf.tensor1d(extra.valid) } : {}),
        ...(extra.weights ? { weights: tf.tensor2d(extra.weights) } : {}),
      }).dataSync(),
    ),
  );
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

describe("teacher transforms on C = 4 (target y = 1)", () => {
  const cases: Array<[string, TeacherTransform, number[]]> = [
    ["full keeps p", { type: "full" }, [0.1, 0.2, 0.3, 0.4]],
    // (1−ε)·onehot(1) + ε/4 with ε = 0.2.
    ["label_smoothing replaces the teacher", { type: "label_smoothing", epsilon: 0.2 }, [0.05, 0.85, 0.05, 0.05]],
    // p_y = 0.2 kept; (1 − 0.2)/3 on each other class.
    ["pt keeps only the true-class probability", { type: "pt" }, [0.8 / 3, 0.2, 0.8 / 3, 0.8 / 3]],
    // Top 2 are 0.4 (col 3) and 0.3 (col 2); the other 0.3 is split over cols 0 and 1.
    ["topk(2) keeps the head and flattens the tail", { type: "topk", k: 2 }, [0.15, 0.15, 0.3, 0.4]],
    ["topk(k ≥ C) is the full teacher", { type: "topk", k: 9 }, [0.1, 0.2, 0.3, 0.4]],
  ];
  for (const [title, t, expected] of cases) {
    it(title, () => {
      const row = transformRow(t, P, 1);
      expectTensorsClose(Array.from(row), expected, 1e-12);
      expect(sum(row)).toBeCloseTo(1, 12);
      const fromTensor = tensorRow(t, P, 1);
      expectTensorsClose(fromTensor, expected, 1e-6);
      expect(sum(fromTensor)).toBeCloseTo(1, 6);
    });
  }

  it("topk keeps exactly k entries on ties, the lower columns first", () => {
    // Three classes tie at 0.3; k = 2 keeps columns 1 and 2, column 3 joins the flattened tail:
    // (1 − 0.6)/2 = 0.2 on columns 0 and 3.
    const p = [0.1, 0.3, 0.3, 0.3];
    const expected = [0.2, 0.3, 0.3, 0.2];
    expectTensorsClose(Array.from(transformRow({ type: "topk", k: 2 }, p, 0)), expected, 1e-12);
    expectTensorsClose(tensorRow({ type: "topk", k: 2 }, p, 0), expected, 1e-6);
  });
});

describe("padding column excluded (C = 5, column 0 invalid, y = 2)", () => {
  const p = [0, 0.1, 0.2, 0.3, 0.4];
  const valid = [0, 1, 1, 1, 1];
  it("label_smoothing and pt spread mass over the 4 valid classes only", () => {
    const ls = [0, 0.05, 0.85, 0.05, 0.05];
    const pt = [0, 0.8 / 3, 0.2, 0.8 / 3, 0.8 / 3];
    expectTensorsClose(Array.from(transformRow({ type: "label_smoothing", epsilon: 0.2 }, p, 2, { valid })), ls, 1e-12);
    expectTensorsClose(tensorRow({ type: "label_smoothing", epsilon: 0.2 }, p, 2, { valid }), ls, 1e-6);
    expectTensorsClose(Array.from(transformRow({ type: "pt" }, p, 2, { valid })), pt, 1e-12);
    expectTensorsClose(tensorRow({ type: "pt" }, p, 2, { valid }), pt, 1e-6);
  });

  it("topk never picks the padding column, even with k = valid count − 1", () => {
    // k = 3 of 4 valid: keeps 0.4, 0.3, 0.2; the last 0.1 stays on column 1 (the only other).
    const expected = [0, 0.1, 0.2, 0.3, 0.4];
    expectTensorsClose(tensorRow({ type: "topk", k: 3 }, p, 2, { valid }), expected, 1e-6);
    // k = 2: 0.4 and 0.3 kept, (1 − 0.7)/2 on columns 1 and 2.
    expectTensorsClose(tensorRow({ type: "topk", k: 2 }, p, 2, { valid }), [0, 0.15, 0.15, 0.3, 0.4], 1e-6);
    expectTensorsClose(Array.from(transformRow({ type: "topk", k: 2 }, p, 2, { valid })), [0, 0.15, 0.15, 0.3, 0.4], 1e-12);
  });
});

describe("sim transform from hand-made output weights", () => {
  // w0 = (1,0), w1 = (0,1), w2 = (1,1), w3 = (−1,0); y = 0, ρ = 0.5:
  // cos(w0, ·) = [1, 0, 1/√2, −1] → logits [2, 0, √2, −2] → softmax below.
  const weights = [
    [1, 0],
    [0, 1],
    [1, 1],
    [-1, 0],
  ];
  const expected = [0.5846863076751028, 0.0791286870537793, 0.32547610199655347, 0.01070890327456451];

  it("is the softmax of cosine similarity over ρ, on host and tensor", () => {
    expectTensorsClose(Array.from(transformRow({ type: "sim", rho: 0.5 }, [], 0, { weights })), expected, 1e-12);
    expectTensorsClose(tensorRow({ type: "sim", rho: 0.5 }, [], 0, { weights }), expected, 1e-6);
  });

  it("depends on directions only, not on the length of the weight vectors", () => {
    const scaled = weights.map((w, i) => w.map((x) => x * (i + 2)));
    expectTensorsClose(tensorRow({ type: "sim", rho: 0.5 }, [], 0, { weights: scaled }), expected, 1e-6);
  });

  it("gives the padding column no mass", () => {
    const out = tensorRow({ type: "sim", rho: 0.5 }, [], 1, { weights, valid: [0, 1, 1, 1] });
    expect(out[0]).toBe(0);
    expect(sum(out)).toBeCloseTo(1, 6);
  });
});

describe("batched transforms", () => {
  it("match the host reference row by row and sum to one (C = 7, 6 rows, padding excluded)", () => {
    const rng = new Rng(11);
    const c = 7;
    const valid = [0, 1, 1, 1, 1, 1, 1];
    const rows: number[][] = [];
    const targets: number[] = [];
    for (let r = 0; r < 6; r++) {
      const raw = valid.map((v) => (v ? Math.exp(3 * rng.normal()) : 0));
      const s = sum(raw);
      rows.push(raw.map((x) => x / s));
      targets.push(1 + rng.int(6));
    }
    const weights = Array.from({ length: c }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const transforms: TeacherTransform[] = [
      { type: "full" },
      { type: "label_smoothing", epsilon: 0.1 },
      { type: "pt" },
      { type: "sim", rho: 0.3 },
      { type: "topk", k: 3 },
    ];
    for (const t of transforms) {
      const got = tf.tidy(() =>
        transformTeacher(t, {
          probs: tf.tensor2d(rows),
          targets: tf.tensor1d(targets, "int32"),
          columns: c,
          valid: tf.tensor1d(valid),
          weights: tf.tensor2d(weights),
        }).arraySync(),
      );
      rows.forEach((row, r) => {
        const want = transformRow(t, row, targets[r], { valid, weights });
        expectTensorsClose(got[r], Array.from(want), 1e-5);
        expect(sum(got[r])).toBeCloseTo(1, 5);
        expect(got[r][0]).toBe(0);
      });
    }
  });

  it("take a per-row mask, each row's classes counted on their own (in-batch candidates)", () => {
    // Row 0: column 1 masked (a duplicate of the row's target), y = 0. Row 1: all 4 valid, y = 1.
    // Row 2: only its target valid, y = 0 (fewer valid classes than k).
    const probs = [
      [0.5, 0, 0.2, 0.3],
      [0.1, 0.2, 0.3, 0.4],
      [1, 0, 0, 0],
    ];
    const valid = [
      [1, 0, 1, 1],
      [1, 1, 1, 1],
      [1, 0, 0, 0],
    ];
    const targets = [0, 1, 0];
    const run = (t: TeacherTransform) =>
      tf.tidy(() =>
        transformTeacher(t, { probs: tf.tensor2d(probs), targets: tf.tensor1d(targets, "int32"), columns: 4, valid: tf.tensor2d(valid) }).arraySync(),
      );
    // ε = 0.3 over 3, 4 and 1 valid classes: 0.1, 0.075 and 0.3 each, 1 − ε more at the target.
    expectTensorsClose(run({ type: "label_smoothing", epsilon: 0.3 }).flat(), [0.8, 0, 0.1, 0.1, 0.075, 0.775, 0.075, 0.075, 1, 0, 0, 0], 1e-6);
    // p_y kept, 1 − p_y over the row's other valid classes: 0.5/2 and 0.8/3.
    expectTensorsClose(run({ type: "pt" }).flat(), [0.5, 0, 0.25, 0.25, 0.8 / 3, 0.2, 0.8 / 3, 0.8 / 3, 1, 0, 0, 0], 1e-6);
    // k = 2: row 0 keeps 0.5, 0.3 and puts 0.2 on its one other valid column; row 1 keeps 0.4,
    // 0.3 and splits 0.3 over two; row 2 keeps its single valid class.
    expectTensorsClose(run({ type: "topk", k: 2 }).flat(), [0.5, 0, 0.2, 0.3, 0.15, 0.15, 0.3, 0.4, 1, 0, 0, 0], 1e-6);
  });

  it("teacherProbabilities is the masked softmax of z/τ", () => {
    // Columns 1, 2 valid: softmax([0.5, 1]) = [0.37754, 0.62246].
    const got = tf.tidy(() => teacherProbabilities(tf.tensor2d([[5, 1, 2]]), 2, tf.tensor1d([0, 1, 1])).arraySync());
    expectTensorsClose(got[0], [0, 0.3775406687981454, 0.6224593312018545], 1e-6);
    const plain = tf.tidy(() => maskedSoftmax(tf.tensor2d([[0, 0]])).arraySync());
    expectTensorsClose(plain[0], [0.5, 0.5], 1e-7);
  });

  it("have a binary form for a logistic head: full σ(z/τ), label smoothing (1−ε)·y + ε/2", () => {
    const labels = tf.tensor1d([1, 0]);
    let teacherRuns = 0;
    const teacherLogits = () => {
      teacherRuns++;
      return tf.tensor1d([0, 2]);
    };
    const full = tf.tidy(() => Array.from(fullBinaryTarget({ labels, teacherLogits }, 2).dataSync()));
    // σ(0) = 0.5, σ(1) = 1/(1 + e^−1).
    expectTensorsClose(full, [0.5, 0.7310585786300049], 1e-6);
    const smoothed = tf.tidy(() => Array.from(labelSmoothingBinaryTarget({ labels, teacherLogits }, 0.2).dataSync()));
    expectTensorsClose(smoothed, [0.9, 0.1], 1e-6);
    // Label smoothing never runs the teacher.
    expect(teacherRuns).toBe(1);
    labels.dispose();
  });

  it("sim needs the teacher's output-layer weights", () => {
    expect(() => tf.tidy(() => simTarget({ targets: tf.tensor1d([0], "int32"), columns: 4 }, 1))).toThrow(/output-layer weights/);
  });
});

describe("teacher transform parameters", () => {
  // What the runtime no longer checks: the checker reports it at the transform.
  const spec = (transform: string) =>
    [
      "spec s",
      "dataset synth = synthetic { history = 10 }",
      "model teacher = sequential(synth) { embedding = 16 }",
      `distill student = distill(teacher: teacher, student: teacher { embedding = 8 }) { teacher_transform = ${transform} }`,
    ].join("\n");
  for (const [transform, message] of [
    ["topk(k: 0)", /k/],
    ["sim(rho: 0)", /rho/],
    ["label_smoothing(epsilon: 1.5)", /epsilon/],
  ] as const) {
    it(`${transform} is a diagnostic`, () => {
      const errors = compileSpec("s.recspec", { readFile: () => undefined }, { entryText: spec(transform) }).diagnostics.filter((d) => d.severity === "error");
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((d) => d.message).join("\n")).toMatch(message);
    });
  }
});
