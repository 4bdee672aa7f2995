// How each model family recommends, through the scoring path its evaluation uses. Takes a trained
// model and the data set it learned from; gives a Recommender: for a batch of users, each one's
// best K items with scores. A model that scores the catalogue (sequential, two-tower, multi-interest,
// ranking, distilled students) is asked for one score matrix per batch (RecModel.scoreItems) and
// ranked by scoredTopK. A generative model (TIGER) ranks by constrained beam search over Semantic
// IDs: the scores are beam scores (summed log-probabilities), each item comes with its ID, and the
// beam is widened to K when K is larger than the spec's `decode` width. Leaving seen items out,
// the beam search skips them (semantic-id-retrieval.ts), so a list still holds K unseen items.
import type * as tf from "@tensorflow/tfjs-core";
import { SemanticIdRetrieval, type Seq2SeqDecoding } from "../decode/semantic-id-retrieval.js";
import type { SemanticIdLayout } from "../models/generative.js";
import type { RecModel } from "../models/rec-model.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { scoredTopK } from "./scored-top-k.js";
import { paddedHistories, type KnownUser } from "./user-histories.js";

/** One user's recommendation in the model's own indices. */
export interface RecommendedList {
  /** Item indices, best first. */
  readonly items: Int32Array;
  readonly scores: Float32Array;
  /** Generative models: each item's Semantic ID (its codes, the collision suffix last). */
  readonly semanticIds?: readonly Int32Array[];
}

export interface Recommender {
  readonly model: RecModel;
  /** The data set the model learned from: its id tables name the users and items. */
  readonly data: PreparedData;
  /** Whether the lists carry Semantic IDs. */
  readonly generative: boolean;
  /** Each user's best `k` items; `excludeSeen` leaves out the user's own items. */
  recommend(users: readonly KnownUser[], k: number, excludeSeen: boolean): Promise<RecommendedList[]>;
}

/** A generated generative model class: encoder–decoder, token layout and its beam search. */
export interface GenerativeRecModel extends RecModel, Seq2SeqDecoding {
  readonly layout: SemanticIdLayout;
  readonly retrieval: SemanticIdRetrieval;
}

/** A model ranked by its full-catalogue scores. */
export function catalogueRecommender(model: RecModel, data: PreparedData): Recommender {
  return {
    model,
    data,
    generative: false,
    recommend: async (users, k, excludeSeen) =>
      rankScores(await model.scoreItems(paddedHistories(users, model.historyLength), users.length, userIndices(users)), users, k, excludeSeen),
  };
}

/** A generative model ranked by beam search, its lists carrying each item's Semantic ID. */
export function generativeRecommender(model: GenerativeRecModel, data: PreparedData): Recommender {
  const wider = new Map<number, SemanticIdRetrieval>();
  // The beam holds the list: a K beyond the spec's width needs a wider search (built once per K).
  const retrievalFor = (k: number): SemanticIdRetrieval => {
    if (k <= model.retrieval.settings.width) return model.retrieval;
    let r = wider.get(k);
    if (!r) {
      r = new SemanticIdRetrieval(model.layout, data, { ...model.retrieval.settings, width: k });
      r.decodeChunk = model.retrieval.decodeChunk;
      wider.set(k, r);
    }
    return r;
  };
  const t = model.layout.tokensPerItem;
  return {
    model,
    data,
    generative: true,
    async recommend(users, k, excludeSeen) {
      const scores = await retrievalFor(k).scoreItems(
        model,
        paddedHistories(users, model.historyLength),
        users.length,
        model.historyLength,
        userIndices(users),
        excludeSeen ? users.map((u) => u.history) : undefined,
      );
      const lists = await rankScores(scores, users, k, excludeSeen);
      return lists.map((l) => ({ ...l, semanticIds: Array.from(l.items, (item) => model.layout.codes.slice(item * t, (item + 1) * t)) }));
    },
  };
}

async function rankScores(scores: tf.Tensor2D, users: readonly KnownUser[], k: number, excludeSeen: boolean): Promise<RecommendedList[]> {
  try {
    return await scoredTopK(scores, k, excludeSeen ? users.map((u) => u.history) : undefined);
  } finally {
    scores.dispose();
  }
}

function userIndices(users: readonly KnownUser[]): Int32Array {
  return Int32Array.from(users, (u) => u.index);
}
