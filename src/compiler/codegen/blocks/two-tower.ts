// `tower NAME = item_tower | user_tower | multi_interest | sequence_encoder (data)` and `model NAME =
// two_tower(users, items)`: each tower a class in model.ts spelling out its graph (embedding, side
// features (tower-features.ts), MLP, attention layers and interest extraction, or transformer
// layers; output projection), and each two-tower model a class composing its two towers, with the
// score (dot or max over interests), the softmax it trains with (sampled: negatives, temperature,
// logQ; or full, over the catalogue; in-batch logits either way for distillation), its example weighting, and
// `scoreItems`. An `idw(...)` weighting trains by phases through trainWeightedBlock, given the
// settings as a constant. `twoTowerClass` also makes a distilled two-tower student's class
// (blocks/distill.ts), exposing its loss's pieces to the distillation. Takes the block; gives its
// BlockCode.
import type { SampledSoftmaxLoss, TwoTowerAttributes } from "../../../ir/attributes.generated.js";
import type { IRBlock } from "../../../ir/ir.js";
import { blockOf } from "../../../ir/narrow.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe, refName } from "./block-code.js";
import { resolvedEncoder } from "./encoder.js";
import { historyEncoder } from "./sequential.js";
import { towerFeatures } from "./tower-features.js";
import { trainCode, trainedModelCode } from "./train.js";

type SampledLoss = SampledSoftmaxLoss;

/** What the model's class needs to know of a tower besides its class name. */
interface TowerShape {
  readonly dim: number;
  /** User towers: vectors per user. */
  readonly interests: number;
  /** User towers: whether it adds a regulariser to the loss. Item towers: whether `vectors` takes a ForwardContext (an MLP). */
  readonly extra: boolean;
}

function itemTowerShape(block: IRBlock): TowerShape & { sizes: number[] } {
  const a = block.attributes;
  const e = Number(a.embedding);
  // Layer sizes after the embedding: the hidden layers, then `output` when it adds a width.
  const sizes = (a.layers as number[]).map(Number);
  if (a.output !== null && Number(a.output) !== (sizes.at(-1) ?? e)) sizes.push(Number(a.output));
  return { dim: sizes.at(-1) ?? e, interests: 1, extra: sizes.length > 0, sizes };
}

function userTowerShape(block: IRBlock): TowerShape {
  if (block.type === "user_tower") return { ...itemTowerShape(block), extra: false };
  const a = block.attributes;
  const e = Number(a.embedding);
  const dim = a.output === null ? e : Number(a.output);
  if (block.type === "multi_interest") {
    const h = Number(a.interests);
    return { dim, interests: h, extra: Number(a.disagreement) !== 0 && h >= 2 };
  }
  return { dim, interests: 1, extra: false };
}

function towerClass(block: IRBlock, ctx: EmitContext): string {
  return ctx.exported("class", block.name, (p) => `${p}Tower`);
}

/** The item-embedding table every tower starts from, made in the constructor. */
function tableField(e: number, keepParams = true): string {
  return `  /** Item-ID embedding [N + 1, ${e}] (row 0 the padding item). */
  private readonly table: tf.Variable;

  constructor(
    ${keepParams ? "private readonly " : ""}params: ParamStore,
    numItems: number,
  ) {
    this.table = params.scope("item_embedding").get("table", [numItems + 1, ${e}], normal(0.05));
  }`;
}

