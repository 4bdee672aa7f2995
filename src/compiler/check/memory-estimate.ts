// What a block allocates when it runs, estimated from its derived attributes: the weight tables and
// matrices it trains (each with its optimizer's slots), the largest activations of one step, and the
// synthetic data it generates. Takes a derived block and a way to look up the blocks it refers to;
// gives one Allocation per kind of tensor, with the attribute that decides its size, so the checker
// can refuse a spec no machine (or not this one) can hold before anything is allocated.
//
// The estimate is a floor, not a forecast: biases, norms, gradients and temporaries are left out,
// and a dimension only the data knows (a real catalogue's size) counts as unknown (`partial`).
import type { Dim, DerivedBlock } from "./derive.js";
import type { Value } from "./types.js";

type Rec = Record<string, Value>;

/** Every tensor value is a 32-bit float or integer. */
export const BYTES_PER_VALUE = 4;
/** The most values one tensor or array may hold: TypedArrays and tf.js index with 32-bit ints. */
export const MAX_TENSOR_VALUES = 2 ** 31 - 1;
/**
 * Heap bytes per interaction of generated synthetic data (raw id columns, then the store's index
 * arrays) and per user or item: the same rule the runtime's generator enforces (RS6021).
 */
export const SYNTHETIC_BYTES_PER_INTERACTION = 48;
export const SYNTHETIC_BYTES_PER_ENTITY = 128;

export interface Allocation {
  /** What it is, for people: "item embedding table". */
  readonly what: string;
  /** Shape of one tensor of this kind. */
  readonly shape: readonly number[];
  /** Tensors of this shape (one per layer, per projection …). */
  readonly count: number;
  /** 1 + optimizer slots for trained weights; 1 for activations and data. */
  readonly copies: number;
  readonly bytes: number;
  /** Where it lives: tensors (native or ArrayBuffer memory) or the JavaScript heap (generated data). */
  readonly memory: "tensors" | "heap";
  /** The block and attribute (a dotted path in it) whose value decides the size. */
  readonly block: string;
  readonly attribute: string;
}

export interface MemoryEstimate {
  readonly allocations: Allocation[];
  /** True when some sizes depend on data only a run reads: the estimate is then a lower bound. */
  readonly partial: boolean;
}

/** Values in one tensor of `shape`. */
export function valuesOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Slots an optimizer keeps per trained value: Adam's two moments, Adagrad's accumulator, momentum. */
export function optimizerSlots(optimizer: Value | undefined): number {
  const o = (optimizer ?? { type: "adam" }) as Rec;
  switch (o.type) {
    case "adam":
    case "adamw":
      return 2;
    case "adagrad":
      return 1;
    case "sgd":
      return typeof o.momentum === "number" && o.momentum > 0 ? 1 : 0;
    default:
      return 2;
  }
}

/** Looks up a block by name (the towers a two-tower model trains, the data a model reads). */
export type BlockLookup = (name: string) => DerivedBlock | undefined;

export function estimateMemory(derived: DerivedBlock, lookup: BlockLookup): MemoryEstimate {
  const e = new Estimator(derived.block.name, lookup);
  const a = derived.attributes;
  const train = derived.block.train;
  switch (derived.block.kind) {
    case "dataset":
      e.dataset(derived.block.type, a);
      break;
    case "features":
      e.add("content vectors", [derived.facts.items, a.dim as number], 1, 1, "dim");
      break;
    case "quantizer":
      e.quantizer(derived, train);
      break;
    case "model":
      e.model(derived.block.type, a, train, "", derived.block.attributes);
      break;
    case "distill": {
      const student = a.student as { type: string; attributes: Rec };
      e.model(student.type, student.attributes, train, "student", student.attributes);
      break;
    }
    default:
      // Towers are trained, and counted, inside the models that use them.
      break;
  }
  return { allocations: e.allocations, partial: e.partial };
}

class Estimator {
  readonly allocations: Allocation[] = [];
  partial = false;

