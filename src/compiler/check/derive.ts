// Shape inference and cross-block rules. Takes checked blocks in dependency order, fills derived
// defaults (transformer widths, output dims, history lengths), annotates every tensor's shape, and
// reports rules broken between blocks, naming both sides. Dimensions that depend on the data
// (a real catalogue's size) are symbolic: `items(beauty)`.
import type { Expr, Span } from "../ast.js";
import type { Label } from "../diagnostics/diagnostic.js";
import type { ModelType } from "./metric-support.js";
import type { ValueChecker } from "./values.js";
import type { CheckedBlock } from "./blocks.js";
import type { Value } from "./types.js";
import { setPath } from "./overrides.js";
import { interactionsFormat } from "../../ir/interactions-format.js";
import { deriveMatrixFactorization, deriveUserTower } from "./id-model-rules.js";
import { checkSideFeatures } from "./side-feature-rules.js";
import { checkDatasetRules, checkModelSplit } from "./dataset-rules.js";

export type Dim = number | string;
type Rec = Record<string, Value>;

/** What later blocks need to know about an earlier one. */
export interface BlockFacts {
  /** The data set whose items this block represents or ranks. */
  dataset: string;
  items: Dim;
  /** Data sets: how many users (symbolic for real data). */
  users?: Dim;
  history?: number;
  /** Output width of a tower or features block. */
  output?: number;
  /** Tokens per Semantic ID (levels + collision suffix) and codes per level, for quantizers. */
  tokens?: number;
  /** Levels before any collision suffix. */
  levels?: number;
  codebook?: number;
  multiInterest?: boolean;
}

export type Derived = { shapes: Record<string, Dim[]>; facts: BlockFacts };

export interface DerivedBlock {
  readonly block: CheckedBlock;
  readonly attributes: Rec;
  readonly shapes: Record<string, Dim[]>;
  readonly facts: BlockFacts;
}

/**
 * The item content each data-set reader gives (content_vectors reads it): Amazon's attribute file
 * (when present), MovieLens' genres and titles; generic interactions and synthetic data have none.
 */
const ITEM_CONTENT: Readonly<Record<string, readonly string[]>> = {
  amazon: ["attributes"],
  movielens: ["attributes", "text"],
  interactions: [],
  synthetic: [],
};

/** Special tokens of the generative model's vocabulary: padding, beginning and end of sequence. */
export const GENERATIVE_SPECIAL_TOKENS = 3;

export class Deriver {
  readonly facts = new Map<string, BlockFacts>();
  readonly blocks = new Map<string, CheckedBlock>();

  constructor(private readonly vc: ValueChecker) {}

  derive(block: CheckedBlock, attributes: Rec = block.attributes, at?: Span): DerivedBlock | undefined {
    const a = structuredClone(attributes) as Rec;
    const ctx = new RuleContext(this.vc, block, at);
    let result: Derived | undefined;
    switch (block.kind) {
      case "dataset":
        result = this.dataset(block, a, ctx);
        break;
      case "features":
        result = this.features(block, a, ctx);
        break;
      case "quantizer":
        result = this.quantizer(block, a, ctx);
        break;
      case "tower":
        result = this.tower(block, a, ctx);
        break;
      case "model":
        result = this.model(block, a, ctx);
        break;
      case "distill":
        result = this.distill(block, a, ctx);
        break;
      default:
        return unreachable(block.kind, "block kind");
    }
    if (!result || ctx.failed) return undefined;
    this.facts.set(block.name, result.facts);
    this.blocks.set(block.name, block);
    return { block, attributes: a, shapes: result.shapes, facts: result.facts };
  }

  private fact(value: Value): BlockFacts {
    const name = (value as { ref: string }).ref;
    const facts = this.facts.get(name);
    if (!facts) throw new Error(`internal: ${name} derived out of order`);
    return facts;
  }