function itemTowerDeclaration(block: IRBlock, cls: string, data: IRBlock): { text: string; imports: string[]; typeImports: string[] } {
  const e = Number(block.attributes.embedding);
  const { dim, sizes } = itemTowerShape(block);
  const features = towerFeatures(block, data);
  const mlp = sizes.length > 0;
  const inDim = features.width(mlp);
  const withFeatures =
    features.names.length === 0 ? "" : ` with ${features.names.join(", ")} (the mean of each's embeddings, E = ${e}) ${mlp ? "beside it" : "added"}`;
  const summary = `item-ID embedding (E = ${e})${withFeatures}${mlp ? `, then an MLP ${[inDim, ...sizes].join(" → ")} (ReLU between layers)` : ""}`;
  const constructor =
    features.names.length === 0
      ? tableField(e, mlp)
      : `  /** Item-ID embedding [N + 1, ${e}] (row 0 the padding item). */
  private readonly table: tf.Variable;
${features.fields}

  constructor(
    ${mlp ? "private readonly " : ""}params: ParamStore,
    numItems: number,
    store: InteractionStore,
  ) {
    this.table = params.scope("item_embedding").get("table", [numItems + 1, ${e}], normal(0.05));
    ${features.make}
  }`;
  let vectors: string;
  if (features.names.length === 0 && !mlp) {
    vectors = `  /** Item vectors [n, ${dim}] of ids [n]: their embeddings. */
  vectors(ids: tf.Tensor1D): tf.Tensor2D {
    return tf.gather(this.table, ids) as tf.Tensor2D; // [n, ${dim}]
  }`;
  } else {
    const id = `const ${features.names.length === 0 ? "x" : "id"} = tf.gather(this.table, ids) as tf.Tensor2D; // [n, ${e}]`;
    const input =
      features.names.length === 0
        ? id
        : `${id}
      ${features.lookup("ids", "n")}
      const x = ${features.join("id", "n", mlp)}`;
    vectors = `  /** Item vectors [n, ${dim}] of ids [n]. */
  vectors(ids: tf.Tensor1D${mlp ? ", ctx: ForwardContext" : ""}): tf.Tensor2D {
    return tf.tidy(() => {
      ${input}${
        mlp
          ? `
      return mlp(x, this.params.scope("mlp"), { inDim: ${inDim}, sizes: ${literal(sizes)}, activation: "relu" }, ctx) as tf.Tensor2D; // [n, ${dim}]`
          : "\n      return x;"
      }
    });
  }`;
  }
  return {
    text: `/** ${describe(block)}: ${summary}. */
export class ${cls} {
  readonly dim = ${dim};
${constructor}

${vectors}
}`,
    imports: ["tf", "ParamStore", "normal", ...(mlp ? ["mlp"] : []), ...(features.names.length > 0 ? ["ItemFeatureLists"] : [])],
    typeImports: [...(mlp ? ["ForwardContext"] : []), ...(features.names.length > 0 ? ["InteractionStore"] : [])],
  };
}

function multiInterestDeclaration(block: IRBlock, cls: string, history: number): { text: string; imports: string[]; typeImports: string[] } {
  const a = block.attributes;
  const e = Number(a.embedding);
  const att = a.attention as { layers: number; heads: number; dropout: number };
  const { dim, interests: h, extra } = userTowerShape(block);
  const project = dim !== e;
  const layers =
    att.layers === 0
      ? ""
      : `
      // ${att.layers === 1 ? "A self-attention layer" : `${att.layers} self-attention layers`}: x + dropout(ELU(MHA(x, x))), ${att.heads} head${att.heads === 1 ? "" : "s"}, padding kept at zero.
      for (let i = 0; i < ${att.layers}; i++) {
        x = selfAttentionLayer(x, this.params.scope("attention" + i), { heads: ${att.heads}, dropout: ${att.dropout} }, input.mask, ctx); // [B, L, ${e}]
      }`;
  const regularizer = extra
    ? `

  /** ${Number(a.disagreement)} · Σ_{h≠h'} cos(q_h, q_h'): keeps the interest queries apart. */
  regularizer(): tf.Scalar {
    const queries = this.params.scope("interests").get("queries", [${h}, ${e}], normal(0.05)) as tf.Tensor2D; // [${h}, ${e}]
    return interestDisagreement(queries, ${Number(a.disagreement)});
  }`
    : "";
  return {
    text: `/**
 * ${describe(block)}: item-ID embedding (E = ${e}) × √E over the history, ${att.layers} self-attention layer${att.layers === 1 ? "" : "s"},
 * then ${h} learned quer${h === 1 ? "y" : "ies"} each attending over the sequence: ${h} interest vector${h === 1 ? "" : "s"} per user${project ? `, projected to ${dim}` : ""}.
 */
export class ${cls} {
  readonly dim = ${dim};
  readonly interests = ${h};
${tableField(e)}