  constructor(
    private readonly block: string,
    private readonly lookup: BlockLookup,
  ) {}

  /** Records `count` tensors of `shape`; a symbolic dimension makes the estimate partial instead. */
  add(what: string, shape: readonly Dim[], count: number, copies: number, attribute: string, block = this.block): void {
    if (shape.some((d) => typeof d !== "number")) {
      this.partial = true;
      return;
    }
    const dims = shape as number[];
    if (count <= 0 || dims.some((d) => d <= 0)) return;
    const bytes = valuesOf(dims) * BYTES_PER_VALUE * count * copies;
    this.allocations.push({ what, shape: dims, count, copies, bytes, memory: "tensors", block, attribute });
  }

  dataset(type: string, a: Rec): void {
    if (type !== "synthetic") {
      this.partial = true;
      return;
    }
    const users = a.users as number;
    const length = a.length as number;
    const items = (a.clusters as number) * (a.items_per_cluster as number);
    const interactions = users * length;
    const bytes =
      interactions * SYNTHETIC_BYTES_PER_INTERACTION +
      (users + items) * SYNTHETIC_BYTES_PER_ENTITY +
      users * (a.interests_per_user as number) * BYTES_PER_VALUE;
    this.allocations.push({
      what: "generated interactions",
      shape: [users, length],
      count: 1,
      copies: 1,
      bytes,
      memory: "heap",
      block: this.block,
      attribute: "users",
    });
    this.add("histories", [users, a.history as number], 1, 1, "users");
    // Per-item arrays (cluster and rank of each item) are the catalogue's size.
    this.add("item arrays", [items + 1], 2, 1, "items_per_cluster");
  }

  quantizer(derived: DerivedBlock, train: Rec | null): void {
    const a = derived.attributes;
    const items = derived.facts.items;
    const tokens = derived.facts.tokens ?? 1;
    this.add("Semantic IDs", [items, tokens], 1, 1, "levels");
    if (derived.block.type !== "rqvae") return;
    const copies = 1 + optimizerSlots(train?.optimizer);
    const input = this.facts(a.features)?.output;
    const hidden = ((a.encoder as Rec | undefined)?.layers as number[] | undefined) ?? [];
    const latent = a.latent as number;
    // The encoder input → hidden… → latent, and the decoder mirrors it.
    const widths = [input ?? 0, ...hidden, latent];
    for (let i = 0; i + 1 < widths.length; i++) this.add("encoder and decoder layers", [widths[i], widths[i + 1]], 2, copies, "encoder");
    this.add("codebooks", [a.levels as number, a.codebook as number, latent], 1, copies, "codebook");
  }