  private dataset(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    let items: Dim = `items(${block.name})`;
    let users: Dim = `users(${block.name})`;
    if (block.type === "synthetic" && (a.min_length as number) > (a.length as number)) {
      ctx.fail(
        "RS5002",
        block.spans.has("min_length") ? "min_length" : "length",
        { dataset: block.name, length: a.length as number, minLength: a.min_length as number },
        `lower \`min_length\` to ${a.length}, or make sequences longer: \`length = ${a.min_length}\``,
      );
    }
    checkDatasetRules(block, a, ctx);
    if (block.type === "interactions" && interactionsFormat(a.path as string, a.format as string) === null) {
      ctx.fail(
        "RS5003",
        "path",
        { path: a.path as string },
        "name the file `.csv`, `.tsv`, `.jsonl`, `.ndjson` or `.json`, or set `format = csv` or `format = jsonl`",
      );
    }
    if (block.type === "synthetic") {
      items = (a.clusters as number) * (a.items_per_cluster as number);
      users = a.users as number;
      if ((a.interests_per_user as number) > (a.clusters as number)) {
        ctx.fail("RS4002", "interests_per_user", { name: "interests_per_user", range: `≤ clusters (${a.clusters})`, value: String(a.interests_per_user) });
      }
      if ((a.stay as number) + (a.switch as number) > 1 + 1e-12) {
        ctx.fail("RS4009", "switch", { what: `\`stay\` + \`switch\` is ${(a.stay as number) + (a.switch as number)}, more than 1` });
      }
    }
    return {
      shapes: { histories: [users, a.history as number] },
      facts: { dataset: block.name, items, users, history: a.history as number },
    };
  }

  private features(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const data = this.fact(a.items);
    if (block.type === "content_vectors") this.contentSource(a.source as string, this.blocks.get(data.dataset)!, ctx);
    const dim = a.dim as number;
    return { shapes: { vectors: [data.items, dim] }, facts: { dataset: data.dataset, items: data.items, output: dim } };
  }

  /** Content vectors read item attributes or text; some readers never give them. */
  private contentSource(source: string, dataset: CheckedBlock, ctx: RuleContext): void {
    const has = ITEM_CONTENT[dataset.type] ?? [];
    const wanted = source === "auto" ? ["attributes", "text"] : [source];
    if (wanted.some((w) => has.includes(w))) return;
    const help = has.length > 0 ? `use \`source: ${has[0]}\`` : 'give the items vectors of your own: `vectors("vectors.jsonl", items: …, dim: …)`';
    ctx.failWith(
      "RS5001",
      source === "auto" ? "items" : "source",
      { dataset: dataset.name, kind: `a \`${dataset.type}\``, content: wanted.join(" or ") },
      [{ file: dataset.file, span: dataset.node.constructorName.span, message: `\`${dataset.name}\` is read here` }],
      help,
    );
  }

  private quantizer(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const source = this.fact(block.type === "random_ids" ? a.items : a.features);
    const levels = a.levels as number;
    const codebook = a.codebook as number;
    const tokens = levels + (a.collisions === "suffix_token" ? 1 : 0);
    const shapes: Record<string, Dim[]> = { ids: [source.items, tokens] };
    if (block.type === "rqvae") {
      const encoder = a.encoder as Rec;
      const hidden = encoder.layers as number[];
      shapes.input = ["batch", source.output ?? "features"];
      shapes.encoder = ["batch", hidden[hidden.length - 1]];
      shapes.latent = ["batch", a.latent as number];
      shapes.codebooks = [levels, codebook, a.latent as number];
    }
    if (block.type === "lsh" && (codebook & (codebook - 1)) !== 0) {
      ctx.fail("RS3010", "codebook", { name: "codebook", ctor: "lsh", value: codebook }, "lsh draws log2(codebook) random hyperplanes per level");
    }
    return { shapes, facts: { dataset: source.dataset, items: source.items, tokens, levels, codebook } };
  }