  /** Interest vectors [B, ${h}, ${dim}] of left-padded histories [B, ${history}]. */
  vectors(histories: Int32Array, count: number, ctx: ForwardContext): tf.Tensor3D {
    const input = trimHistories(histories, count, ${history}); // ids, mask: [B, L], L ≤ ${history}
    const vectors = tf.tidy(() => {
      ${att.layers === 0 ? "const" : "let"} x: tf.Tensor = tf.mul(tf.mul(tf.gather(this.table, input.ids), Math.sqrt(${e})), tf.expandDims(input.mask, 2)); // [B, L, ${e}], padding zeroed${layers}
      ${project ? "const interests =" : "return"} multiInterest(x, this.params.scope("interests"), { numInterests: ${h}, dim: ${e}, paddingMask: input.mask }); // [B, ${h}, ${e}]${
        project ? `\n      return dense(interests, this.params.scope("output"), ${e}, ${dim}) as tf.Tensor3D; // [B, ${h}, ${dim}]` : ""
      }
    });
    input.ids.dispose();
    input.mask.dispose();
    return vectors;
  }${regularizer}

  /** Rough activation bytes of a training step over B histories of used length L. */
  stepBytes(b: number, l: number): number {
    return multiInterestStepBytes(b, l, { embedding: ${e}, heads: ${att.heads}, layers: ${att.layers}, interests: ${h} });
  }
}`,
    imports: [
      "tf",
      "ParamStore",
      "normal",
      "trimHistories",
      "multiInterest",
      "multiInterestStepBytes",
      ...(att.layers > 0 ? ["selfAttentionLayer"] : []),
      ...(project ? ["dense"] : []),
      ...(extra ? ["interestDisagreement"] : []),
    ],
    typeImports: ["ForwardContext"],
  };
}

function sequenceEncoderDeclaration(
  block: IRBlock,
  cls: string,
  history: number,
  ctx: EmitContext,
): { text: string; imports: string[]; typeImports: string[] } {
  const a = block.attributes;
  const e = Number(a.embedding);
  const enc = resolvedEncoder(a.encoder, e);
  const d = enc.config.dModel;
  const { dim } = userTowerShape(block);
  const encoderConst = ctx.exported("encoder", block.name, (_p, c) => `${c}Encoder`);
  const inner = d !== e;
  const encoder = historyEncoder(e, history, enc, encoderConst, "this.table");
  return {
    text: `/** The transformer of \`${block.name}\`: ${enc.summary}. */
const ${encoderConst}: TransformerConfig = ${literal(enc.config)};

/**
 * ${describe(block)}: item-ID embedding (E = ${e}) × √E plus learned positions, ${enc.summary};
 * the most recent position's hidden state${dim !== e ? `, projected to ${dim},` : ""} is the user's one vector.
 */
export class ${cls} {
  readonly dim = ${dim};
  readonly interests = 1;
${tableField(e)}

