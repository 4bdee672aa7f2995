// model.py's class for a `ranking` model (SID ranking): the same graph as the TypeScript target's
// generated ranker and src/runtime/ranking. An item's vector is the sum of its prepared table rows
// (random-id bucket, Semantic-ID n-gram rows or SPM pieces: recspec hands each item's rows over,
// -1 where unused) or its prepared content vector through a learned projection; the padding item
// embeds to zeros. A user is the mean (or attention pool) of their last items' vectors; the logit
// of a (user, item) pair is an MLP over [u, v, u ⊙ v]; the loss is the logistic loss of each
// positive against its prepared negatives. Takes the ranking plan; gives the class's text.
import type { PyRanking } from "./plan.js";
import { pyComment } from "./python.js";

export function rankingModule(m: PyRanking): string {
  const e = m.embedding;
  const widths = [3 * e, ...m.layers, 1];
  const linears = widths.slice(1).map((w, i) => `nn.Linear(${widths[i]}, ${w})`);
  const table = m.item === "table";
  const c = m.negatives + 1;
  const item = table
    ? `Items: ${pyComment(m.itemLabel)},\n    each item's vector the sum of its prepared rows of one table [rows, ${e}].`
    : `Items: ${pyComment(m.itemLabel)},\n    each item's prepared content vector through a learned projection to ${e}.`;
  return `

class ${m.cls}(nn.Module):
    """\`model ${pyComment(m.name)} = ranking(...)\`: a pointwise ranker of (user, item) pairs over \`${pyComment(m.dataset)}\`.

    ${item}
    Users: the ${m.pool === "mean" ? "mean" : "attention pool"} of their last ${m.history} items' vectors. Logit: MLP([u, v, u * v])
    through ${m.layers.join(", ")} (ReLU) to 1; loss: logistic, each positive against ${m.negatives} negatives
    drawn ${m.sampling === "popularity" ? "in proportion to training frequency" : "uniformly"} (prepared by recspec per batch).
    """

    history_length = ${m.history}
    # Candidates per training example: the positive, then its negatives.
    candidates_per_example = ${c}
    # (user, item) pairs per MLP call when scoring the catalogue (bounds the activations).
    pairs_per_call = 32768

    def __init__(self, ${table ? "item_rows: torch.Tensor, table_rows: int" : "features: torch.Tensor"}) -> None:
        super().__init__()${
          table
            ? `
        # Item i reads rows item_rows[i] of the table (-1: unused; the padding item reads none).
        self.register_buffer("item_rows", item_rows, persistent=False)  # [N + 1, S]
        self.num_items = item_rows.shape[0] - 1
        self.item = nn.Embedding(table_rows, ${e})`
            : `
        # Row i holds item i's content vector (row 0, the padding item's, is never read).
        self.register_buffer("features", features, persistent=False)  # [N + 1, F]
        self.num_items = features.shape[0] - 1
        self.item = nn.Module()
        self.item.projection = nn.Linear(features.shape[1], ${e})`
        }${
          m.pool === "attention"
            ? `
        self.attention_pool = nn.Module()
        self.attention_pool.key = nn.Linear(${e}, ${e})
        self.attention_pool.query = nn.Linear(${e}, 1, bias=False)`
            : ""
        }
        self.mlp = nn.Module()
        self.mlp.layers = nn.ModuleList(
            [
${linears.map((l) => `                ${l},`).join("\n")}
            ]
        )

    @classmethod
    def build(cls, prepared: Any, name: str) -> ${m.cls}:
        """The model with the item ${table ? "rows" : "content vectors"} \`recspec prepare\` handed over (data.Prepared)."""
        item = prepared.item_representation(name)
        return cls(${table ? `torch.from_numpy(item["rows"]).long(), int(item["tableRows"])` : `torch.from_numpy(item["features"]).float()`})

    def loss_weight(self, batch: dict[str, torch.Tensor]) -> int:
        """The denominator of a whole batch's mean loss: its (user, candidate) pairs."""
        return len(batch["targets"]) * self.candidates_per_example

    def shard_inputs(
        self, batch: dict[str, torch.Tensor], rank: int, world: int, device: torch.device
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """forward's inputs for process \`rank\` of \`world\`: each world-th example, negatives."""
        return (
            batch["histories"][rank::world].to(device),  # [B / world, T]
            batch["targets"][rank::world].to(device),  # [B / world]
            batch["negatives"][rank::world].to(device),  # [B / world, ${m.negatives}]
        )

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """Vectors [..., ${e}] of item ids [...] (0, the pad, gives zeros)."""${
          table
            ? `
        rows = self.item_rows[ids]  # [..., S]
        vectors = self.item(rows.clamp(min=0)) * (rows >= 0).unsqueeze(-1)  # [..., S, ${e}]
        return vectors.sum(dim=-2)`
            : `
        vectors = self.item.projection(self.features[ids])  # [..., ${e}]
        return vectors * (ids != 0).unsqueeze(-1)`
        }

    def user_vectors(self, histories: torch.Tensor) -> torch.Tensor:
        """User vectors [B, ${e}] of left-padded histories [B, T >= ${m.history}]: their last ${m.history} items."""
        ids = histories[:, -${m.history} :]  # [B, ${m.history}]
        vectors = self.embed(ids)  # [B, ${m.history}, ${e}]${
          m.pool === "mean"
            ? `
        keep = (ids != 0).float().unsqueeze(-1)  # [B, ${m.history}, 1]: padding never counts
        return (vectors * keep).sum(dim=1) / keep.sum(dim=1).clamp(min=1)`
            : `
        keep = (ids != 0).float()  # [B, ${m.history}]: padding never counts
        hidden = torch.tanh(self.attention_pool.key(vectors))  # [B, ${m.history}, ${e}]
        scores = self.attention_pool.query(hidden).squeeze(-1)  # [B, ${m.history}]
        weights = (scores + (keep - 1) * 1e9).softmax(dim=-1) * keep
        return (vectors * weights.unsqueeze(-1)).sum(dim=1)`
        }

    def logits(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        """Logits [...] of (user, item) pairs: users and items [..., ${e}]."""
        x = torch.cat([users, items, users * items], dim=-1)  # [..., ${3 * e}]
        *hidden, output = self.mlp.layers
        for layer in hidden:
            x = F.relu(layer(x))
        return output(x).squeeze(-1)

    def forward(
        self, histories: torch.Tensor, targets: torch.Tensor, negatives: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed logistic loss of each target (label 1) and its negatives [B, ${m.negatives}] (label 0).

        Gives the sum and the number of pairs; the caller divides by the global batch's pairs.
        """
        candidates = torch.cat([targets[:, None], negatives], dim=1)  # [B, ${c}]
        users = self.user_vectors(histories)[:, None, :]  # [B, 1, ${e}]
        items = self.embed(candidates)  # [B, ${c}, ${e}]
        logits = self.logits(users.expand_as(items), items)  # [B, ${c}]
        labels = torch.zeros_like(logits)
        labels[:, 0] = 1
        loss = F.binary_cross_entropy_with_logits(logits, labels, reduction="sum")
        return loss, candidates.new_tensor(logits.numel())

    def score_candidates(self, histories: torch.Tensor, candidates: torch.Tensor) -> torch.Tensor:
        """Scores [B, M] of each history against its own candidates [B, M]."""
        users = self.user_vectors(histories)[:, None, :]  # [B, 1, ${e}]
        items = self.embed(candidates)  # [B, M, ${e}]
        return self.logits(users.expand_as(items), items)

    def score_items(
        self, histories: torch.Tensor, users: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Scores [B, N + 1] of every item, the MLP run over chunks of items."""
        vectors = self.user_vectors(histories)  # [B, ${e}]
        catalogue = torch.arange(self.num_items + 1, device=histories.device)
        chunk = max(1, self.pairs_per_call // len(vectors))
        parts = []
        for first in range(0, len(catalogue), chunk):
            items = self.embed(catalogue[first : first + chunk])  # [I, ${e}]
            pairs = (len(vectors), len(items), ${e})
            parts.append(self.logits(vectors[:, None, :].expand(pairs), items[None].expand(pairs)))
        return torch.cat(parts, dim=1)
`;
}
