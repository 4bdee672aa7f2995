// A ranking model for `recspec prepare`, built as the generated program builds it: the program's
// class with what its item representation reads (a fitted quantizer for Semantic IDs, content
// vectors for dense, nothing for random ids). Takes the class, the block, its data set and the
// prepare step's quantizers; gives the model and, for dense, the content vectors to hand over.
import type { IRBlock } from "../ir/index.js";
import { blockOf } from "../ir/narrow.js";
import type { ItemFeatures } from "../runtime/features/index.js";
import type { RecModel } from "../runtime/models/rec-model.js";
import type { PreparedData } from "../runtime/pipeline/prepare-data.js";
import type { Quantizer } from "../runtime/quantizers/quantizer.js";
import type { PreparedQuantizers } from "./prepare-quantizers.js";

export async function preparedRanker(
  cls: unknown,
  block: IRBlock,
  data: PreparedData,
  quantizers: PreparedQuantizers,
): Promise<{ model: RecModel; features?: ItemFeatures }> {
  const item = blockOf(block, "model", "ranking").attributes.item;
  const make = cls as new (data: PreparedData, input?: Quantizer | ItemFeatures) => RecModel;
  if (item.type === "semantic_id") return { model: new make(data, await quantizers.quantizer(item.ids.ref)) };
  if (item.type === "dense") {
    const features = await quantizers.itemFeatures(item.features.ref);
    return { model: new make(data, features), features };
  }
  return { model: new make(data) };
}
