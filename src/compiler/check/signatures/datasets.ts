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
    oneOf("leave_last_out", "temporal_window", "ratio", "random"),
    "leave_last_out",
    "How sequences become train/validation/test examples: `leave_last_out` (the last item is the test target, the second-last the validation target), `temporal_window` (sliding windows over time), `ratio` (each user's last `test_share` of items are test targets, the `valid_share` before them validation targets) or `random` (a seeded random `test_share` and `valid_share` of each user's items). With `ratio` and `random` an example has several targets (see “Order, filters and splits”).",
  ),
  attr(
    "valid_share",
    rate,
    0.1,
    "`ratio` and `random` splits: share of each user's items held out for validation (⌊n · share⌋; a user with a share below one item still gives one while training keeps one).",
  ),
  attr(
    "test_share",
    rate,
    0.1,
    "`ratio` and `random` splits: share of each user's items held out for testing (counted like `valid_share`, before it); `valid_share` + `test_share` < 1.",
  ),
  attr("split_seed", int(0), 0, "`random` splits: seed of the draw (the same seed gives the same split; `vary` it to average over splits)."),
  attr("history", int(1, 4096), 50, "Most recent items kept as a user's history (older ones are truncated; shorter histories are left-padded)."),
  attr("window", int(3), 30, "Window length for `temporal_window` splits."),
  attr("stride", int(1), 5, "Window stride for `temporal_window` splits."),
  attr("cold_start", rate, 0, "Share of items held out of training entirely, to evaluate cold-start retrieval."),
  attr("min_length", int(1), 3, "Users with fewer interactions are dropped."),
];

/** Filters applied to the interactions read, before the split (filter-interactions.ts); not for `synthetic`. */
const filtering: Attribute[] = [
  attr(
    "min_rating",
    num(),
    null,
    "Interactions rated below this are dropped, turning explicit ratings into implicit feedback (counted in the run's log). `movielens` and `interactions` (its `rating` column) only.",
  ),
  attr(
    "k_core",
    int(1),
    null,
    "Drops users and items with fewer than k interactions, again and again until every user and item left has at least k (logged: users, items and interactions before → after).",
  ),
  attr("min_user_interactions", int(1), null, "Like `k_core` for users only (overrides `k_core` for users)."),
  attr("min_item_interactions", int(1), null, "Like `k_core` for items only (overrides `k_core` for items)."),
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
      ...filtering,
    ],
    members: SPLIT_MEMBERS,
  },
  {
    name: "movielens",
    of: "dataset",
    doc: "MovieLens 100K (`u.data`, `u.item`, and `u.user` for user towers with `features`); ratings become implicit interactions ordered by time.",
    attributes: [positional(required("dir", str, "Directory holding `u.data` and `u.item`.")), ...splitting, ...filtering],
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
      attr(
        "time",
        str,
        null,
        'Column holding the timestamp (numbers; ties keep file order). Unset: the `timestamp` column when the file has one (JSON Lines: when the first object has it), else each user\'s interactions in file order; `time = ""`: file order even when there is one.',
      ),
      attr("rating", str, "rating", "Column holding the rating, read only for `min_rating`."),
      attr("format", oneOf("auto", "csv", "jsonl"), "auto", "File format; `auto` decides by extension."),
      ...splitting,
      ...filtering,
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
      attr("return", num(0, 1), 0.5, "From a non-interest cluster, probability of staying there (ε; the authors' code uses 0.2)."),
      attr(
        "interest_draw",
        oneOf("distinct", "independent"),
        "distinct",
        "How a user's interests are drawn ∝ (c+1)^−interest_power: `distinct` clusters one after another, or `independent` draws with repeats merged (a user may have fewer; the authors' code when interest_power > 0).",
      ),
      attr(
        "start",
        oneOf("interest", "any"),
        "interest",
        "Where each walk starts: one of the user's interests, or any cluster (the authors' code), uniformly.",
      ),
      attr("length", int(3), 20, "Sequence length per user."),
      attr("seed", int(), 0, "Random seed of the generator."),
      attr("content", bool, true, "Also generate hierarchical content vectors for each item."),
      // No filters: the generator's ground truth (clusters, interests) is indexed by user and item.
      ...splitting,
    ],
    members: SPLIT_MEMBERS,
  },
];
