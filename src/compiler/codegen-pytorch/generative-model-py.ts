// The generative (TIGER) part of model.py: cross-attention and the decoder layer (once), and per
// `generative` model an nn.Module spelling out the TypeScript target's generated class (the
// codegen/blocks/generative.ts emitter and runtime/models/generative.ts): one token table tied with
// the output head, learned encoder positions numbered in the untrimmed window, the hashed user token
// first, padding keys masked (the source is not zeroed), a causal decoder over [start, t_0 … t_{T−2}]
// with its own learned positions, each position scored against its own level's rows of the token
// table, and cross-entropy averaged over the ID's positions. The layout (sizes, offsets, each item's
// ID, user buckets) comes from the prepared folder. Takes the models; gives Python text.
import type { ResolvedEncoder } from "../codegen/blocks/encoder.js";
import type { PyGenerative } from "./generative-plan.js";
import { wrap } from "./model-py.js";
import { pyComment, pyNumber, pyString } from "./python.js";

/** The layers only a generative model uses, after model.py's EncoderLayer. */
export function generativeLayersPy(): string {
  return `

class CrossAttention(MultiHeadAttention):
    """Attention of queries x [B, L, d] over the encoder's memory [B, S, d] (keys and values)."""

    def forward(  # type: ignore[override]
        self, x: torch.Tensor, memory: torch.Tensor, bias: torch.Tensor
    ) -> torch.Tensor:
        b, length, _ = x.shape
        s = memory.shape[1]
        h, hd = self.heads, self.head_dim
        q = self.query(x).view(b, length, h, hd).transpose(1, 2)  # [B, H, L, hd]
        k = self.key(memory).view(b, s, h, hd).transpose(1, 2)  # [B, H, S, hd]
        v = self.value(memory).view(b, s, h, hd).transpose(1, 2)  # [B, H, S, hd]
        scores = q @ k.transpose(2, 3) * (1 / math.sqrt(hd)) + bias  # [B, H, L, S]
        weights = self.dropout(scores.softmax(dim=-1))
        merged = (weights @ v).transpose(1, 2).reshape(b, length, h * hd)  # [B, L, H·hd]
        return self.output(merged)


class DecoderLayer(nn.Module):
    """Causal self-attention, cross-attention over the memory, then feed-forward; each residual.

    Pre-LN: x + drop(f(norm(x))); post-LN: norm(x + drop(f(x))).
    """

    def __init__(
        self,
        d_model: int,
        heads: int,
        head_dim: int,
        d_ff: int,
        activation: str,
        dropout: float,
        norm: str,
    ) -> None:
        super().__init__()
        self.self_attention = MultiHeadAttention(d_model, heads, head_dim, dropout)
        self.cross_attention = CrossAttention(d_model, heads, head_dim, dropout)
        self.ffn = FeedForward(d_model, d_ff, activation, dropout)
        self.norm1 = nn.LayerNorm(d_model, eps=LAYER_NORM_EPS)
        self.norm2 = nn.LayerNorm(d_model, eps=LAYER_NORM_EPS)
        self.norm3 = nn.LayerNorm(d_model, eps=LAYER_NORM_EPS)
        self.dropout = nn.Dropout(dropout)
        self.pre_norm = norm == "pre"

    def forward(
        self,
        x: torch.Tensor,
        memory: torch.Tensor,
        self_bias: torch.Tensor,
        memory_bias: torch.Tensor,
    ) -> torch.Tensor:
        if self.pre_norm:
            x = x + self.dropout(self.self_attention(self.norm1(x), self_bias))
            x = x + self.dropout(self.cross_attention(self.norm2(x), memory, memory_bias))
            return x + self.dropout(self.ffn(self.norm3(x)))
        x = self.norm1(x + self.dropout(self.self_attention(x, self_bias)))
        x = self.norm2(x + self.dropout(self.cross_attention(x, memory, memory_bias)))
        return self.norm3(x + self.dropout(self.ffn(x)))
`;
}

function stack(kind: "Encoder" | "Decoder", r: ResolvedEncoder): string {
  const c = r.config;
  return `nn.ModuleList(
            ${kind}Layer(
                d_model=${c.dModel},
                heads=${c.heads},
                head_dim=${c.headDim},
                d_ff=${c.dFF},
                activation=${pyString(c.activation)},
                dropout=${pyNumber(c.dropout)},
                norm=${pyString(c.norm)},
            )
            for _ in range(${c.layers})
        )`;
}

