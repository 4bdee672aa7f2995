// Constructors of `model` blocks: the trainable recommenders.
import type { Signature } from "../types.js";
import { attr, int, list, num, oneOf, option, positional, ref, required } from "./helpers.js";

export const modelSignatures: Signature[] = [
  {
    name: "sequential",
    of: "model",
    doc: "SASRec-style next-item model: item embeddings, a causal transformer, and a softmax over the catalogue at every position.",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set to train on.")),
      attr("embedding", int(1), 64, "Item embedding dimension (also the transformer width unless `d_model` is set)."),
      attr("encoder", option("encoder"), { type: "transformer", causal: true }, "The sequence encoder."),
      attr(
        "loss",
        option("loss"),
        { type: "softmax" },
        "Training loss over next items: `softmax` (the whole catalogue), `sampled_softmax` (uniform or popularity negatives, logQ) or `gbce` (gSASRec).",
      ),
      attr("positions", oneOf("all", "last"), "all", "Train on every position of the history, or only the last."),
    ],
    nested: ["train"],
  },
  {
    name: "two_tower",
    of: "model",
    doc: "Retrieval with a user tower and an item tower, trained with a sampled (by default in-batch) softmax or a full softmax over the catalogue.",
    attributes: [
      positional(required("user", ref(["tower"]), "The user tower.")),
      positional(required("item", ref(["tower"]), "The item tower.")),
      attr("score", oneOf("dot", "max_interest"), "dot", "Score of (user, item): a dot product, or the maximum over a multi-interest tower's heads."),
      attr(
        "loss",
        option("loss"),
        { type: "sampled_softmax" },
        "`sampled_softmax` (in-batch or sampled negatives, logQ, temperature) or `softmax` (every item of the catalogue scored each step).",
      ),
      attr("weighting", option("weighting"), { type: "none" }, "Per-example weights: none, inverse frequency, or iterative density weighting."),
    ],
    nested: ["train"],
  },
  {
    name: "matrix_factorization",
    of: "model",
    doc: "Matrix factorisation: a user-ID and an item-ID embedding scored by their dot product, trained with BPR over sampled negatives or a full softmax over the catalogue. Users without training interactions share one out-of-vocabulary row.",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set to train on.")),
      attr("dim", int(1), 64, "Dimension of the user and item factors."),
      attr("loss", option("loss"), { type: "bpr" }, "`bpr` (pairwise, sampled negatives) or `softmax` (full catalogue)."),
    ],
    nested: ["train"],
  },
  {
    name: "generative",
    of: "model",
    doc: "TIGER generative retrieval: an encoder-decoder transformer decoding the next item's Semantic ID.",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set to train on.")),
      required("ids", ref(["quantizer"]), "The quantizer giving each item its Semantic ID."),
      attr(
        "encoder",
        option("encoder"),
        { type: "transformer", layers: 4, heads: 6, head_dim: 64, d_model: 128, d_ff: 1024, dropout: 0.1 },
        "Encoder over the user token and the history's Semantic-ID tokens.",
      ),
      attr(
        "decoder",
        option("encoder"),
        { type: "transformer", layers: 4, heads: 6, head_dim: 64, d_model: 128, d_ff: 1024, dropout: 0.1 },
        "Decoder producing the next item's tokens.",
      ),
      attr("user", option("user_token"), { type: "hashed" }, "The user token prepended to the input."),
      attr("decode", option("decode"), { type: "beam" }, "Decoding of Semantic IDs at evaluation."),
      attr("cold_start_share", num(0, 1), 0.1, "ε: the most a top-K list may hold of items never seen in training."),
    ],
    nested: ["train"],
  },
  {
    name: "ranking",
    of: "model",
    doc: "Ranking of (user history, candidate item) pairs with an MLP and a logistic loss over sampled negatives.",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set to train on.")),
      attr("item", option("item_repr"), { type: "random_id" }, "How a candidate item is represented."),
      attr("user", option("user_repr"), { type: "history_pool" }, "How the user's history is summarised."),
      attr("embedding", int(1), 64, "Dimension of item and user representations."),
      attr("layers", list(int(1), 1), [256, 128], "Hidden sizes of the scoring MLP (at least one)."),
      attr("loss", option("loss"), { type: "logistic" }, "Training loss."),
    ],
    nested: ["train"],
  },
];