  /** User vectors [B, 1, ${dim}] of left-padded histories [B, ${history}]. */
  vectors(histories: Int32Array, count: number, ctx: ForwardContext): tf.Tensor3D {
    ${encoder.head}
    const vectors = tf.tidy(() => {
      ${encoder.body}
      let last: tf.Tensor = tf.reshape(tf.slice(x, [0, input.length - 1, 0], [count, 1, ${e}]), [count, ${e}]); // [B, ${e}]${
        dim !== e ? `\n      last = dense(last, this.params.scope("output"), ${e}, ${dim}); // [B, ${dim}]` : ""
      }
      return tf.reshape(last, [count, 1, ${dim}]) as tf.Tensor3D; // [B, 1, ${dim}]
    });
    input.ids.dispose();
    input.mask.dispose();
    return vectors;
  }

  /** Rough activation bytes of a training step over B histories of used length L. */
  stepBytes(b: number, l: number): number {
    return transformerStepBytes(b, l, ${encoderConst}, ${e});
  }
}`,
    imports: [
      "tf",
      "ParamStore",
      "normal",
      "trimHistories",
      "dropout",
      "encoderBias",
      "encoderLayer",
      "transformerStepBytes",
      ...(enc.config.norm === "pre" ? ["layerNorm"] : []),
      ...(inner || dim !== e ? ["dense"] : []),
    ],
    typeImports: ["ForwardContext", "TransformerConfig"],
  };
}

function userIdTowerDeclaration(block: IRBlock, cls: string, data: IRBlock): { text: string; imports: string[]; typeImports: string[] } {
  const e = Number(block.attributes.embedding);
  const { dim, sizes } = itemTowerShape(block);
  const features = towerFeatures(block, data);
  const mlp = sizes.length > 0;
  const featured = features.names.length > 0;
  const inDim = features.width(mlp);
  const withFeatures = !featured ? "" : ` with ${features.names.join(", ")} embeddings (E = ${e}) ${mlp ? "beside it" : "added"}`;
  const summary = `user-ID embedding (E = ${e})${withFeatures}${mlp ? `, then an MLP ${[inDim, ...sizes].join(" → ")} (ReLU between layers)` : ""}`;
  const id = `tf.gather(this.table, rows) as tf.Tensor2D; // [B, ${e}]`;
  const input = featured
    ? `const id = ${id}
      ${features.lookup("ids", "B")}
      const x = ${features.join("id", "B", mlp)}`
    : `const x = ${id}`;
  const body =
    !featured && !mlp
      ? `return tf.reshape(tf.gather(this.table, rows), [count, 1, ${dim}]) as tf.Tensor3D; // [B, 1, ${dim}]`
      : `${input}${
          mlp
            ? `
      const y = mlp(x, this.params.scope("mlp"), { inDim: ${inDim}, sizes: ${literal(sizes)}, activation: "relu" }, ctx); // [B, ${dim}]`
            : ""
        }
      return tf.reshape(${mlp ? "y" : "x"}, [count, 1, ${dim}]) as tf.Tensor3D; // [B, 1, ${dim}]`;
  return {
    text: `/**
 * ${describe(block)}: ${summary}, the user's one vector. Users the training data never
 * saw (cold users of a later split) share row 0, an out-of-vocabulary row no training example updates${featured ? "; their features are their own" : ""}.
 */
export class ${cls} {
  readonly dim = ${dim};
  readonly interests = 1;
  /** User-ID embedding [U + 1, ${e}]: row u + 1 is user u, row 0 the shared out-of-vocabulary row. */
  private readonly table: tf.Variable;${
    featured
      ? `
${features.fields}`
      : ""
  }

  constructor(
    ${mlp ? "private readonly " : ""}params: ParamStore,
    private readonly rows: UserRows,${featured ? "\n    store: InteractionStore," : ""}
  ) {
    this.table = params.scope("user_embedding").get("table", [rows.size, ${e}], normal(0.05));${
      featured
        ? `
    ${features.make}`
        : ""
    }
  }

  /** User vectors [B, 1, ${dim}] of user indices [B]. */
  vectors(users: Int32Array, count: number, ${mlp ? "ctx" : "_ctx"}: ForwardContext): tf.Tensor3D {
    return tf.tidy(() => {
      ${featured ? 'const ids = users.subarray(0, count); // [B]\n      const rows = tf.tensor1d(this.rows.of(ids), "int32"); // [B]' : 'const rows = tf.tensor1d(this.rows.of(users.subarray(0, count)), "int32"); // [B]'}
      ${body}
    });
  }

  /** Rough activation bytes of a training step over B users (no history is read). */
  stepBytes(b: number, _l: number): number {
    return b * ${Math.max(inDim, dim, ...sizes)} * 4 * 4;
  }
}`,
    imports: ["tf", "ParamStore", "normal", "UserRows", ...(mlp ? ["mlp"] : []), ...(featured ? ["UserFeatureRows"] : [])],
    typeImports: ["ForwardContext", ...(featured ? ["InteractionStore"] : [])],
  };
}

/** A tower: its class (the model that uses it owns its parameters and passes the scope). */
export function towerCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const cls = towerClass(block, ctx);
  const history = Number(ctx.block(block.dataset).attributes.history);
  const tower =
    block.type === "item_tower"
      ? itemTowerDeclaration(block, cls, ctx.block(block.dataset))
      : block.type === "user_tower"
        ? userIdTowerDeclaration(block, cls, ctx.block(block.dataset))
        : block.type === "multi_interest"
          ? multiInterestDeclaration(block, cls, history)
          : sequenceEncoderDeclaration(block, cls, history, ctx);
  return {
    block,
    variable: null,
    type: "",
    declarations: [tower.text],
    exports: [cls],
    make: "",
    train: [],
    restore: [],
    modelImports: tower.imports,
    modelTypeImports: tower.typeImports,
    trainImports: [],
    restoreImports: [],
    disposable: false,
  };
}

