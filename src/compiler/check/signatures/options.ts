// Option constructors: values such as `transformer(…)`, `softmax`, `idw(…)`, `beam(…)` that fill
// attributes of blocks. A constructor without arguments may be written as a bare name.
import type { Signature } from "../types.js";
import { attr, bool, int, list, num, oneOf, positional, positive, rate, ref, required } from "./helpers.js";

export const optionSignatures: Signature[] = [
  // Sequence encoders.
  {
    name: "transformer",
    of: "encoder",
    doc: "A transformer stack. Attention uses `heads` × `head_dim` inner dimensions; without `head_dim`, `d_model` must be divisible by `heads`.",
    attributes: [
      attr("layers", int(0, 64), 2, "Number of layers."),
      attr("heads", int(1, 128), 2, "Attention heads."),
      attr("head_dim", int(1), null, "Dimension of each head (default: d_model / heads)."),
      attr("d_model", int(1), null, "Model width (default: the model's `embedding`)."),
      attr("d_ff", int(1), null, "Feed-forward width (default: 4 × d_model)."),
      attr("dropout", rate, 0.1, "Dropout rate."),
      attr("causal", bool, false, "Mask attention to earlier positions only."),
      attr("activation", oneOf("gelu", "relu"), "gelu", "Feed-forward activation."),
      attr("norm", oneOf("pre", "post"), "pre", "Layer norm before (pre) or after (post) each sub-layer."),
      attr("max_positions", int(1), 512, "Size of the learned position table."),
    ],
  },
  {
    name: "self_attention",
    of: "attention",
    doc: "Self-attention layers x = x + ELU(MHA(x, x)) over the history (multi-interest user tower).",
    attributes: [
      attr("layers", int(0, 16), 1, "Number of layers."),
      attr("heads", int(1, 64), 1, "Attention heads."),
      attr("dropout", rate, 0, "Dropout rate."),
    ],
  },
  {
    name: "mlp",
    of: "mlp",
    doc: "A multi-layer perceptron.",
    attributes: [
      positional(required("layers", list(int(1), 1), "Hidden sizes, in order.")),
      attr("activation", oneOf("relu", "gelu", "elu", "silu"), "relu", "Activation between layers."),
      attr("dropout", rate, 0, "Dropout between layers."),
    ],
  },
  // Losses.
  {
    name: "softmax",
    of: "loss",
    doc: "Full softmax cross-entropy over the catalogue (log-sum-exp; no one-hot).",
    attributes: [attr("label_smoothing", rate, 0, "Uniform label smoothing ε.")],
  },
  {
    name: "sampled_softmax",
    of: "loss",
    doc: "Softmax over sampled candidates with optional logQ correction.",
    attributes: [
      attr("negatives", oneOf("in_batch", "uniform", "popularity"), "in_batch", "Where negatives come from."),
      attr("count", int(1), 100, "Negatives per example when sampling (`uniform`, `popularity`)."),
      attr("logq", bool, true, "Subtract log of each candidate's sampling probability from its logit."),
      attr("temperature", positive, 1, "Logits are divided by this."),
    ],
  },
  {
    name: "bpr",
    of: "loss",
    doc: "Bayesian personalised ranking: mean −log σ(s_pos − s_neg) over uniformly sampled negatives (matrix factorisation).",
    attributes: [attr("negatives", int(1, 1000), 1, "Negatives drawn per positive (at least 1).")],
  },
  {
    name: "logistic",
    of: "loss",
    doc: "Binary logistic loss of the positive against sampled negatives.",
    attributes: [
      attr("negatives", int(1, 1000), 4, "Negatives per positive."),
      attr("sampling", oneOf("popularity", "uniform"), "popularity", "How negatives are drawn."),
    ],
  },
  {
    name: "gbce",
    of: "loss",
    doc: "gSASRec's generalised binary cross-entropy: the positive against `negatives` uniformly drawn items, its probability raised to β = α(t(1 − 1/α) + 1/α), α = negatives / (items − 1), which undoes the overconfidence negative sampling gives (Petrov & Macdonald 2023).",
    attributes: [
      attr("negatives", int(1), 256, "Negatives drawn per step (shared by every position of the batch)."),
      attr("t", num(0, 1), 0.75, "Calibration t: 0 is plain BCE (β = 1), 1 calibrates fully (β = α)."),
    ],
  },
  // Example weighting.
  { name: "none", of: "weighting", doc: "Every example weighs the same.", attributes: [] },
  { name: "inverse_frequency", of: "weighting", doc: "w_j = 1 / (p_j · |I|) for target item j.", attributes: [] },
  {
    name: "idw",
    of: "weighting",
    doc: "Iterative density weighting: inverse KDE density of item embeddings, momentum-averaged, then optional user-tower calibration.",
    attributes: [
      attr("momentum", num(0, 1, { max: true }), 0.8, "m in w ← m·w + (1−m)·w̃."),
      attr("tolerance", positive, 2e-4, "Stop when max |w_new − w_old| falls below this."),
      attr("iterations", int(1, 100), 5, "At most this many weighting iterations."),
      attr("epochs", int(1), 5, "Training epochs per iteration (early stopping on validation tail hit-rate)."),
      attr("sample", int(2), 10_000, "Items drawn (by weight) to fit the KDE (at least 2)."),
      attr("noise", num(0), 0.1, "Std of Gaussian noise added to sampled embeddings."),
      attr("calibrate", oneOf("none", "user_tower"), "none", "Afterwards, fine-tune the user tower at lr/10 on natural weights."),
    ],
  },
  // Decoding and user tokens (generative retrieval).
  {
    name: "beam",
    of: "decode",
    doc: "Beam search over Semantic-ID tokens.",
    attributes: [
      attr("width", int(1, 1000), 20, "Beam width."),
      attr("constrain", oneOf("trie", "none"), "trie", "Restrict beams to prefixes of valid IDs (`none` reports the invalid-ID rate)."),
    ],
  },
  {
    name: "hashed",
    of: "user_token",
    doc: "User id hashed into buckets, one token per user.",
    attributes: [attr("buckets", int(1), 2000, "Number of user buckets.")],
  },
  { name: "no_user", of: "user_token", doc: "No user token.", attributes: [] },
  // Item and user representations (ranking).
  {
    name: "random_id",
    of: "item_repr",
    doc: "Hashed item-ID embedding: the production baseline.",
    attributes: [attr("buckets", int(1), 100_000, "Rows of the hashed table.")],
  },
  {
    name: "semantic_id",
    of: "item_repr",
    doc: "Embedding of the item's Semantic ID from a trained quantizer.",
    attributes: [
      positional(required("ids", ref(["quantizer"]), "The quantizer giving Semantic IDs.")),
      attr("embed", { kind: "option", family: "sid_embed" }, { type: "ngram" }, "How code tuples are embedded."),
    ],
  },
  {
    name: "dense",
    of: "item_repr",
    doc: "Content vectors fed directly (through a projection).",
    attributes: [positional(required("features", ref(["features"]), "The content vectors."))],
  },
  {
    name: "ngram",
    of: "sid_embed",
    doc: "Per-position n-grams of the code tuple, each hashed into a row budget, summed.",
    attributes: [attr("n", int(1, 8), 1, "N-gram order."), attr("rows", int(1), 65_536, "Row budget of each n-gram table.")],
  },
  {
    name: "spm",
    of: "sid_embed",
    doc: "SentencePiece-style pieces of code sequences (frequent prefixes become single pieces), embedded and summed.",
    attributes: [attr("vocab", int(2), 8_192, "Vocabulary size (rows of the table).")],
  },
  {
    name: "history_pool",
    of: "user_repr",
    doc: "Pool of the history's item representations.",
    attributes: [
      attr("history", int(1), null, "Items of history (default: the data set's `history`)."),
      attr("pool", oneOf("mean", "attention"), "mean", "Mean or attention pooling."),
    ],
  },
  // Teacher transforms (distillation).
  { name: "full", of: "teacher_transform", doc: "The teacher's distribution as is (standard KD).", attributes: [] },
  {
    name: "label_smoothing",
    of: "teacher_transform",
    doc: "Uniform smoothing in place of the teacher: label smoothing alone.",
    attributes: [attr("epsilon", rate, 0.1, "Mass spread uniformly.")],
  },
  { name: "pt", of: "teacher_transform", doc: "Keep the teacher's probability of the true item; spread the rest uniformly.", attributes: [] },
  {
    name: "sim",
    of: "teacher_transform",
    doc: "p_k ∝ exp(cos(w_y, w_k)/ρ) from the teacher's output-layer weights.",
    attributes: [attr("rho", positive, 0.1, "Temperature ρ of the similarity distribution.")],
  },
  {
    name: "topk",
    of: "teacher_transform",
    doc: "Keep the teacher's top-k probabilities; spread the remaining mass uniformly.",
    attributes: [attr("k", int(1), 10, "Probabilities kept.")],
  },
  // Optimizers and schedules.
  {
    name: "adam",
    of: "optimizer",
    doc: "Adam.",
    attributes: [
      attr("lr", positive, 1e-3, "Learning rate."),
      attr("beta1", rate, 0.9, "β₁."),
      attr("beta2", rate, 0.999, "β₂."),
      attr("eps", positive, 1e-8, "ε."),
    ],
  },
  {
    name: "adamw",
    of: "optimizer",
    doc: "Adam with decoupled weight decay.",
    attributes: [
      attr("lr", positive, 1e-3, "Learning rate."),
      attr("weight_decay", num(0), 1e-2, "Decoupled weight decay."),
      attr("beta1", rate, 0.9, "β₁."),
      attr("beta2", rate, 0.999, "β₂."),
      attr("eps", positive, 1e-8, "ε."),
    ],
  },
  {
    name: "adagrad",
    of: "optimizer",
    doc: "Adagrad.",
    attributes: [attr("lr", positive, 0.01, "Learning rate."), attr("initial_accumulator", num(0), 0.1, "Initial accumulator value.")],
  },
  {
    name: "sgd",
    of: "optimizer",
    doc: "Stochastic gradient descent.",
    attributes: [attr("lr", positive, 0.01, "Learning rate."), attr("momentum", rate, 0, "Momentum.")],
  },
  { name: "constant", of: "schedule", doc: "A constant learning rate.", attributes: [] },
  { name: "inverse_sqrt", of: "schedule", doc: "lr · min(step / warmup, √(warmup / step)).", attributes: [attr("warmup", int(1), 10_000, "Warm-up steps.")] },
  {
    name: "cosine",
    of: "schedule",
    doc: "Linear warm-up, then cosine decay to `final` × lr.",
    attributes: [attr("warmup", int(0), 0, "Warm-up steps."), attr("final", num(0, 1), 0, "Final fraction of the learning rate.")],
  },
  // Evaluation slices and candidates.
  { name: "all", of: "slice", doc: "Every test user.", attributes: [] },
  { name: "cold_start", of: "slice", doc: "Users whose target item never occurs in training.", attributes: [] },
  {
    name: "popularity",
    of: "slice",
    doc: "Head (the most frequent share of training items) and tail.",
    attributes: [attr("head", num(0, 1, { min: true, max: true }), 0.2, "Share of items in the head.")],
  },
  {
    name: "cluster",
    of: "slice",
    doc: "One slice per item cluster of the test target (`cluster0`, `cluster1`, …): `synthetic` data sets only.",
    attributes: [],
  },
  { name: "popularity", of: "baseline", doc: "The most frequent training items, the same list for everyone.", attributes: [] },
  {
    name: "item_knn",
    of: "baseline",
    doc: "Item-kNN: cosine similarity of items over the users whose training histories hold them, the k nearest neighbours of each item kept; a user's score of item j is Σ over history items i of sim(i, j).",
    attributes: [attr("k", int(1), 50, "Neighbours kept per item.")],
  },
  { name: "full", of: "candidates", doc: "Rank the whole catalogue (the strict protocol).", attributes: [] },
  {
    name: "sampled",
    of: "candidates",
    doc: "Rank the target against sampled negatives (reported as such).",
    attributes: [
      attr("negatives", int(1), 99, "Negatives per user."),
      attr("sampling", oneOf("popularity", "uniform"), "popularity", "How negatives are drawn."),
    ],
  },
];