  private tower(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const data = this.fact(a.data);
    const embedding = a.embedding as number;
    const history = data.history ?? 50;
    const type = block.type as "item_tower" | "user_tower" | "multi_interest" | "sequence_encoder";
    if (type === "user_tower" || type === "item_tower") checkSideFeatures(block, a, data.dataset, this.blocks.get(data.dataset)?.type ?? "", ctx);
    if (type === "user_tower") return deriveUserTower(block, a, data, ctx);
    if (type === "item_tower") {
      const layers = a.layers as number[];
      const output = (a.output as number | null) ?? layers[layers.length - 1] ?? embedding;
      if (a.output !== null && layers.length > 0 && layers[layers.length - 1] !== a.output) {
        ctx.fail("RS3008", "output", {
          what: `item tower \`${block.name}\``,
          left: "the last layer",
          leftDim: layers[layers.length - 1],
          right: "`output`",
          rightDim: String(a.output),
        });
      }
      a.output = output;
      return {
        shapes: { ids: ["batch"], embedding: [data.items, embedding], output: ["batch", output] },
        facts: { dataset: data.dataset, items: data.items, output },
      };
    }
    if (type === "multi_interest") {
      const output = (a.output as number | null) ?? embedding;
      a.output = output;
      const attention = a.attention as Rec;
      if (embedding % (attention.heads as number) !== 0) {
        ctx.fail("RS3002", "attention", { dModel: embedding, heads: String(attention.heads) }, "the self-attention works at the embedding width");
      }
      const interests = a.interests as number;
      return {
        shapes: { history: ["batch", history], sequence: ["batch", history, embedding], interests: ["batch", interests, output] },
        facts: { dataset: data.dataset, items: data.items, output, multiInterest: true },
      };
    }
    if (type !== "sequence_encoder") return unreachable(type, "tower type");
    const encoder = this.transformer(a.encoder as Rec, embedding, "encoder", ctx);
    a.encoder = encoder;
    const output = (a.output as number | null) ?? embedding;
    a.output = output;
    ctx.positions("the history", history, encoder, "encoder");
    return {
      shapes: { history: ["batch", history], sequence: ["batch", history, encoder.d_model as number], output: ["batch", output] },
      facts: { dataset: data.dataset, items: data.items, output },
    };
  }

  /** Fills a transformer's derived widths and checks heads × head_dim against d_model. */
  private transformer(enc: Rec, defaultWidth: number, attribute: string, ctx: RuleContext): Rec {
    const out = { ...enc };
    out.d_model = (enc.d_model as number | null) ?? defaultWidth;
    const dModel = out.d_model as number;
    const heads = enc.heads as number;
    if (enc.head_dim === null) {
      if (dModel % heads !== 0) {
        ctx.fail(
          "RS3002",
          attribute,
          { dModel, heads },
          `set \`head_dim\` explicitly (e.g. \`head_dim: ${Math.max(1, Math.round(dModel / heads))}\`) or choose heads that divide ${dModel}`,
        );
      }
      out.head_dim = Math.max(1, Math.floor(dModel / heads));
    }
    out.d_ff = (enc.d_ff as number | null) ?? 4 * dModel;
    return out;
  }

  private model(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const type = block.type as ModelType;
    if (block.type === "ranking") checkModelSplit(block, this.blocks.get(this.fact(a.data).dataset), ctx);
    switch (type) {
      case "sequential":
        return this.sequential(block, a, ctx);
      case "two_tower":
        return this.twoTower(block, a, ctx);
      case "generative":
        return this.generative(block, a, ctx);
      case "ranking":
        return this.ranking(block, a, ctx);
      case "matrix_factorization":
        return deriveMatrixFactorization(a, this.fact(a.data), ctx);
      default:
        return unreachable(type, "model type");
    }
  }

  private sequential(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const data = this.fact(a.data);
    ctx.loss("sequential", a, ["softmax", "sampled_softmax", "gbce"]);
    if (a.positions === "all" && (a.encoder as Rec).causal !== true) {
      // Without the causal mask, position t attends to the item it must predict.
      // Inside an override (a distilled student) the block's own text is not what decided this.
      const causal = ctx.inOverride ? undefined : callArgument(attributeExpr(block, "encoder"), "causal");
      const positions = ctx.inOverride ? undefined : block.spans.get("positions");
      ctx.failAt(
        "RS3012",
        causal?.span ?? "encoder",
        { model: block.name },
        positions ? [{ file: block.file, span: positions, message: "every position is trained here" }] : [],
        causal
          ? "set `causal: true`, or train on the last position only: `positions = last`"
          : "make the transformer causal (`causal: true`), or train on the last position only: `positions = last`",
      );
    }
    const embedding = a.embedding as number;
    const history = data.history ?? 50;
    const encoder = this.transformer(a.encoder as Rec, embedding, "encoder", ctx);
    a.encoder = encoder;
    if (encoder.d_model !== embedding) {
      ctx.fail(
        "RS3008",
        "encoder",
        {
          what: "the transformer reads item embeddings directly",
          left: "`embedding`",
          leftDim: embedding,
          right: "`encoder.d_model`",
          rightDim: String(encoder.d_model),
        },
        "drop `d_model` or make it equal to `embedding`",
      );
    }
    ctx.positions("the history", history, encoder, "encoder");
    const vocab = typeof data.items === "number" ? data.items + 1 : `${data.items}+1`;
    const positions = a.positions === "last" ? 1 : history;
    return {
      shapes: {
        history: ["batch", history],
        item_embedding: [vocab, embedding],
        sequence: ["batch", history, embedding],
        logits: ["batch", positions, vocab],
      },
      facts: { dataset: data.dataset, items: data.items, output: embedding },
    };
  }