/** The loss's comment and the scorer of the candidates, for a score and a loss. */
function lossParts(loss: SampledLoss, maxInterest: boolean, itemCall: (ids: string) => string): string {
  const negatives =
    loss.negatives === "in_batch"
      ? "the batch's other targets are the negatives (a row's duplicates of its own target masked)"
      : `${loss.count} ${loss.negatives === "uniform" ? "uniformly drawn" : "popularity-drawn"} negatives shared by the batch (accidental hits masked)`;
  const scorer = maxInterest
    ? `// Hard routing: the interest nearest the target scores it; any other item gets the max over interests.
          diagonal: (ids) => targetInterestScores(users, ${itemCall("ids")}), // [B]
          against: (ids) => maxInterestTrainingScores(users, ${itemCall("ids")}), // [B, M]`
    : `diagonal: (ids) => tf.sum(tf.mul(user, ${itemCall("ids")}), 1) as tf.Tensor1D, // [B]
          against: (ids) => tf.matMul(user, ${itemCall("ids")}, false, true), // [B, M]`;
  return `// Sampled softmax: ${negatives}; logits are scores / ${loss.temperature}${loss.logq ? ", minus log q of each candidate (logQ correction)" : ""}.
      const { logits, labels } = sampledSoftmaxLogits({
        scorer: {
          ${scorer}
        },
        targets: batch.targets,
        config: ${literal(loss)},
        distribution: this.distribution,
        numItems: this.numItems,
        rng: rng.fork("negatives"),
      }); // [B, ${loss.negatives === "in_batch" ? "B" : loss.count + 1}]`;
}

/** Whether a tower lists side features (its constructor then takes the data set's store). */
function hasFeatures(block: IRBlock): boolean {
  return ((block.attributes.features as unknown[] | undefined) ?? []).length > 0;
}

/** A full softmax's logits [B, N + 1] against every item of the catalogue, and its labels (the targets). */
function fullSoftmaxLogits(maxInterest: boolean, items: string, d: number): string {
  return `// Full softmax over the catalogue: every item's vector scored against each user (column 0, the padding item, learns to score low).
      const items = ${items}; // [N + 1, ${d}]
      const logits = ${maxInterest ? "maxInterestTrainingScores(users, items)" : "tf.matMul(user, items, false, true)"} as tf.Tensor2D; // [B, N + 1]
      const labels = tf.tensor1d(batch.targets, "int32"); // [B]`;
}

/** What a two-tower class is made from: a `two_tower` model's block, or a distilled two-tower student. */
export interface TwoTowerClassSpec {
  /** The model's attributes (a student's: the teacher's with its overrides). */
  readonly attributes: TwoTowerAttributes;
  /** Its name in checkpoints and logs. */
  readonly name: string;
  readonly cls: string;
  /** `train.seed`: every weight is initialised from it and its name. */
  readonly seed: number;
  /** The data set's history length. */
  readonly history: number;
  /** Opens the doc comment: how the block reads in the spec. */
  readonly heading: string;
  /** A distilled student: its loss's pieces (candidateLogits, regularizer) are methods TwoTowerDistillModel reads. */
  readonly student: boolean;
}

export function twoTowerCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = blockOf(block, "model", "two_tower").attributes;
  const data = ctx.block(block.dataset);
  const dataVar = ctx.variable(data.name);
  const weighting = a.weighting;
  const cls = ctx.exported("class", block.name, (p) => `${p}Model`);
  const training = trainCode(block, ctx);
  const idw = weighting.type === "idw" ? weighting : null;
  const idwConst = idw ? ctx.exported("weighting", block.name, (_p, c) => `${c}Weighting`) : null;
  const made = twoTowerClass(
    { attributes: a, name: block.name, cls, seed: training.seed, history: Number(data.attributes.history), heading: describe(block), student: false },
    ctx,
  );
  const declarations = [
    made.declaration,
    ...(idw && idwConst
      ? [
          `/** How \`${block.name}\` reweights its examples: \`idw(…)\`, every default explicit${idw.calibrate === "user_tower" ? ", then the user tower is calibrated" : ""}. */
export const ${idwConst}: IdwTraining = ${literal({
            momentum: idw.momentum,
            tolerance: idw.tolerance,
            iterations: idw.iterations,
            epochs: idw.epochs,
            sample: idw.sample,
            noise: idw.noise,
            calibrateUserTower: idw.calibrate === "user_tower",
          })};`,
        ]
      : []),
  ];
  const code = trainedModelCode(
    block,
    ctx,
    {
      type: "RecModel",
      declarations,
      exports: [cls, ...(idwConst ? [idwConst] : [])],
      make: `new ${cls}(${dataVar})`,
      modelImports: made.modelImports,
      modelTypeImports: [...made.modelTypeImports, ...(idw ? ["IdwTraining"] : [])],
    },
    training,
  );
  // Iterative density weighting trains in phases (initial, reweighting iterations, calibration).
  return idwConst
    ? {
        ...code,
        train: [`await trainWeightedBlock(run, ${code.variable}, ${dataVar}, ${training.constant}, ${idwConst});`],
        trainImports: ["trainWeightedBlock"],
      }
    : code;
}