export const trainSignature: Signature = {
  name: "train",
  of: "train",
  doc: "How a block is trained: optimizer, schedule, length, batching, early stopping, checkpoints.",
  attributes: [
    attr("optimizer", { kind: "option", family: "optimizer" }, { type: "adam" }, "The optimizer."),
    attr("schedule", { kind: "option", family: "schedule" }, { type: "constant" }, "Learning-rate schedule."),
    attr("epochs", int(1), null, "Passes over the training data (default 10 when `steps` is not set)."),
    attr("steps", int(1), null, "Optimizer steps, instead of epochs."),
    attr("batch", int(1), 256, "Examples per optimizer step."),
    attr("micro_batch", int(1), null, "Examples per forward pass (gradients accumulate); default: chosen to fit memory."),
    attr("clip", num(0), 0, "Clip gradients to this global norm (0: off)."),
    attr(
      "early_stop",
      { kind: "metric", allowLoss: true },
      null,
      "Validation metric to stop on (`loss`, or e.g. `ndcg@10`, ranked as the model's `evaluate` blocks rank: without the user's history when they exclude it, the default for every kind but `generative`).",
    ),
    attr("patience", int(1), 3, "Evaluations without improvement before stopping."),
    attr("checkpoint_every", int(1), 1000, "Steps between checkpoints."),
    attr("checkpoint_minutes", num(0), 5, "Also checkpoint after this many minutes of wall time (0: off); every epoch's end is one too."),
    attr("seed", int(), 0, "Seed of initialisation, shuffling and dropout."),
  ],
  exclusive: [["epochs", "steps"]],
};

