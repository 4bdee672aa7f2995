// Constructors of `dataset` blocks: where interactions come from and how they are split.
import type { Attribute, Signature } from "../types.js";
import { attr, bool, int, num, oneOf, positional, rate, required, str } from "./helpers.js";

const SPLIT_MEMBERS = {
  items: "the item catalogue",
  train: "the training split",
  valid: "the validation split",
  test: "the test split",
};

/** Attributes every data set has: how it is split into examples. */
const splitting: Attribute[] = [
  attr(
    "split",
    oneOf("leave_last_out", "temporal_window"),
    "leave_last_out",
    "How sequences become train/validation/test examples: the last item is the test target and the second-last the validation target, or sliding windows over time.",
  ),
  attr("history", int(1, 4096), 50, "Most recent items kept as a user's history (older ones are truncated; shorter histories are left-padded)."),
  attr("window", int(3), 30, "Window length for `temporal_window` splits."),
  attr("stride", int(1), 5, "Window stride for `temporal_window` splits."),
  attr("cold_start", rate, 0, "Share of items held out of training entirely, to evaluate cold-start retrieval."),
  attr("min_length", int(1), 3, "Users with fewer interactions are dropped."),
];

export const datasetSignatures: Signature[] = [
  {
    name: "amazon",
    of: "dataset",
    doc: "Amazon product reviews in the sequential layout: `<name>.txt` (user then items in time order) and `<name>_item2attributes.json`.",
    attributes: [
      positional(required("dir", str, "Directory holding the files, relative to the spec file.")),
      attr("name", str, "Beauty", "File stem, e.g. `Beauty` or `Toys_and_Games`."),
      ...splitting,
    ],
    members: SPLIT_MEMBERS,
  },
  {
    name: "movielens",
    of: "dataset",
    doc: "MovieLens 100K (`u.data`, `u.item`); ratings become implicit interactions ordered by time.",
    attributes: [positional(required("dir", str, "Directory holding `u.data` and `u.item`.")), ...splitting],
    members: SPLIT_MEMBERS,
  },
  {
    name: "interactions",
    of: "dataset",
    doc: "Generic interactions in CSV (with a header row) or JSON Lines.",
    attributes: [
      positional(required("path", str, "The interactions file, relative to the spec file.")),
      attr("user", str, "user", "Column holding the user id."),
      attr("item", str, "item", "Column holding the item id."),
      attr("time", str, "timestamp", "Column holding the timestamp (numbers; ties keep file order)."),
      attr("format", oneOf("auto", "csv", "jsonl"), "auto", "File format; `auto` decides by extension."),
      ...splitting,
    ],
    members: SPLIT_MEMBERS,
  },
  {
    name: "synthetic",
    of: "dataset",
    doc: "Seeded synthetic sequences with interest clusters and power-law popularity (the multi-interest paper's generator).",
    attributes: [
      attr("users", int(1), 10_000, "Number of users."),
      attr("clusters", int(1), 5, "Number of interest clusters (C)."),
      attr("items_per_cluster", int(1), 10, "Items in each cluster (I)."),
      attr("interests_per_user", int(1), 3, "Interest clusters per user (U), at most `clusters`."),
      attr("interest_power", num(0), 1.0, "Cluster popularity skew: p(c) ∝ (c+1)^−power; 0 is uniform."),
      attr("item_power", num(0), 0.5, "Item popularity skew inside a cluster: p(rank r) ∝ r^−power."),
      attr("stay", num(0, 1), 0.6, "Probability of staying in the current interest (α)."),
      attr("switch", num(0, 1), 0.3, "Probability of moving to another of the user's interests (γ); stay + switch ≤ 1."),
      attr("return", num(0, 1), 0.5, "From a non-interest cluster, probability of staying there (ε)."),
      attr("length", int(3), 20, "Sequence length per user."),
      attr("seed", int(), 0, "Random seed of the generator."),
      attr("content", bool, true, "Also generate hierarchical content vectors for each item."),
      ...splitting,
    ],
    members: SPLIT_MEMBERS,
  },
];