  private twoTower(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const user = this.fact(a.user);
    const item = this.fact(a.item);
    const userName = (a.user as { ref: string }).ref;
    const itemName = (a.item as { ref: string }).ref;
    const userBlock = this.blocks.get(userName)!;
    const itemBlock = this.blocks.get(itemName)!;
    // A tower is built for one side: the user side encodes histories, the item side embeds ids.
    for (const [side, name, tower, wanted] of [
      ["user", userName, userBlock, "a user tower (`user_tower`, `multi_interest` or `sequence_encoder`)"],
      ["item", itemName, itemBlock, "an item tower (`item_tower`)"],
    ] as const) {
      if ((tower.type === "item_tower") === (side === "item")) continue;
      const actual = tower.type === "item_tower" ? "an item tower" : `a user tower (\`${tower.type}\`)`;
      const data = (tower.attributes.data as { ref?: string } | undefined)?.ref ?? "data";
      ctx.failWith(
        "RS2003",
        side,
        { name, actual, expected: wanted },
        [{ file: tower.file, span: tower.node.constructorName.span, message: `\`${name}\` is built here` }],
        side === "user" ? `embed user ids with \`user_tower(${data})\`, or encode histories with \`sequence_encoder(${data})\`` : undefined,
      );
      return undefined;
    }
    if (user.output !== item.output) {
      ctx.failWith(
        "RS3001",
        "item",
        { user: userName, item: itemName, userDim: String(user.output), itemDim: String(item.output) },
        [
          { file: userBlock.file, span: userBlock.node.name.span, message: `\`${userName}\` outputs ${user.output}` },
          { file: itemBlock.file, span: itemBlock.node.name.span, message: `\`${itemName}\` outputs ${item.output}` },
        ],
        "both towers must produce vectors of the same width to be compared",
      );
    }
    if (user.dataset !== item.dataset) {
      ctx.fail("RS3008", "item", {
        what: "the towers must describe the same data",
        left: `\`${userName}\``,
        leftDim: `over \`${user.dataset}\``,
        right: `\`${itemName}\``,
        rightDim: `over \`${item.dataset}\``,
      });
    }
    if (a.score === "max_interest" && userBlock.type !== "multi_interest") {
      ctx.failWith(
        "RS3003",
        "score",
        { tower: userName, type: userBlock.type },
        [{ file: userBlock.file, span: userBlock.node.constructorName.span, message: `\`${userName}\` is built here` }],
        "use `score = dot`, or a `multi_interest` user tower",
      );
    }
    const interests = userBlock.type === "multi_interest" ? (userBlock.attributes.interests as number) : 1;
    if (a.score === "dot" && interests > 1) {
      const at = block.spans.has("score") ? "score" : "user";
      ctx.failWith(
        "RS3013",
        at,
        { tower: userName, interests },
        [
          {
            file: userBlock.file,
            span: userBlock.spans.get("interests") ?? userBlock.node.constructorName.span,
            message: `\`${userName}\` has ${interests} interests${userBlock.spans.has("interests") ? "" : " (the default)"}`,
          },
        ],
        `score each item by its best interest: \`score = max_interest\`, or give \`${userName}\` \`interests = 1\``,
      );
    }
    ctx.loss("two_tower", a, ["sampled_softmax", "softmax"]);
    const d = user.output ?? 0;
    const full = (a.loss as Rec).type === "softmax";
    return {
      shapes: {
        user: ["batch", interests, d],
        item: ["batch", d],
        logits: ["batch", !full ? "batch" : typeof item.items === "number" ? item.items + 1 : `${item.items}+1`],
        catalogue: [item.items, d],
      },
      facts: { dataset: item.dataset, items: item.items, output: d },
    };
  }