export const evaluateSignature: Signature = {
  name: "evaluate",
  of: "evaluate",
  doc: "Evaluation of a model on a split: metrics, slices, candidates, confidence intervals and a popularity baseline.",
  attributes: [
    attr(
      "metrics",
      list({ kind: "metric" }, 1),
      [
        { metric: "recall", k: 10 },
        { metric: "ndcg", k: 10 },
      ],
      "Metrics to report.",
    ),
    attr("slices", list({ kind: "option", family: "slice" }, 1), [{ type: "all" }], "User slices to report separately."),
    attr("candidates", { kind: "option", family: "candidates" }, { type: "full" }, "Full-catalogue ranking, or sampled negatives."),
    attr(
      "exclude_history",
      bool,
      null,
      "Leave the items of the user's history out of the ranked list (full catalogue) or out of the sampled negatives. Default: `true` for models that rank the catalogue (`sequential`, `two_tower`, `matrix_factorization`, `ranking`, and a `distill` block by its student), as RecBole and S3-Rec evaluate; `false` for `generative` (set `true` there and the beam search itself skips seen items: no beam completes the ID of an item in the user's history, so the decoded list still holds `width` unseen items).",
    ),
    attr("baseline", bool, true, "Report the popularity baseline beside the model (the older form of `baselines = [popularity]`)."),
    attr(
      "baselines",
      list({ kind: "option", family: "baseline" }),
      null,
      "Baselines reported beside the model, each under the same protocol, e.g. `[popularity, item_knn(k: 50)]`; the first is the table's comparison column. Write either this or `baseline`; `[]` reports none.",
    ),
    attr("bootstrap", int(0), 1000, "Bootstrap resamples for confidence intervals (0: none)."),
  ],
  exclusive: [["baseline", "baselines"]],
};

export const experimentSignature: Signature = {
  name: "experiment",
  of: "experiment",
  doc: "A sweep: every combination of `vary` values, each over `seeds` seeds, reported as tables and plots.",
  attributes: [
    attr("seeds", int(1, 100), 1, "Seeds per configuration."),
    attr(
      "report",
      list({ kind: "report" }, 1),
      null,
      "Metrics (optionally `by` a slice) to tabulate and plot. Default: the metrics of the spec's `evaluate` blocks that every evaluated model computes, on all users.",
    ),
    attr("evaluate_on", { kind: "split" }, null, "The split to report on (default: each evaluated model's `evaluate` split)."),
  ],
};
