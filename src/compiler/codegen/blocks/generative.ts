// `model NAME = generative(data, ids: quantizer) {…}`: TIGER spelled out as a class in model.ts.
// The token layout over the quantizer's Semantic IDs (user token hashed into buckets, each level's
// codes at its offset, pad / start tokens), `encode` (token + learned positions, the encoder
// layers one by one), `decode` (the decoder layers with cross-attention), `levelLogits` (the tied
// output head, one level's codes per position), `loss` (teacher-forced cross-entropy averaged over
// the ID's positions), and `scoreItems` (constrained beam search through the runtime's
// SemanticIdRetrieval, with its settings as literals). Takes the block; gives its code.
import type { IRBlock } from "../../../ir/ir.js";
import { blockOf } from "../../../ir/narrow.js";
import { literal } from "../literal.js";
import { type BlockCode, type EmitContext, describe, refName } from "./block-code.js";
import { resolvedEncoder } from "./encoder.js";
import { trainCode, trainedModelCode } from "./train.js";

export function generativeCode(block: IRBlock, ctx: EmitContext): BlockCode {
  const a = blockOf(block, "model", "generative").attributes;
  const data = ctx.block(refName(a.data));
  const dataVar = ctx.variable(data.name);
  const ids = refName(a.ids);
  const quantizerVar = ctx.variable(ids);
  const history = Number(data.attributes.history);
  const d = a.encoder.d_model;
  const enc = resolvedEncoder(a.encoder, d);
  const dec = resolvedEncoder({ ...a.decoder, causal: true }, d);
  const buckets = a.user.type === "hashed" ? a.user.buckets : 0;
  const width = a.decode.width;
  const constrained = a.decode.constrain === "trie";
  const coldShare = a.cold_start_share;
  const cls = ctx.exported("class", block.name, (p) => `${p}Model`);
  const encoderConst = ctx.exported("encoder", block.name, (_p, c) => `${c}Encoder`);
  const decoderConst = ctx.exported("decoder", block.name, (_p, c) => `${c}Decoder`);
  const training = trainCode(block, ctx);
  const seed = training.seed;
  const maxPositions = enc.maxPositions;
  const u = buckets ? 1 : 0;
  const finalNorm = (config: typeof enc, scope: string) =>
    config.config.norm === "pre" ? `\n      x = layerNorm(x, ${scope}.scope("final_norm"), ${d}); // [B, S, ${d}]` : "";

  const declarations = [
    `/** The encoder of \`${block.name}\`: ${enc.summary}. */\nconst ${encoderConst}: TransformerConfig = ${literal(enc.config)};`,
    `/** The decoder of \`${block.name}\`: ${dec.summary}, each layer also cross-attending over the encoder's output. */\nconst ${decoderConst}: TransformerConfig = ${literal(dec.config)};`,
    `/**
 * ${describe(block)}: TIGER over the Semantic IDs of \`${ids}\`. The encoder reads ${buckets ? "a hashed user token and " : ""}the
 * last ${history} items' ID tokens; the decoder writes the next item's ID token by token, each position scored
 * against its own level's rows of the tied token table. Items are ranked by beam search (${width} beams${constrained ? ", constrained to IDs of items seen in training" : ""}).
 */
export class ${cls} implements RecModel, Seq2SeqDecoding {
  readonly name = ${literal(block.name)};
  /** Every weight, initialised from the training seed (${seed}) and its name. */
  readonly params = new ParamStore(${seed});
  readonly numItems: number;
  readonly historyLength = ${history};
  /** One example per training target: every prefix of every training history, and the item after it. */
  readonly trainingExamples: readonly Example[];
  /**
   * The vocabulary: 0 pad, 1 decoder start, 2 reserved, then level l's codes from offsets[l] (the
   * collision suffix last), then ${buckets ? `${buckets} user buckets` : "no user tokens"}.
   */
  readonly layout: SemanticIdLayout;
  /** Beam search over the decoder${coldShare > 0 ? `; cold items join by their decoded prefix, at most ${coldShare} of a list` : ""}. */
  readonly retrieval: SemanticIdRetrieval;

  constructor(data: PreparedData, ${quantizerVar}: Quantizer) {
    this.numItems = data.numItems;
    this.trainingExamples = slidingTargets(data.split.train);
    this.layout = semanticIdLayout(semanticIdsFor(${literal(block.name)}, ${quantizerVar}, data), ${buckets});
    const sourceMax = ${u} + ${history} * this.layout.tokensPerItem;
    if (sourceMax > ${maxPositions}) {
      throw new Error(\`model ${block.name}: the input has up to \${sourceMax} tokens, more than max_positions ${maxPositions}\`);
    }
    this.retrieval = new SemanticIdRetrieval(this.layout, data, { width: ${width}, constrained: ${constrained}, coldStartShare: ${coldShare} });
    // Build every parameter now, so the trainer and checkpoints see the full set from the start.
    tf.tidy(() => {
      const batch: Batch = { size: 1, length: ${history}, users: Int32Array.of(0), histories: new Int32Array(${history}).fill(1), targets: Int32Array.of(1) };
      this.loss(batch, { training: false });
    });
  }

  /** [V, ${d}]: one row per token of the layout; also the output layer. */
  tokenTable(): tf.Tensor2D {
    return this.params.get("tokens", [this.layout.vocabulary, ${d}], normal(0.05)) as tf.Tensor2D;
  }

  /** Encoder output [B, S, ${d}] and the source mask [B, S]: S = ${buckets ? "1 + " : ""}(used columns) × tokens per item. */
  encode(histories: Int32Array, count: number, users: Int32Array | undefined, ctx: ForwardContext = INFERENCE): { memory: tf.Tensor3D; mask: tf.Tensor2D } {
    const source = sourceTokens(this.layout, histories, count, ${history}, users); // [B, S] each
    const s = source.length;
    const encoder = this.params.scope("encoder");
    return tf.tidy(() => {
      const mask = tf.tensor2d(source.mask, [count, s]); // [B, S]: 0 for padding
      const tokens = this.tokenTable(); // [V, ${d}]
      const positions = this.params.get("encoder_positions", [${maxPositions}, ${d}], normal(0.05)); // [${maxPositions}, ${d}]
      let x: tf.Tensor = tf.add(
        tf.gather(tokens, tf.tensor2d(source.ids, [count, s], "int32")),
        tf.gather(positions, tf.tensor2d(source.positions, [count, s], "int32")),
      ); // [B, S, ${d}]
      x = dropout(x, ${enc.config.dropout}, ctx);
      // Attention may not look at padding.
      const bias = encoderBias(s, ${encoderConst}, { paddingMask: mask });
      for (let i = 0; i < ${enc.config.layers}; i++) {
        x = encoderLayer(x, encoder.scope("layer" + i), ${encoderConst}, bias, ctx); // [B, S, ${d}]
      }${finalNorm(enc, "encoder")}
      return { memory: x as tf.Tensor3D, mask: mask as tf.Tensor2D };
    });
  }

  /** Decoder hidden states [n, len, ${d}] for inputs [n, len] (global token ids, the start token first). */
  decode(inputs: Int32Array, n: number, len: number, memory: tf.Tensor3D, mask: tf.Tensor2D, ctx: ForwardContext = INFERENCE): tf.Tensor3D {
    const decoder = this.params.scope("decoder");
    return tf.tidy(() => {
      let x: tf.Tensor = tf.add(
        tf.gather(this.tokenTable(), tf.tensor2d(inputs, [n, len], "int32")),
        tf.gather(this.decoderPositions(), tf.tensor2d(decoderPositions(n, len), [n, len], "int32")),
      ); // [n, len, ${d}]
      x = dropout(x, ${dec.config.dropout}, ctx);
      // A position sees itself and earlier ones; the memory's padding is masked.
      const bias = decoderBiases(len, { memoryPaddingMask: mask });
      for (let i = 0; i < ${dec.config.layers}; i++) {
        x = decoderLayer(x, memory, decoder.scope("layer" + i), ${decoderConst}, bias.self, bias.memory, ctx); // [n, len, ${d}]
      }${finalNorm(dec, "decoder").replace("[B, S,", "[n, len,")}
      return x as tf.Tensor3D;
    });
  }

  /** The same decoder, one position at a time over cached keys and values (beam search). */
  incrementalDecoder(memory: tf.Tensor3D, mask: tf.Tensor2D): IncrementalDecoder {
    return new IncrementalDecoder(this.params.scope("decoder"), ${decoderConst}, memory, mask);
  }

  /** The decoder's input [n, ${d}] at position t: token ids [n] plus position t. */
  stepInput(ids: Int32Array, t: number): tf.Tensor2D {
    return tf.add(tf.gather(this.tokenTable(), tf.tensor1d(ids, "int32")), tf.slice(this.decoderPositions(), [t, 0], [1, ${d}]));
  }

  /** Logits [n, sizes[l]] of position l: hidden states [n, ${d}] against level l's rows of the token table. */
  levelLogits(h: tf.Tensor2D, l: number): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = tf.slice(this.tokenTable(), [this.layout.offsets[l], 0], [this.layout.sizes[l], ${d}]) as tf.Tensor2D;
      return tf.matMul(h, rows, false, true);
    });
  }

  /** Teacher-forced cross-entropy of the target's ID, averaged over its positions (ln(size) each at initialisation). */
  loss(batch: Batch, ctx: LossContext): tf.Scalar {
    const fctx: ForwardContext = ctx.training ? { training: true, rng: ctx.rng ?? new Rng(0) } : INFERENCE;
    const n = batch.size;
    const t = this.layout.tokensPerItem;
    // The decoder reads [start, t_0 … t_{T−2}] and predicts t_0 … t_{T−1}.
    const { inputs, targets } = teacherForcing(this.layout, batch.targets, n);
    return tf.tidy(() => {
      const { memory, mask } = this.encode(batch.histories, n, batch.users, fctx);
      const hidden = this.decode(inputs, n, t, memory, mask, fctx); // [B, T, ${d}]
      let total: tf.Scalar = tf.scalar(0);
      for (let l = 0; l < t; l++) {
        const h = tf.reshape(tf.slice(hidden, [0, l, 0], [n, 1, ${d}]), [n, ${d}]) as tf.Tensor2D; // [B, ${d}]
        const ce = softmaxCrossEntropy(this.levelLogits(h, l), tf.tensor1d(targets[l], "int32"), { labelSmoothing: 0, ignoreIndex: null });
        total = tf.add(total, ce);
      }
      return tf.div(total, t) as tf.Scalar;
    });
  }

  /** Scores [B, N + 1]: the beam score of each retrieved item, −Infinity for every other; the search skips exclude[b]'s items. */
  scoreItems(histories: Int32Array, count: number, users?: Int32Array, exclude?: readonly ArrayLike<number>[]): Promise<tf.Tensor2D> {
    return this.retrieval.scoreItems(this, histories, count, ${history}, users, exclude);
  }

  /** Every example weighs the same: the loss is a mean over the batch. */
  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Peak bytes of one training step: both transformer stacks over the batch's source and the ID's tokens. */
  stepBytes(batch: Batch): number {
    return generativeStepBytes(batch, this.layout, ${encoderConst}, ${decoderConst});
  }

  dispose(): void {
    this.params.dispose();
  }

  private decoderPositions(): tf.Tensor2D {
    return this.params.get("decoder_positions", [this.layout.tokensPerItem, ${d}], normal(0.05)) as tf.Tensor2D;
  }
}`,
  ];
  return trainedModelCode(
    block,
    ctx,
    {
      type: "RecModel",
      declarations,
      exports: [cls],
      make: `new ${cls}(${dataVar}, ${quantizerVar})`,
      modelImports: [
        "tf",
        "ParamStore",
        "INFERENCE",
        "Rng",
        "normal",
        "dropout",
        "encoderBias",
        "encoderLayer",
        "decoderBiases",
        "decoderLayer",
        "IncrementalDecoder",
        ...(enc.config.norm === "pre" || dec.config.norm === "pre" ? ["layerNorm"] : []),
        "slidingTargets",
        "semanticIdLayout",
        "semanticIdsFor",
        "sourceTokens",
        "teacherForcing",
        "decoderPositions",
        "generativeStepBytes",
        "SemanticIdRetrieval",
        "softmaxCrossEntropy",
      ],
      modelTypeImports: [
        "Batch",
        "Example",
        "ForwardContext",
        "LossContext",
        "PreparedData",
        "Quantizer",
        "RecModel",
        "SemanticIdLayout",
        "Seq2SeqDecoding",
        "TransformerConfig",
      ],
    },
    training,
  );
}