export function generativeModulePy(m: PyGenerative): string {
  const d = m.dModel;
  const enc = m.encoder.config;
  const dec = m.decoder.config;
  const u = m.buckets > 0 ? 1 : 0;
  const finalNorm = (part: string, pre: boolean) => (pre ? `\n        self.${part}.final_norm = nn.LayerNorm(${d}, eps=LAYER_NORM_EPS)` : "");
  const applyNorm = (part: string, pre: boolean, shape: string) => (pre ? `\n        x = self.${part}.final_norm(x)  # ${shape}` : "");
  return `

class ${m.cls}(nn.Module):
    """\`model ${pyComment(m.name)} = generative(...)\`: TIGER over the Semantic IDs of \`${pyComment(m.quantizer)}\`.

    ${wrap(`Encoder: ${pyComment(m.encoder.summary)}. Decoder: ${pyComment(m.decoder.summary)}, each layer also cross-attending over the encoder's output. The encoder reads ${u ? "a hashed user token and " : ""}the last ${m.history} items' ID tokens; the decoder writes the next item's ID token by token, each position scored against its own level's rows of the tied token table. Items are ranked by beam search (${m.width} beams${m.constrained ? ", constrained to IDs of items seen in training" : ""}; decode.py).`, 4, 95)}
    """

    history_length = ${m.history}
    # score_items takes each row's seen items and decodes around them (evaluate.py passes them).
    skips_seen_items = True

    def __init__(
        self,
        num_items: int,
        layout: dict[str, Any],
        codes: np.ndarray,
        user_buckets: np.ndarray | None,
        retrieval: SemanticIdRetrieval,
    ) -> None:
        super().__init__()
        self.num_items = num_items
        # The vocabulary: 0 pad, 1 decoder start, 2 reserved, then ID position l's codes from
        # offsets[l] (the collision suffix last), then the user buckets from user_offset.
        self.tokens_per_item = int(layout["tokensPerItem"])
        self.sizes = [int(s) for s in layout["sizes"]]
        self.offsets = [int(o) for o in layout["offsets"]]
        self.user_offset = int(layout["userOffset"])
        # Item i's ID [N + 1, tokens per item], and each user's bucket: read, never trained.
        self.register_buffer("codes", torch.as_tensor(codes).long(), persistent=False)
        buckets = torch.as_tensor(np.zeros(1) if user_buckets is None else user_buckets).long()
        self.register_buffer("user_buckets", buckets, persistent=False)
        self.retrieval = retrieval
        # [V, ${d}]: one row per token of the layout; also the output layer.
        self.tokens = nn.Parameter(torch.randn(int(layout["vocabulary"]), ${d}) * 0.05)
        self.encoder_positions = nn.Parameter(torch.randn(${m.encoder.maxPositions}, ${d}) * 0.05)
        self.decoder_positions = nn.Parameter(torch.randn(self.tokens_per_item, ${d}) * 0.05)
        self.encoder = nn.Module()
        self.encoder.layers = ${stack("Encoder", m.encoder)}${finalNorm("encoder", enc.norm === "pre")}
        self.decoder = nn.Module()
        self.decoder.layers = ${stack("Decoder", m.decoder)}${finalNorm("decoder", dec.norm === "pre")}
        self.encoder_dropout = nn.Dropout(${pyNumber(enc.dropout)})
        self.decoder_dropout = nn.Dropout(${pyNumber(dec.dropout)})

    @classmethod
    def build(cls, prepared: Any, name: str) -> ${m.cls}:
        """The model over the Semantic IDs a \`recspec prepare\` folder holds (data.Prepared)."""
        handed = prepared.model(name)
        ids = handed["generative"]
        codes = prepared.array(ids["codes"])
        user_buckets = None if ids["userBuckets"] is None else prepared.array(ids["userBuckets"])
        retrieval = SemanticIdRetrieval(
            codes=codes,
            levels=ids["levels"],
            sizes=ids["sizes"],
            warm=prepared.array(ids["warm"]).astype(bool),
            width=ids["width"],
            constrained=ids["constrained"],
            cold_start_share=ids["coldStartShare"],
        )
        num_items = prepared.num_items(handed["dataset"])
        return cls(num_items, ids, codes, user_buckets, retrieval)

    def loss_weight(self, batch: dict[str, torch.Tensor]) -> int:
        """The denominator of a whole batch's mean loss: its examples."""
        return len(batch["targets"])

    def shard_inputs(
        self, batch: dict[str, torch.Tensor], rank: int, world: int, device: torch.device
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """forward's inputs for process \`rank\` of \`world\`: every world-th example of the batch."""
        return (
            batch["histories"][rank::world].to(device),  # [B / world, T]
            batch["targets"][rank::world].to(device),  # [B / world]
            batch["users"][rank::world].to(device),  # [B / world]
        )

    def item_tokens(self, items: torch.Tensor) -> torch.Tensor:
        """Global token ids [..., tokens per item] of items [...] (pad tokens for item 0)."""
        tokens = self.codes[items] + torch.tensor(self.offsets, device=items.device)
        return tokens.masked_fill((items == 0)[..., None], PAD_TOKEN)

    def source_tokens(
        self, histories: torch.Tensor, users: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The encoder's input: [user token] + the used columns' tokens, and their positions.

        Positions are numbered in the untrimmed window of ${m.history} items, so the newest item's
        tokens always have the same positions. Gives ids and positions, both [B, S].
        """
        ids, offset = trim_histories(histories)  # [B, L]
        b, length = ids.shape
        t = self.tokens_per_item
        source = self.item_tokens(ids).reshape(b, length * t)  # [B, L·t]
        positions = torch.arange(length * t, device=ids.device) + ${u} + offset * t  # [L·t]
        positions = positions.expand(b, -1)  # [B, L·t]${
          u
            ? `
        if users is None:
            users = torch.zeros(b, dtype=torch.long, device=ids.device)
        user = (self.user_offset + self.user_buckets[users])[:, None]  # [B, 1]
        source = torch.cat([user, source], dim=1)  # [B, S]
        positions = torch.cat([positions.new_zeros(b, 1), positions], dim=1)  # [B, S]`
            : ""
        }
        return source, positions

    def encode(
        self, histories: torch.Tensor, users: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Encoder output [B, S, ${d}] and the source mask [B, S] (0 for padding)."""
        source, positions = self.source_tokens(histories, users)
        mask = (source != PAD_TOKEN).float()  # [B, S]
        x = self.tokens[source] + self.encoder_positions[positions]  # [B, S, ${d}]
        x = self.encoder_dropout(x)
        # Attention may not look at padding${enc.causal ? " or at later positions" : ""}.
        bias = attention_bias(mask, causal=${enc.causal ? "True" : "False"})
        for layer in self.encoder.layers:
            x = layer(x, bias)  # [B, S, ${d}]${applyNorm("encoder", enc.norm === "pre", `[B, S, ${d}]`)}
        return x, mask

    def decode(
        self, inputs: torch.Tensor, memory: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        """Decoder hidden states [n, len, ${d}] of inputs [n, len] (start token first)."""
        length = inputs.shape[1]
        x = self.tokens[inputs] + self.decoder_positions[:length]  # [n, len, ${d}]
        x = self.decoder_dropout(x)
        # A position sees itself and earlier ones; the memory's padding is masked.
        later = torch.ones(length, length, dtype=torch.bool, device=inputs.device).triu(1)
        self_bias = later.float() * MASKED  # [len, len]
        memory_bias = ((1 - mask) * MASKED)[:, None, None, :]  # [n, 1, 1, S]
        for layer in self.decoder.layers:
            x = layer(x, memory, self_bias, memory_bias)  # [n, len, ${d}]${applyNorm("decoder", dec.norm === "pre", `[n, len, ${d}]`)}
        return x

    def level_logits(self, h: torch.Tensor, level: int) -> torch.Tensor:
        """Logits [n, sizes[level]] of hidden states [n, ${d}] against that position's token rows."""
        first = self.offsets[level]
        return h @ self.tokens[first : first + self.sizes[level]].T

    def forward(
        self, histories: torch.Tensor, targets: torch.Tensor, users: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Teacher-forced cross-entropy of the targets' IDs, summed over examples, and their count.

        Each example's loss is the mean over its ID's positions (ln(size) each at initialisation);
        the caller divides by the count of the global batch.
        """
        memory, mask = self.encode(histories, users)
        target = self.item_tokens(targets)  # [B, t]: global ids
        # The decoder reads [start, t_0 ... t_{t-2}] and predicts t_0 ... t_{t-1}.
        start = target.new_full((len(targets), 1), START_TOKEN)
        inputs = torch.cat([start, target[:, :-1]], dim=1)  # [B, t]
        hidden = self.decode(inputs, memory, mask)  # [B, t, ${d}]
        loss = hidden.new_zeros(())
        for level in range(self.tokens_per_item):
            logits = self.level_logits(hidden[:, level], level)  # [B, sizes[level]]
            codes = target[:, level] - self.offsets[level]
            loss = loss + F.cross_entropy(logits, codes, reduction="sum")
        return loss / self.tokens_per_item, targets.new_tensor(len(targets))

    def score_items(
        self,
        histories: torch.Tensor,
        users: torch.Tensor | None = None,
        exclude: list[np.ndarray] | None = None,
    ) -> torch.Tensor:
        """Scores [B, N + 1]: the beam score of each retrieved item, -inf for every other; the
        beam search skips exclude[b]'s items (row b's seen items) when given."""
        return self.retrieval.score_items(self, histories, users, exclude)
`;
}

/** What model.py adds for generative models: imports, the decoder's layers, their activations. */
export function generativeParts(models: readonly { readonly family: string }[]): {
  numpy: string;
  imports: string;
  layers: string;
  activations: string[];
} {
  const generative = models.filter((m): m is PyGenerative => m.family === "generative");
  if (generative.length === 0) return { numpy: "", imports: "", layers: "", activations: [] };
  return {
    numpy: "import numpy as np\n",
    imports: "\nfrom decode import PAD_TOKEN, START_TOKEN, SemanticIdRetrieval\n",
    layers: generativeLayersPy(),
    activations: generative.flatMap((m) => [m.encoder.config.activation, m.decoder.config.activation]),
  };
}