/** A two-tower model's class (towers, score, sampled softmax, weighting, scoreItems) and the runtime names it uses. */
export function twoTowerClass(spec: TwoTowerClassSpec, ctx: EmitContext): { declaration: string; modelImports: string[]; modelTypeImports: string[] } {
  const a = spec.attributes;
  const userBlock = ctx.block(refName(a.user));
  const itemBlock = ctx.block(refName(a.item));
  const userClass = towerClass(userBlock, ctx);
  const itemClass = towerClass(itemBlock, ctx);
  const user = userTowerShape(userBlock);
  const item = itemTowerShape(itemBlock);
  const { history, seed, cls, student } = spec;
  const declared = a.loss;
  if (declared.type !== "sampled_softmax" && declared.type !== "softmax")
    throw new Error(`internal: model ${spec.name}: a two-tower model trains with sampled_softmax or softmax, not ${declared.type} (the checker reports this)`);
  // A full softmax still gives in-batch logits (a distillation teacher's view, a distilled student's
  // loss): raw scores of the batch's targets, nothing subtracted.
  const full = declared.type === "softmax" ? declared : null;
  const loss: SampledLoss =
    declared.type === "softmax" ? { type: "sampled_softmax", negatives: "in_batch", count: 100, logq: false, temperature: 1 } : declared;
  const weighting = a.weighting;
  const maxInterest = a.score === "max_interest";
  const weighted = weighting.type !== "none";
  const idw = weighting.type === "idw" ? weighting : null;
  const d = user.dim;
  const h = user.interests;
  // A user-ID tower reads the batch's user indices; the others read its histories.
  const userIds = userBlock.type === "user_tower";
  const userInput = (batch: string) => `${batch}.${userIds ? "users" : "histories"}`;
  const itemCall = (ids: string, forward: string) => `this.item.vectors(${ids}${item.extra ? `, ${forward}` : ""})`;
  const columns = full ? "(this.numItems + 1)" : loss.negatives === "in_batch" ? "batch.size" : String(loss.count + 1);
  const scoreLine = maxInterest
    ? `return maxInterestScores(users, items); // [B, N + 1]: each item's best interest`
    : `return tf.matMul(tf.reshape(users, [count, ${d}]) as tf.Tensor2D, items, false, true); // [B, N + 1]`;
  const weightsDoc =
    weighting.type === "inverse_frequency"
      ? "Per-example weights by target item: inverse frequency, so every target item counts as much."
      : "Per-example weights by target item: uniform until IDW sets them between phases.";

  const plainLoss = `  /** Mean ${weighted ? "weighted " : ""}cross-entropy of each example's target among its candidates${user.extra ? ", plus the interest disagreement" : ""}. */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const rng = ctx.rng ?? new Rng(0);
    const forward: ForwardContext = ctx.training ? { training: true, rng } : INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(${userInput("batch")}, batch.size, forward); // [B, ${h}, ${d}]${
        maxInterest ? "" : `\n      const user = tf.reshape(users, [batch.size, ${d}]) as tf.Tensor2D; // [B, ${d}]`
      }
      ${full ? fullSoftmaxLogits(maxInterest, itemCall(`tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D`, "forward"), d) : lossParts(loss, maxInterest, (ids) => itemCall(`tf.tensor1d(${ids}, "int32")`, "forward"))}
      ${weighted ? `const weights = this.weights.of(batch.targets); // [B], or undefined when every example weighs 1\n      ` : ""}${
        user.extra ? "const loss = " : "return "
      }softmaxCrossEntropy(logits, labels, { ${weighted ? "weights, " : ""}${full ? `labelSmoothing: ${full.label_smoothing}, ` : ""}ignoreIndex: null });${
        user.extra ? "\n      return tf.add(loss, this.user.regularizer()) as tf.Scalar;" : ""
      }
    });
  }

