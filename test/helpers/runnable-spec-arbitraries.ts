// fast-check generators of whole spec texts that are small enough to train in a second: a tiny
// synthetic data set, one model of any kind (optionally distilled), its `train` and an `evaluate`,
// with the choices that decide whether the runtime can run them (causal or not, positions, score,
// interests, loss, metrics, slices, schedule, early stop) drawn freely. Takes nothing; gives
// `{ text, trained }`: the spec and the names of the blocks whose `train.steps` a run should set.
import fc from "fast-check";

export interface RunnableSpec {
  readonly text: string;
  /** Blocks with a `train { … }` of their own, for `--set NAME.train.steps=1`. */
  readonly trained: readonly string[];
}

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
/** Mostly one of `usual`, sometimes one of `risky` (choices the checker may have to refuse). */
const mostly = <T>(usual: T[], risky: T[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 4 }, { arbitrary: fc.constantFrom(...risky), weight: 1 });

const dataset = fc
  .record({
    length: fc.integer({ min: 5, max: 8 }),
    history: fc.integer({ min: 3, max: 8 }),
    minLength: mostly([1, 3, 5], [6, 7, 8, 9]),
    split: pick("leave_last_out", "temporal_window(window)"),
    coldStart: pick(0, 0.2),
    seed: fc.integer({ min: 0, max: 5 }),
  })
  .map((d) =>
    [
      "dataset synth = synthetic {",
      "  users = 40  clusters = 3  items_per_cluster = 4",
      `  length = ${d.length}  history = ${d.history}  min_length = ${d.minLength}  seed = ${d.seed}`,
      d.split === "leave_last_out" ? "  split = leave_last_out" : "  split = temporal_window  window = 5  stride = 2",
      `  cold_start = ${d.coldStart}`,
      "}",
    ].join("\n"),
  );

const transformer = fc
  .record({ heads: pick(1, 2), causal: mostly<boolean | undefined>([true], [false, undefined]), maxPositions: pick(6, 64) })
  .map(
    (t) =>
      `transformer(layers: 1, heads: ${t.heads}, d_ff: 16, dropout: 0.1${t.causal === undefined ? "" : `, causal: ${t.causal}`}, max_positions: ${t.maxPositions})`,
  );

const LOSSES = ["softmax", "sampled_softmax(negatives: in_batch)", "sampled_softmax(negatives: uniform, count: 5)", "logistic(negatives: 2)"];
/** A loss the kind trains with, or sometimes any loss. */
const lossFor = (...usual: string[]) => mostly(usual, LOSSES);

const sequential = fc.record({ encoder: transformer, positions: pick("all", "last"), loss: lossFor(LOSSES[0], LOSSES[1], LOSSES[2]) }).map((m) => ({
  blocks: [`model m = sequential(synth) {\n  embedding = 8\n  encoder = ${m.encoder}\n  positions = ${m.positions}\n  loss = ${m.loss}\n  TRAIN\n}`],
  kind: "sequential",
}));

const twoTower = fc
  .record({
    user: pick("multi", "sequence"),
    interests: pick(1, 2),
    encoder: transformer,
    score: fc.option(pick("dot", "max_interest"), { nil: undefined }),
    loss: lossFor(LOSSES[1], LOSSES[2]),
    weighting: pick("none", "inverse_frequency"),
  })
  .map((m) => ({
    blocks: [
      m.user === "multi"
        ? `tower users = multi_interest(synth) { embedding = 8  interests = ${m.interests} }`
        : `tower users = sequence_encoder(synth) { embedding = 8  encoder = ${m.encoder} }`,
      "tower items = item_tower(synth) { embedding = 8 }",
      `model m = two_tower(users, items) {\n  ${m.score ? `score = ${m.score}` : ""}\n  loss = ${m.loss}\n  weighting = ${m.weighting}\n  TRAIN\n}`,
    ],
    kind: "two_tower",
  }));