  /** A trained model (or a distilled student, whose attributes sit under `prefix`). */
  model(type: string, a: Rec, train: Rec | null, prefix: string, written?: Rec): void {
    const at = (name: string) => (prefix ? prefix : name);
    const copies = 1 + optimizerSlots(train?.optimizer);
    const batch = (train?.batch as number | undefined) ?? 256;
    const micro = train?.micro_batch as number | null | undefined;
    // Without `micro_batch` the runtime splits a step to fit memory, down to one example.
    const step = micro ?? 1;
    const stepAttribute = micro ? "train.micro_batch" : "train.batch";
    const data = this.facts(a.data);
    const history = data?.history ?? 50;
    switch (type) {
      case "sequential": {
        const items = this.items(a.data);
        const vocab = plusOne(items);
        const embedding = a.embedding as number;
        this.add("item embedding table", [vocab, embedding], 1, copies, at("embedding"));
        this.transformer(a.encoder as Rec, history, step, copies, at("encoder"), false, this.block, written?.encoder, at("embedding"));
        this.add("input histories of a batch", [batch, history], 1, 1, at("train.batch"));
        const positions = a.positions === "last" ? 1 : history;
        this.add("logits over the catalogue", [step, positions, vocab], 1, 1, at(micro ? stepAttribute : "positions"));
        break;
      }
      case "two_tower": {
        const user = (a.user as { ref: string }).ref;
        const item = (a.item as { ref: string }).ref;
        this.tower(user, copies, step);
        this.tower(item, copies, step);
        const loss = a.loss as Rec;
        const candidates = loss?.negatives === "in_batch" || loss?.negatives === undefined ? batch : (loss.count as number);
        // A full softmax scores the whole catalogue each step.
        if (loss?.type === "softmax") this.add("catalogue logits", [batch, this.lookup(item)?.facts.items ?? "items"], 1, 1, at("train.batch"));
        else this.add("in-batch logits", [batch, candidates], 1, 1, at("train.batch"));
        // Evaluation embeds the whole catalogue once with the item tower.
        const itemTower = this.lookup(item);
        this.add("catalogue vectors", [itemTower?.facts.items ?? "items", (itemTower?.attributes.output as number) ?? 0], 1, 1, "embedding", item);
        break;
      }
      case "generative": {
        const ids = this.facts(a.ids);
        const encoder = a.encoder as Rec;
        const dModel = encoder.d_model as number;
        const tokens = ids?.tokens ?? 1;
        const levels = ids?.levels ?? tokens;
        const user = a.user as Rec;
        const buckets = user?.type === "hashed" ? (user.buckets as number) : 0;
        // The collision suffix's codes are known only from the data: the known part is a floor.
        const vocabulary = levels * (ids?.codebook ?? 0) + buckets + 3;
        if (tokens > levels) this.partial = true;
        this.add("token embedding table", [vocabulary, dModel], 1, copies, at(user?.type === "hashed" ? "user" : "ids"));
        const source = (user?.type === "hashed" ? 1 : 0) + history * tokens;
        this.transformer(encoder, source, step, copies, at("encoder"), false);
        this.transformer(a.decoder as Rec, tokens + 1, step, copies, at("decoder"), true);
        this.add("logits over the vocabulary", [step, tokens, vocabulary], 1, 1, at(micro ? stepAttribute : "ids"));
        break;
      }
      case "ranking": {
        const embedding = a.embedding as number;
        const item = a.item as Rec;
        if (item.type === "random_id") this.add("hashed item table", [item.buckets as number, embedding], 1, copies, at("item"));
        else if (item.type === "semantic_id") {
          const ids = this.facts(item.ids);
          const embed = item.embed as Rec;
          const levels = ids?.levels ?? 1;
          if (embed.type === "ngram") {
            const tables = Math.max(1, levels - (embed.n as number) + 1);
            this.add("n-gram tables", [embed.rows as number, embedding], tables, copies, at("item"));
          } else this.add("SentencePiece table", [embed.vocab as number, embedding], 1, copies, at("item"));
        } else if (item.type === "dense") {
          const features = this.facts(item.features);
          this.add("content projection", [features?.output ?? 0, embedding], 1, copies, at("item"));
        }
        const layers = a.layers as number[];
        const widths = [3 * embedding, ...layers, 1];
        for (let i = 0; i + 1 < widths.length; i++) this.add("scoring layers", [widths[i], widths[i + 1]], 1, copies, at("layers"));
        break;
      }
      case "matrix_factorization": {
        const dim = a.dim as number;
        // Row 0 of the user table is shared by users never seen in training.
        this.add("user factors", [plusOne(data?.users ?? "users"), dim], 1, copies, at("dim"));
        this.add("item factors", [plusOne(this.items(a.data)), dim], 1, copies, at("dim"));
        const loss = a.loss as Rec | undefined;
        const candidates = loss?.type === "bpr" ? 1 + ((loss.negatives as number) ?? 1) : plusOne(this.items(a.data));
        this.add("logits", [micro ?? batch, candidates], 1, 1, at(micro ? stepAttribute : "train.batch"));
        break;
      }
      default:
        // A model the estimate does not know yet: what it allocates is unknown, not zero.
        this.partial = true;
        break;
    }
  }