  private generative(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const data = this.fact(a.data);
    const ids = this.fact(a.ids);
    const quantizerName = (a.ids as { ref: string }).ref;
    if (ids.dataset !== data.dataset) {
      const q = this.blocks.get(quantizerName)!;
      ctx.failWith("RS3005", "ids", { model: block.name, modelData: data.dataset, quantizer: quantizerName, quantizerData: ids.dataset }, [
        { file: q.file, span: q.node.name.span, message: `\`${quantizerName}\` is declared here` },
      ]);
    }
    // Without a collision suffix each ID must name one item: codebook^levels IDs cannot name more.
    const distinctIds = ids.levels !== undefined && ids.codebook !== undefined && ids.tokens === ids.levels ? ids.codebook ** ids.levels : Infinity;
    if (typeof data.items === "number" && distinctIds < data.items) {
      const q = this.blocks.get(quantizerName)!;
      ctx.failWith(
        "RS3015",
        "ids",
        { model: block.name, quantizer: quantizerName, ids: distinctIds, items: data.items },
        [
          {
            file: q.file,
            span: q.spans.get("collisions") ?? q.node.name.span,
            message: `\`${quantizerName}\` has ${ids.levels} levels × ${ids.codebook} codes and no collision suffix`,
          },
        ],
        `set \`collisions = suffix_token\` on \`${quantizerName}\`, or more levels or codes`,
      );
    }
    const encoder = this.transformer(a.encoder as Rec, 128, "encoder", ctx);
    const decoder = this.transformer(a.decoder as Rec, encoder.d_model as number, "decoder", ctx);
    a.encoder = encoder;
    a.decoder = decoder;
    if (encoder.d_model !== decoder.d_model) {
      ctx.fail("RS3008", "decoder", {
        what: "cross-attention joins encoder and decoder",
        left: "`encoder.d_model`",
        leftDim: encoder.d_model as number,
        right: "`decoder.d_model`",
        rightDim: String(decoder.d_model),
      });
    }
    const tokens = ids.tokens ?? 1;
    const history = data.history ?? 20;
    const user = a.user as Rec;
    const userTokens = user.type === "hashed" ? 1 : 0;
    const sourceLength = userTokens + history * tokens;
    ctx.positions(`the input (${userTokens ? "1 user token + " : ""}${history} items × ${tokens} tokens)`, sourceLength, encoder, "encoder");
    ctx.positions(`the target (${tokens} tokens + start)`, tokens + 1, decoder, "decoder");
    const buckets = user.type === "hashed" ? (user.buckets as number) : 0;
    // Levels × codes + user buckets + specials; a collision suffix adds as many codes as the most
    // items sharing one ID, which only the data tells: that part stays symbolic.
    const levels = ids.levels ?? tokens;
    const known = levels * (ids.codebook ?? 0) + buckets + GENERATIVE_SPECIAL_TOKENS;
    const vocabulary: Dim = tokens > levels ? `${known}+suffix(${quantizerName})` : known;
    const dModel = encoder.d_model as number;
    return {
      shapes: {
        source: ["batch", sourceLength],
        target: ["batch", tokens],
        token_embedding: [vocabulary, dModel],
        encoder_output: ["batch", sourceLength, dModel],
        logits: ["batch", tokens, vocabulary],
      },
      facts: { dataset: data.dataset, items: data.items, tokens },
    };
  }

  private ranking(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const data = this.fact(a.data);
    const item = a.item as Rec;
    const embedding = a.embedding as number;
    if (item.type === "semantic_id" || item.type === "dense") {
      const source = item.type === "semantic_id" ? (item.ids as Value) : (item.features as Value);
      const sourceName = (source as { ref: string }).ref;
      const facts = this.fact(source);
      const other = this.blocks.get(sourceName)!;
      if (facts.dataset !== data.dataset) {
        ctx.failWith("RS3005", "item", { model: block.name, modelData: data.dataset, quantizer: sourceName, quantizerData: facts.dataset }, [
          { file: other.file, span: other.node.name.span, message: `\`${sourceName}\` is declared here` },
        ]);
      }
      const embed = item.embed as Rec | undefined;
      // n-grams and SentencePiece pieces run over the levels; a collision suffix is not part of them.
      const levels = facts.levels ?? 0;
      if (item.type === "semantic_id" && embed?.type === "ngram" && (embed.n as number) > levels) {
        ctx.fail("RS3007", "item", { n: String(embed.n), quantizer: sourceName, levels: String(levels) }, `use \`ngram(n: ${levels})\` at most`);
      }
      const codes = levels * (facts.codebook ?? 0);
      if (item.type === "semantic_id" && embed?.type === "spm" && (embed.vocab as number) < codes) {
        ctx.fail(
          "RS4002",
          "item",
          { name: "spm(vocab)", range: `≥ levels × codebook of \`${sourceName}\` (${levels} × ${facts.codebook} = ${codes})`, value: String(embed.vocab) },
          "every single code needs a row of the vocabulary",
        );
      }
    }
    ctx.loss("ranking", a, ["logistic"]);
    const user = { ...(a.user as Rec) };
    user.history = (user.history as number | null) ?? data.history ?? 20;
    a.user = user;
    const layers = a.layers as number[];
    return {
      shapes: {
        history: ["batch", user.history as number],
        user: ["batch", embedding],
        candidate: ["batch", embedding],
        hidden: ["batch", layers[layers.length - 1] ?? 2 * embedding],
        logit: ["batch", 1],
      },
      facts: { dataset: data.dataset, items: data.items, output: embedding },
    };
  }