`;
  // A distilled student's loss is built from the pieces TwoTowerDistillModel reads too.
  const studentLoss = `  /** Mean ${weighted ? "weighted " : ""}cross-entropy of each example's target among the batch's candidates${user.extra ? ", plus the interest disagreement" : ""}. */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    return tf.tidy(() => {
      const { logits, labels${weighted ? ", weights" : ""} } = this.candidateLogits(batch, ctx); // [B, B]
      ${user.extra ? "const loss = " : "return "}softmaxCrossEntropy(logits, labels, { ${weighted ? "weights, " : ""}ignoreIndex: null });${
        user.extra ? "\n      return tf.add(loss, this.user.regularizer()) as tf.Scalar;" : ""
      }
    });
  }

  /** The in-batch softmax's logits [B, B], each row's label column${weighted ? " and the per-example weights (undefined when every example weighs 1)" : ""}: what the loss and the distillation share. */
  candidateLogits(batch: Batch, ctx: LossContext) {
    const rng = ctx.rng ?? new Rng(0);
    const forward: ForwardContext = ctx.training ? { training: true, rng } : INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(${userInput("batch")}, batch.size, forward); // [B, ${h}, ${d}]${
        maxInterest ? "" : `\n      const user = tf.reshape(users, [batch.size, ${d}]) as tf.Tensor2D; // [B, ${d}]`
      }
      ${lossParts(loss, maxInterest, (ids) => itemCall(`tf.tensor1d(${ids}, "int32")`, "forward"))}
      return { logits, labels${weighted ? ", weights: this.weights.of(batch.targets)" : ""} };
    });
  }

  /** The user tower's extra loss term${user.extra ? " (the interest disagreement)" : ": none"}. */
  regularizer(): tf.Scalar | null {
    return ${user.extra ? "this.user.regularizer()" : "null"};
  }

`;
  const declaration = `/**
 * ${spec.heading}: user tower \`${userBlock.name}\` (${h === 1 ? "one vector" : `${h} interest vectors`} of ${d}) and item tower \`${itemBlock.name}\`,
 * scored by ${maxInterest ? "the max over interests of <u_h, v_i>" : "the dot product <u, v_i>"}, trained with ${full ? "a full softmax over the catalogue" : `${loss.negatives === "in_batch" ? "an in-batch" : "a sampled"} softmax`}${
   weighting.type === "none" ? "" : `, examples weighted by ${weighting.type === "idw" ? "iterative density weighting" : "inverse target frequency"}`
 }.
 */
export class ${cls} implements ${student ? "InBatchStudent" : "RecModel"} {
  readonly name = ${literal(spec.name)};
  /** Every weight, initialised from the training seed (${seed}) and its name. */
  readonly params = new ParamStore(${seed});
  readonly numItems: number;
  readonly historyLength = ${history};
  /** ${userIds ? "Every (user, item) pair of the training data, once" : "Every training position predicting its next item (positions with an empty history left out)"}. */
  readonly trainingExamples: readonly Example[];
  /** Length N + 1: how often each item is a training target. */
  readonly targetCounts: Int32Array;
  readonly user: ${userClass};
  readonly item: ${itemClass};
  /** Training-target frequencies, for ${full ? "the in-batch logits a distillation reads (the full softmax needs none)" : `${loss.negatives === "popularity" ? "drawing negatives and " : ""}the logQ correction`}. */
  private readonly distribution: ItemDistribution;${weighted ? `\n  /** ${weightsDoc} */\n  private readonly weights: ExampleWeights;` : ""}

  constructor(data: PreparedData) {
    this.numItems = data.numItems;
    this.trainingExamples = ${userIds ? "userItemPairs(data.trainTargets)" : "data.trainTargets"};
    this.targetCounts = targetCounts(this.trainingExamples, data.numItems);
    this.user = new ${userClass}(this.params.scope("user_tower"), ${userIds ? "new UserRows(data.trainTargets, data.store.numUsers)" : "data.numItems"}${hasFeatures(userBlock) ? ", data.store" : ""});
    this.item = new ${itemClass}(this.params.scope("item_tower"), data.numItems${hasFeatures(itemBlock) ? ", data.store" : ""});
    this.distribution = new ItemDistribution(this.targetCounts);${
      weighted ? `\n    this.weights = new ExampleWeights(this.trainingExamples, data.numItems);` : ""
    }${weighting.type === "inverse_frequency" ? `\n    this.weights.set(inverseFrequencyWeights(this.targetCounts));` : ""}
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      this.user.vectors(${userIds ? "new Int32Array(1)" : `new Int32Array(${history}).fill(1)`}, 1, INFERENCE);
      this.itemVectors(tf.tensor1d([1], "int32"));${user.extra ? "\n      this.user.regularizer();" : ""}
    });
  }

  /** Item vectors [n, ${d}] of ids [n], in inference mode (retrieval${idw ? ", IDW's densities" : ""}). */
  itemVectors(ids: tf.Tensor1D): tf.Tensor2D {
    return ${itemCall("ids", "INFERENCE")};
  }${
    idw
      ? `

  /** IDW's hook: per-item example weights (rescaled to mean 1), or null for every example weighing 1. */
  setItemWeights(weights: Float32Array | null): void {
    this.weights.set(weights);
  }`
      : ""
  }

