// The "Models over ids and baselines" section of docs/reference.md: what a RecBole or cornac user
// should know of the id-based models (`user_tower`, `matrix_factorization`) — which names map to
// what, what cold users get, which pairs they train on — and how `baseline` and `baselines`
// combine in an `evaluate` block. Takes nothing; gives markdown lines that reference-doc.ts places
// after the model blocks. Kept beside the generator so `npm run build:docs` alone writes it.
export const ID_MODELS_SECTION: readonly string[] = [
  "## Models over ids and baselines",
  "",
  "**Names.** `matrix_factorization(data) { loss = bpr }` is RecBole's `BPR` and cornac's `BPR`;",
  "`loss = softmax` is matrix factorisation with a full softmax over the catalogue (with a sampled softmax it is",
  "the two-tower over ids). `two_tower(users, items)` with `tower users = user_tower(data)` and",
  "`tower items = item_tower(data)` is the classic two-tower over ids (YouTube-DNN style retrieval without",
  "features), trained with the in-batch sampled softmax of every `two_tower`. The `item_knn` baseline is",
  "RecBole's `ItemKNN` / cornac's `ItemKNN` with cosine similarity and no shrinkage.",
  "",
  "**Training pairs.** Both train on every (user, item) pair of the training split once — all items of each",
  "user's training sequence, the first included — as binary implicit feedback; the order of items is not used.",
  "BPR draws each negative uniformly from the catalogue, redrawn when it is the pair's own item (items of the",
  "user's history may still be drawn, as in most BPR implementations).",
  "",
  "**Cold users.** The user table has one row per user plus row 0, the out-of-vocabulary row. A user with",
  "training interactions owns row u + 1; a user the training data never saw (possible with `temporal_window`",
  "splits, or when `min_length` leaves a user's training part empty) reads row 0, which no training example",
  "updates: such users get scores from the row's small random initial values, which amounts to a random",
  "ranking. With `leave_last_out` every evaluated user has training interactions. A model that must serve",
  "new users should read their histories instead (`sequence_encoder`, `multi_interest`).",
  "",
  "**Baselines.** `evaluate` reports baselines beside the model, ranked under the same protocol (full",
  "catalogue or the same sampled candidates, the same `exclude_history`) with the same bootstrap resamples, so",
  "the intervals are paired. `baselines = [popularity, item_knn(k: 50)]` lists them; the first is the",
  "comparison column of the report (its difference column), the others are rows of their own. Without",
  "`baselines`, `baseline = true` (the default) means `[popularity]` and `baseline = false` means none; writing",
  "both is an error (RS4004). Item-kNN scores item j for a user as Σ over the distinct items i of the ranked",
  "example's history of sim(i, j), where sim is the cosine of the items' user sets in the training data and",
  "only each item's `k` most similar items count; ties, including items no history item reaches, go to the",
  "lower item id. It is not trained. A `ranking` model's evaluation reports popularity only.",
  "",
];