  private distill(block: CheckedBlock, a: Rec, ctx: RuleContext): Derived | undefined {
    const teacherName = (a.teacher as { ref: string }).ref;
    const teacher = this.fact(a.teacher);
    const student = a.student as { ref: string; overrides?: Rec };
    const studentBase = this.blocks.get(student.ref)!;
    const studentFacts = this.fact({ ref: student.ref });
    let studentAttributes = studentBase.attributes;
    if (student.overrides) {
      studentAttributes = structuredClone(studentBase.attributes) as Rec;
      for (const [path, value] of Object.entries(student.overrides)) setPath(studentAttributes, path, value);
    }
    const derived = this.derive({ ...studentBase, name: `${block.name}.student` }, studentAttributes, block.spans.get("student"));
    if (!derived) {
      ctx.failed = true;
      return undefined;
    }
    this.facts.delete(`${block.name}.student`);
    if (studentFacts.dataset !== teacher.dataset || studentBase.type !== this.blocks.get(teacherName)!.type) {
      ctx.fail("RS3006", "student", {
        teacher: teacherName,
        teacherData: teacher.dataset,
        student:
          studentFacts.dataset !== teacher.dataset
            ? `the items of \`${studentFacts.dataset}\``
            : `with a \`${studentBase.type}\` model, not a \`${this.blocks.get(teacherName)!.type}\``,
      });
    }
    this.distillSupport(studentBase.type, derived.attributes, a, this.blocks.get(teacherName)!, ctx);
    a.student = { model: student.ref, type: studentBase.type, overrides: student.overrides ?? {}, attributes: derived.attributes };
    return {
      shapes: Object.fromEntries(Object.entries(derived.shapes).map(([k, v]) => [`student.${k}`, v])),
      facts: { ...teacher },
    };
  }

  /**
   * What the distillation runtime can train: a sequential student's full softmax over the
   * catalogue, a two-tower student's in-batch softmax (with its weights, not IDW's phases, and no
   * precomputed teacher), or a ranking student's logistic head (full or label_smoothing only). Reported here so that no unsupported block reaches a training run.
   */
  private distillSupport(type: string, student: Rec, a: Rec, teacher: CheckedBlock, ctx: RuleContext): void {
    const into = `a \`${type}\` student`;
    const loss = student.loss as Rec | undefined;
    if (type === "sequential") {
      if (loss?.type !== "softmax") {
        ctx.fail(
          "RS3011",
          "student",
          { student: into, reason: `its loss is \`${loss?.type}\`, but the distillation term is over the whole catalogue` },
          "use `loss = softmax` for the student",
        );
      }
      const causal = (teacher.attributes.encoder as Rec | undefined)?.causal;
      if (student.positions === "all" && causal === false) {
        ctx.fail(
          "RS3011",
          "student",
          { student: into, reason: `it trains every position, but teacher \`${teacher.name}\` is not causal, so its predictions there see the future` },
          "use `positions = last` for the student",
        );
      }
    } else if (type === "two_tower") {
      if (loss?.negatives !== "in_batch") {
        ctx.fail(
          "RS3011",
          "student",
          { student: into, reason: `its loss draws \`${loss?.negatives}\` negatives, but the distillation term is over the in-batch candidates` },
          "use `loss = sampled_softmax(negatives: in_batch)` for the student",
        );
      }
      if ((student.weighting as Rec | undefined)?.type === "idw") {
        ctx.fail(
          "RS3011",
          "student",
          { student: into, reason: "`weighting = idw` trains in phases, which a distilled student does not" },
          "use `weighting = none` or `inverse_frequency` for the student",
        );
      }
      if (a.precompute === true) {
        ctx.fail(
          "RS3011",
          "precompute",
          { student: into, reason: "`precompute` caches a sequential teacher's hidden states; an in-batch teacher runs every step" },
          "remove `precompute`",
        );
      }
    } else if (type === "ranking") {
      const transform = (a.teacher_transform as Rec).type as string;
      if (transform !== "full" && transform !== "label_smoothing") {
        ctx.fail(
          "RS3011",
          "teacher_transform",
          { student: into, reason: `\`${transform}\` has no form for its logistic head` },
          "use `teacher_transform = full` or `label_smoothing`",
        );
      }
      if (a.precompute === true) {
        ctx.fail(
          "RS3011",
          "precompute",
          { student: into, reason: "`precompute` caches a sequential teacher's hidden states; a ranking teacher runs every step" },
          "remove `precompute`",
        );
      }
    } else {
      ctx.fail("RS3011", "student", { student: into, reason: "only `sequential`, `two_tower` and `ranking` students can be distilled" });
    }
  }
}