${student ? studentLoss : plainLoss}  /** A distillation teacher's view: each row's logits [B, B] against the batch's own targets, at inference. */
  inBatchLogits(batch: Batch) {
    const rng = new Rng(0);
    const forward: ForwardContext = INFERENCE;
    return tf.tidy(() => {
      const users = this.user.vectors(${userInput("batch")}, batch.size, forward); // [B, ${h}, ${d}]${
        maxInterest ? "" : `\n      const user = tf.reshape(users, [batch.size, ${d}]) as tf.Tensor2D; // [B, ${d}]`
      }
      ${lossParts({ ...loss, negatives: "in_batch" }, maxInterest, (ids) => itemCall(`tf.tensor1d(${ids}, "int32")`, "forward"))}
      return { logits, labels };
    });
  }

  /** Retrieval scores [B, N + 1] of every item for a batch of ${userIds ? "users (without them: the out-of-vocabulary row)" : "histories"}. */
  scoreItems(${userIds ? "_histories" : "histories"}: Int32Array, count: number${userIds ? ", userIndices?: Int32Array" : ""}): tf.Tensor2D {
    return tf.tidy(() => {
      const users = this.user.vectors(${userIds ? "userIndices ?? new Int32Array(count).fill(-1)" : "histories"}, count, INFERENCE); // [B, ${h}, ${d}]
      const items = this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D); // [N + 1, ${d}]
      ${scoreLine}
    });
  }

  /** The query side of scoreItems, as \`recspec export\` writes it: each ${userIds ? "user's" : "history's"} vectors [B, ${h}, ${d}], scored by the best dot product. */
  queryVectors(${userIds ? "_histories" : "histories"}: Int32Array, count: number${userIds ? ", userIndices?: Int32Array" : ""}): tf.Tensor3D {
    return this.user.vectors(${userIds ? "userIndices ?? new Int32Array(count).fill(-1)" : "histories"}, count, INFERENCE);
  }

  /** The item side of scoreItems: every item's vector [N + 1, ${d}] (row 0 the padding item). */
  catalogueVectors(): tf.Tensor2D {
    return tf.tidy(() => this.itemVectors(tf.range(0, this.numItems + 1, 1, "int32") as tf.Tensor1D));
  }

  /** The loss's denominator on a batch${weighted ? " (its total example weight)" : ""}, for micro-batch weighting. */
  lossWeight(batch: Batch): number {
    return ${weighted ? "this.weights.total(batch.targets)" : "batch.size"};
  }

  /** Peak bytes of one training step: the user tower, the [B, ${full ? "N + 1" : loss.negatives === "in_batch" ? "B" : "M"}] logits per interest, the item vectors. */
  stepBytes(batch: Batch): number {
    const l = usedLength(batch.histories, batch.size, batch.length);
    return this.user.stepBytes(batch.size, l) + batch.size * ${columns} * ${h} * 4 * 4 + batch.size * ${item.dim} * 4 * 8;
  }

  dispose(): void {
    this.params.dispose();
  }
}`;
  return {
    declaration,
    modelImports: [
      "tf",
      "ParamStore",
      "INFERENCE",
      "Rng",
      "targetCounts",
      "ItemDistribution",
      "sampledSoftmaxLogits",
      "softmaxCrossEntropy",
      "usedLength",
      ...(maxInterest ? ["targetInterestScores", "maxInterestTrainingScores", "maxInterestScores"] : []),
      ...(weighted ? ["ExampleWeights"] : []),
      ...(weighting.type === "inverse_frequency" ? ["inverseFrequencyWeights"] : []),
      ...(userIds ? ["UserRows", "userItemPairs"] : []),
    ],
    modelTypeImports: ["Batch", "Example", "ForwardContext", "LossContext", "PreparedData", "RecModel", ...(student ? ["InBatchStudent"] : [])],
  };
}
