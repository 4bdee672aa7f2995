// The program stage that builds a `ranking` model from its IR block. Takes the block (attributes
// as the IR has them: item, user, embedding, layers, loss; references as {ref}), the prepared data
// and what the item option refers to — the quantizer's Semantic-ID table for semantic_id, the
// content vectors for dense (null when the option does not need them); gives the RecModel.
import type { RecModel } from "../models/rec-model.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { ItemFeatures, SemanticIdTable } from "../ranking/inputs.js";
import { rankingModel, type RankingConfig } from "../ranking/ranking-model.js";
import type { BlockSpec } from "./types.js";

/** `model … = ranking(data) { item = …; user = history_pool(…); … }`. */
export function buildRanking(block: BlockSpec, data: PreparedData, ids: SemanticIdTable | null, features: ItemFeatures | null): RecModel {
  const attributes = block.attributes as unknown as RankingConfig;
  const item = attributes.item.type;
  if (item === "semantic_id" && ids === null) throw new Error(`model ${block.name}: item = semantic_id(…) needs its quantizer's Semantic-ID table`);
  if (item === "dense" && features === null) throw new Error(`model ${block.name}: item = dense(…) needs its content vectors`);
  const seed = typeof block.train?.seed === "number" ? block.train.seed : 0;
  return rankingModel({ name: block.name, attributes, train: { seed } }, data, { ids, features });
}