/** Reports rule violations at the attribute that decides them, or at an override's span. */
export class RuleContext {
  failed = false;

  constructor(
    private readonly vc: ValueChecker,
    private readonly block: CheckedBlock,
    private readonly at?: Span,
  ) {}

  /** True while deriving a block as overridden elsewhere (a distill block's student). */
  get inOverride(): boolean {
    return this.at !== undefined;
  }

  private span(attribute: string): Span {
    return this.at ?? this.block.spans.get(attribute) ?? this.block.node.constructorName.span;
  }

  fail(code: Parameters<ValueChecker["report"]>[0], attribute: string, args: Record<string, string | number>, help?: string): void {
    this.failWith(code, attribute, args, [], help);
  }

  failWith(
    code: Parameters<ValueChecker["report"]>[0],
    attribute: string,
    args: Record<string, string | number>,
    labels: { file: string; span: Span; message: string }[],
    help?: string,
  ): void {
    this.failed = true;
    this.vc.report(code, this.block.file, this.span(attribute), args, { labels, help });
  }

  /** Like failWith, at a span inside the block's own attributes (still at an override's span when there is one). */
  failAt(code: Parameters<ValueChecker["report"]>[0], at: Span | string, args: Record<string, string | number>, labels: Label[], help?: string): void {
    this.failed = true;
    const span = typeof at === "string" ? this.span(at) : (this.at ?? at);
    this.vc.report(code, this.block.file, span, args, { labels, help });
  }

  /** The model's `loss` must be one its runtime trains with. */
  loss(type: ModelType, a: Rec, allowed: readonly string[]): void {
    const loss = (a.loss as Rec | undefined)?.type as string | undefined;
    if (loss === undefined || allowed.includes(loss)) return;
    this.fail("RS3014", "loss", { type, loss }, `a \`${type}\` model trains with ${allowed.map((l) => `\`loss = ${l}\``).join(" or ")}`);
  }

  /** A sequence of `length` positions must fit the encoder's position table. */
  positions(what: string, length: number, encoder: Rec, attribute: string): void {
    const table = encoder.max_positions as number;
    if (length > table) {
      this.fail(
        "RS3004",
        attribute,
        { what, length, encoder: attribute, positions: table },
        `raise \`max_positions\` to at least ${length}, or shorten the history`,
      );
    }
  }
}

/** The expression written for attribute `name` of a block (named argument or body assignment). */
export function attributeExpr(block: CheckedBlock, name: string): Expr | undefined {
  for (const arg of block.node.args ?? []) if (arg.name?.name === name) return arg.value;
  for (const item of block.node.body?.items ?? []) {
    if (item.kind === "Assignment" && item.target.parts.length === 1 && item.target.parts[0].name === name) return item.value;
  }
  return undefined;
}

/** The value expression of a call's named argument, when the expression is a call that names it. */
export function callArgument(expr: Expr | undefined, name: string): Expr | undefined {
  if (expr?.kind !== "Call") return undefined;
  return expr.args.find((a) => a.name?.name === name)?.value;
}

/** The `never` arm of a switch over kinds the signature tables close: a new kind needs its rules here. */
function unreachable(value: never, what: string): never {
  throw new Error(`internal: the checker has no rules for ${what} ${String(value)}`);
}
