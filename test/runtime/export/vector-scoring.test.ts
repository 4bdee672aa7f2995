// Which models `recspec export` can read vectors from: a model with queryVectors and
// catalogueVectors is its own vector scoring; a distilled student scores through its student
// network, histories only (as its scoreItems does); anything else has none.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { DistilledStudent } from "../../../src/runtime/distill/distilled-student.js";
import { vectorScoring, type VectorScoring } from "../../../src/runtime/export/vector-scoring.js";
import type { RecModel } from "../../../src/runtime/models/rec-model.js";

/** A model whose query vectors record the users they were asked with. */
function vectorModel(seen: (Int32Array | undefined)[]): RecModel & VectorScoring {
  return {
    queryVectors: (_histories: Int32Array, count: number, users?: Int32Array) => {
      seen.push(users);
      return tf.zeros([count, 1, 2]) as tf.Tensor3D;
    },
    catalogueVectors: () => tf.zeros([3, 2]) as tf.Tensor2D,
  } as unknown as RecModel & VectorScoring;
}

describe("vectorScoring", () => {
  it("is the model itself when it splits its scores into vectors", () => {
    const model = vectorModel([]);
    expect(vectorScoring(model)).toBe(model);
  });

  it("is the student's vectors for a distilled student, without user indices", () => {
    const seen: (Int32Array | undefined)[] = [];
    const wrapper = Object.assign(Object.create(DistilledStudent.prototype) as object, { student: vectorModel(seen) }) as unknown as RecModel;
    const scoring = vectorScoring(wrapper);
    expect(scoring).not.toBeNull();
    tf.dispose([scoring!.queryVectors(new Int32Array(4), 2, Int32Array.of(5, 6)), scoring!.catalogueVectors()]);
    expect(seen).toEqual([undefined]);
  });

  it("is null for a model scored otherwise (a ranker, beam search)", () => {
    const ranker = { scoreItems: () => tf.zeros([1, 3]) } as unknown as RecModel;
    expect(vectorScoring(ranker)).toBeNull();
    const student = Object.assign(Object.create(DistilledStudent.prototype) as object, { student: ranker }) as unknown as RecModel;
    expect(vectorScoring(student)).toBeNull();
  });
});
