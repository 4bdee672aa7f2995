// Constructors of `tower` blocks: networks producing user or item representations.
import type { Signature } from "../types.js";
import { attr, int, list, num, oneOf, option, positional, ref, required } from "./helpers.js";
import { ITEM_FEATURES, USER_FEATURES } from "./side-features.js";

export const towerSignatures: Signature[] = [
  {
    name: "item_tower",
    of: "tower",
    doc: "Item-ID embedding, optionally with side features of the item, then optionally an MLP.",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set whose items are embedded.")),
      attr("embedding", int(1), 64, "Embedding dimension (of the id and of each feature)."),
      attr(
        "features",
        list(oneOf(...ITEM_FEATURES)),
        [],
        "Item side features: `genres` (MovieLens) or `attributes` (Amazon `item2attributes`: brand, categories). Each is the mean of its values' embeddings, zero for an item without any; they are added to the id embedding, or concatenated with it before the MLP when `layers` is set.",
      ),
      attr("layers", list(int(1)), [], "Hidden sizes of an MLP after the embedding (empty: none)."),
      attr("output", int(1), null, "Output dimension (default: the last layer, or `embedding`)."),
    ],
  },
  {
    name: "user_tower",
    of: "tower",
    doc: "User-ID embedding, optionally with side features of the user, then optionally an MLP: the classic two-tower user side. Users without training interactions share one out-of-vocabulary row.",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set whose users are embedded.")),
      attr("embedding", int(1), 64, "Embedding dimension (of the id and of each feature)."),
      attr(
        "features",
        list(oneOf(...USER_FEATURES)),
        [],
        "User side features (MovieLens `u.user`): `age` in 7 buckets (under 18, 18–24, 25–34, 35–44, 45–49, 50–55, 56 and over), `gender`, `occupation`, each an embedding (row 0 for a user `u.user` does not list). They are added to the id embedding, or concatenated with it before the MLP when `layers` is set.",
      ),
      attr("layers", list(int(1)), [], "Hidden sizes of an MLP after the embedding (empty: none)."),
      attr("output", int(1), null, "Output dimension (default: the last layer, or `embedding`)."),
    ],
  },
  {
    name: "multi_interest",
    of: "tower",
    doc: "History → self-attention → H learned queries, each attending over the sequence: [batch, interests, output].",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set whose histories are encoded.")),
      attr("embedding", int(1), 64, "Item embedding dimension."),
      attr("attention", option("attention"), { type: "self_attention", layers: 1, heads: 1, dropout: 0 }, "Self-attention layers over the history."),
      attr("interests", int(1, 64), 4, "Interest vectors per user (H); 1 is a single-representation tower."),
      attr("output", int(1), null, "Output dimension (default: `embedding`)."),
      attr("disagreement", num(0), 0, "Weight of the regulariser Σ cos(q_h, q_h') pushing interest queries apart."),
    ],
  },
  {
    name: "sequence_encoder",
    of: "tower",
    doc: "A transformer over the history; the last position is the user representation.",
    attributes: [
      positional(required("data", ref(["dataset"]), "The data set whose histories are encoded.")),
      attr("embedding", int(1), 64, "Item embedding dimension."),
      attr("encoder", option("encoder"), { type: "transformer" }, "The sequence encoder."),
      attr("output", int(1), null, "Output dimension (default: `embedding`)."),
    ],
  },
];
