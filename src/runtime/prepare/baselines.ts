// The item-kNN baseline's ranked lists, handed to another target with an evaluation. Takes an
// `evaluate` block, its data set and examples; gives, per item_knn baseline of a full-catalogue
// evaluation, each example's top-k items ([n, k], 0 past the end of a short list) as the TypeScript
// evaluation ranks them (the runtime's ItemKnnBaseline over the training users' items, the history
// left out when the block asks), so the other target reports the same baseline without
// re-implementing its neighbourhoods. Popularity needs no list: its order is the training counts.
import type { Example } from "../data/split.js";
import { ItemKnnBaseline, trainingUserItems } from "../eval/item-knn.js";
import { listedBaselines } from "../pipeline/evaluate-model.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { IREvaluation } from "../../ir/index.js";
import type { NpyArray } from "./npy.js";
import type { ArrayFile } from "./write-prepared.js";

type ArrayWriter = (file: string, data: NpyArray, shape: number[]) => ArrayFile;

/** The lists of every item_knn baseline of evaluation `index` by its position among the block's baselines, or {} when there are none. */
export function writeBaselineLists(
  array: ArrayWriter,
  index: number,
  evaluation: IREvaluation,
  data: PreparedData,
  examples: readonly Example[],
): Record<string, ArrayFile> {
  const out: Record<string, ArrayFile> = {};
  if (evaluation.candidates.type !== "full") return out;
  const ks = evaluation.metrics.map((m) => m.k);
  // The longest list the metrics read, as the evaluation cuts it (the catalogue when one has no cutoff).
  const k = ks.some((c) => c === null) ? data.numItems : Math.min(data.numItems, Math.max(1, ...(ks as number[])));
  const exclude = evaluation.exclude_history ? examples.map((e) => e.history) : undefined;
  listedBaselines(evaluation).forEach((b, i) => {
    if (b.type !== "item_knn") return;
    const lists = new ItemKnnBaseline(trainingUserItems(data.trainTargets), data.numItems, b.k).rankExamples(k, examples, exclude);
    const flat = new Int32Array(examples.length * k);
    lists.forEach((list, u) => flat.set(list.subarray(0, k), u * k));
    out[String(i)] = array(`evaluations/${index}/baseline_${i}.npy`, flat, [examples.length, k]);
  });
  return out;
}