const quantizer = fc
  .record({ levels: pick(1, 2, 3), collisions: pick("suffix_token", "none") })
  .map((q) => `quantizer q = random_ids(synth.items) { levels = ${q.levels}  codebook = 4  collisions = ${q.collisions} }`);

const ranking = fc
  .record({
    quantizer,
    item: pick("random_id(buckets: 64)", "semantic_id(q, embed: ngram(n: 2))", "semantic_id(q, embed: spm(vocab: 10))", "semantic_id(q)"),
    layers: mostly(["[8]"], ["[]"]),
    loss: lossFor(LOSSES[3]),
  })
  .map((m) => ({
    blocks: [m.quantizer, `model m = ranking(synth) {\n  item = ${m.item}\n  embedding = 8\n  layers = ${m.layers}\n  loss = ${m.loss}\n  TRAIN\n}`],
    kind: "ranking",
  }));

const generative = fc.record({ quantizer, user: pick("hashed(buckets: 8)", "no_user") }).map((m) => ({
  blocks: [
    m.quantizer,
    [
      "model m = generative(synth, ids: q) {",
      "  encoder = transformer(layers: 1, heads: 2, head_dim: 4, d_model: 8, d_ff: 16, max_positions: 64)",
      "  decoder = transformer(layers: 1, heads: 2, head_dim: 4, d_model: 8, d_ff: 16, max_positions: 64)",
      `  user = ${m.user}`,
      "  decode = beam(width: 5)",
      "  TRAIN",
      "}",
    ].join("\n"),
  ],
  kind: "generative",
}));

const train = fc
  .record({
    schedule: mostly(["constant", "cosine(warmup: 0)"], ["cosine(warmup: 2)"]),
    earlyStop: fc.option(mostly(["loss", "ndcg@5", "mrr"], ["coverage@5", "auc"]), { nil: undefined }),
  })
  .map((t) => `train {\n    batch = 16\n    schedule = ${t.schedule}${t.earlyStop ? `\n    early_stop = ${t.earlyStop}\n    patience = 1` : ""}\n  }`);

const evaluation = fc
  .record({
    metrics: fc
      .tuple(
        fc.subarray(["hr@5", "ndcg@5", "mrr", "recall@3"], { minLength: 1 }),
        fc.option(pick("coverage@5", "auc", "precision@5"), { nil: undefined, freq: 2 }),
      )
      .map(([usual, risky]) => (risky ? [...usual, risky] : usual)),
    slices: fc.subarray(["all", "popularity(head: 0.3)", "cold_start"], { minLength: 1 }),
    candidates: pick("full", "sampled(negatives: 5)"),
    excludeHistory: fc.boolean(),
  })
  .map(
    (e) =>
      `{\n  metrics = [${e.metrics.join(", ")}]\n  slices = [${e.slices.join(", ")}]\n  candidates = ${e.candidates}\n  exclude_history = ${e.excludeHistory}\n  bootstrap = 10\n}`,
  );

/** A spec with one model of any kind, trained briefly and evaluated on the test split. */
export const runnableSpec: fc.Arbitrary<RunnableSpec> = fc
  .record({
    dataset,
    model: fc.oneof(sequential, twoTower, ranking, generative),
    train,
    distill: fc.boolean(),
    evaluation,
  })
  .map(({ dataset, model, train, distill, evaluation }) => {
    const blocks = model.blocks.map((b) => b.replace("TRAIN", train));
    const distilled = distill && model.kind !== "generative";
    const smaller = model.kind === "two_tower" ? "weighting = none" : "embedding = 4";
    if (distilled) blocks.push(`distill d = distill(teacher: m, student: m { ${smaller} }) {\n  ${train}\n}`);
    const evaluated = distilled ? "d" : "m";
    const text = ["spec prop_run", dataset, ...blocks, `evaluate ${evaluated} on synth.test ${evaluation}`, ""].join("\n\n");
    return { text, trained: distilled ? ["m", "d"] : ["m"] };
  });
