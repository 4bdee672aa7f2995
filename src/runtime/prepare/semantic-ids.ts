// The hand-over of a generative (TIGER) model's Semantic IDs to another target. Takes the model as
// constructed (its token layout over the fitted quantizer's table, its retrieval settings), the data
// set and a writer of .npy files; gives the manifest entry: each item's ID (the quantizer's codes and
// collision suffix), the vocabulary layout, the items beam search may decode (warm: seen in
// training and not held out cold), each user's hashed bucket, and the beam settings. The other
// target builds its trie and token ids from these and computes no code, hash or suffix itself.
import { hashIds } from "../layers/embedding.js";
import type { SemanticIdLayout } from "../models/generative.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { ArrayFile } from "./write-prepared.js";
import type { NpyArray } from "./npy.js";

/** What a generative model shows of itself (the generated class's public fields). */
export interface SemanticIdModel {
  readonly layout: SemanticIdLayout;
  readonly retrieval: { readonly settings: { readonly width: number; readonly constrained: boolean; readonly coldStartShare: number } };
}

export interface PreparedSemanticIds {
  /** int32 [N + 1, tokensPerItem]: item i's ID tokens, each an index into its position's codes; row 0 all −1. */
  readonly codes: ArrayFile;
  /** Base levels (the collision suffix, when present, is the last of the tokensPerItem). */
  readonly levels: number;
  readonly tokensPerItem: number;
  /** Per ID position: its vocabulary size and its first global token. */
  readonly sizes: number[];
  readonly offsets: number[];
  /** First user-bucket token, and the number of buckets (0: no user token). */
  readonly userOffset: number;
  readonly buckets: number;
  readonly vocabulary: number;
  /** uint8 [N + 1]: 1 for items the constrained search may decode; the others join by prefix. */
  readonly warm: ArrayFile;
  /** int32 [users]: each user index's bucket (null without a user token). */
  readonly userBuckets: ArrayFile | null;
  readonly width: number;
  readonly constrained: boolean;
  readonly coldStartShare: number;
}

type ArrayWriter = (file: string, data: NpyArray, shape: number[]) => ArrayFile;

/** Whether a constructed model decodes Semantic IDs (it carries a token layout and a retrieval). */
export function isSemanticIdModel(model: object): model is SemanticIdModel {
  return "layout" in model && "retrieval" in model;
}

export function writeSemanticIds(array: ArrayWriter, name: string, model: SemanticIdModel, data: PreparedData): PreparedSemanticIds {
  const { layout } = model;
  const n = data.numItems;
  // The retrieval's own rule (decode/semantic-id-retrieval.ts): seen in training and not held out.
  const warm = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) warm[i] = data.trainCounts[i] > 0 && data.coldMask[i] === 0 ? 1 : 0;
  const users = Int32Array.from({ length: data.store.numUsers }, (_, u) => u);
  const { width, constrained, coldStartShare } = model.retrieval.settings;
  return {
    codes: array(`${name}/semantic_ids.npy`, layout.codes, [n + 1, layout.tokensPerItem]),
    levels: layout.levels,
    tokensPerItem: layout.tokensPerItem,
    sizes: [...layout.sizes],
    offsets: [...layout.offsets],
    userOffset: layout.userOffset,
    buckets: layout.buckets,
    vocabulary: layout.vocabulary,
    warm: array(`${name}/warm_items.npy`, warm, [n + 1]),
    userBuckets: layout.buckets > 0 ? array(`${name}/user_buckets.npy`, hashIds(users, layout.buckets), [users.length]) : null,
    width,
    constrained,
    coldStartShare,
  };
}
