// The toy model the evaluation tests rank with: over `items` items it scores item i by
// −|i − (last + 1)|, i.e. it predicts "the next id" after the last history item. The pad column
// gets `padScore`: a high one makes a ranker that forgot to exclude it fail every check.
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "../../src/runtime/data/batching.js";
import { ParamStore } from "../../src/runtime/layers/params.js";
import type { RecModel } from "../../src/runtime/models/rec-model.js";

export function nextIdModel(items: number, historyLength: number, padScore: number): RecModel {
  return {
    name: "next-id",
    params: new ParamStore(0),
    numItems: items,
    historyLength,
    trainingExamples: [],
    loss: (_b: Batch) => tf.scalar(0),
    lossWeight: () => 1,
    stepBytes: () => 0,
    scoreItems(histories, count) {
      const s = new Float32Array(count * (items + 1));
      for (let r = 0; r < count; r++) {
        const last = histories[r * historyLength + historyLength - 1];
        s[r * (items + 1)] = padScore;
        for (let i = 1; i <= items; i++) s[r * (items + 1) + i] = -Math.abs(i - (last + 1));
      }
      return tf.tensor2d(s, [count, items + 1]);
    },
    dispose() {},
  };
}