  /** A tower's weights, trained with the model's optimizer; sizes are the tower block's attributes. */
  private tower(name: string, copies: number, step: number): void {
    const t = this.lookup(name);
    if (!t) return;
    const a = t.attributes;
    const embedding = a.embedding as number;
    const data = this.facts(a.data);
    const history = data?.history ?? 50;
    if (t.block.type === "user_tower") {
      this.add("user embedding table", [plusOne(data?.users ?? "users"), embedding], 1, copies, "embedding", name);
    } else {
      this.add("item embedding table", [plusOne(t.facts.items), embedding], 1, copies, "embedding", name);
    }
    if (t.block.type === "item_tower" || t.block.type === "user_tower") {
      const widths = [embedding, ...((a.layers as number[]) ?? [])];
      for (let i = 0; i + 1 < widths.length; i++) this.add("tower layers", [widths[i], widths[i + 1]], 1, copies, "layers", name);
    } else if (t.block.type === "multi_interest") {
      const attention = a.attention as Rec;
      const layers = attention.layers as number;
      this.add("self-attention projections", [embedding, embedding], 4 * layers, copies, "embedding", name);
      this.add("attention scores", [step, attention.heads as number, history, history], layers, 1, "attention", name);
      this.add("interest queries", [a.interests as number, embedding], 1, copies, "interests", name);
      if (a.output !== embedding) this.add("output projection", [embedding, a.output as number], 1, copies, "output", name);
    } else if (t.block.type === "sequence_encoder") {
      this.transformer(a.encoder as Rec, history, step, copies, "encoder", false, name, t.block.attributes.encoder, "embedding");
      if (a.output !== embedding) this.add("output projection", [embedding, a.output as number], 1, copies, "output", name);
    } else this.partial = true;
  }

  /**
   * A transformer stack of L layers, d = d_model, h × k = heads × head_dim, f = d_ff, over sequences of
   * `length`: per layer the q, k, v projections [d, h·k] and the output [h·k, d] (twice with
   * cross-attention), the feed-forward [d, f] and [f, d], the position table [max_positions, d], and
   * the attention scores of a step [step, h, length, length] per layer.
   */
  private transformer(
    enc: Rec,
    length: number,
    step: number,
    copies: number,
    attribute: string,
    cross: boolean,
    block = this.block,
    written?: Value,
    embedding = attribute,
  ): void {
    const layers = enc.layers as number;
    const d = enc.d_model as number;
    const inner = (enc.heads as number) * (enc.head_dim as number);
    const attentions = cross ? 2 : 1;
    // A width left to follow the embedding is the embedding's doing, and so is a `d_ff` left at 4 × width.
    const w = written as Rec | undefined;
    const width = w && w.d_model == null ? embedding : attribute;
    const ff = w && w.d_ff == null ? width : attribute;
    this.add("attention projections", [d, inner], 3 * layers * attentions, copies, width, block);
    this.add("attention outputs", [inner, d], layers * attentions, copies, width, block);
    this.add("feed-forward layers", [d, enc.d_ff as number], 2 * layers, copies, ff, block);
    this.add("position table", [enc.max_positions as number, d], 1, copies, width, block);
    this.add("attention scores", [step, enc.heads as number, length, length], layers * attentions, 1, attribute, block);
  }

  private facts(ref: Value | undefined) {
    const name = (ref as { ref?: string } | undefined)?.ref;
    return name === undefined ? undefined : this.lookup(name)?.facts;
  }

  private items(ref: Value | undefined): Dim {
    return this.facts(ref)?.items ?? "items";
  }
}

function plusOne(items: Dim): Dim {
  return typeof items === "number" ? items + 1 : `${items}+1`;
}

/** "1.2 GB", "640 MB", "12 kB": sizes for people, in powers of 1000 like the runtime's. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e12) return `${(bytes / 1e12).toFixed(1)} TB`;
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.ceil(bytes / 1e3)} kB`;
}
