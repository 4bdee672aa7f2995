// model.py's classes for the retrieval families: each tower of a two-tower model as an nn.Module
// (user ids with side features summed, item ids with the mean of their genres/attributes, a
// multi-interest tower of self-attention layers and learned interest queries, a transformer
// sequence encoder) and each two-tower or matrix-factorisation model as one, spelling out the TypeScript
// target's model.ts and src/runtime (models/towers.ts, layers/multi-interest.ts,
// models/sampled-softmax.ts, losses/sampled-softmax.ts): scores by dot product or the max over
// interests (the target's interest by hard routing against drawn negatives), in-batch candidates
// with logQ and duplicate masking, drawn candidates with -log(k q) and accidental hits masked, a
// full softmax, per-example weights, BPR. What is seeded or counted (user rows, feature rows, item
// probabilities, weights, negatives) comes from the prepared folder. Takes the plan; gives the text.
import type { PyMatrixFactorization, PyPlan, PyTower, PyTwoTower } from "./plan.js";
import { pyClass, pyComment, pyNumber, pyString } from "./python.js";

/** The shared helpers and every tower class, once per tower, when the plan has a retrieval model. */
export function retrievalHelpers(plan: PyPlan): string {
  const models = plan.models.filter((m) => m.family === "two_tower" || m.family === "matrix_factorization");
  if (models.length === 0) return "";
  const towers = new Map<string, PyTower>();
  for (const m of models) if (m.family === "two_tower") for (const t of [m.user, m.item]) towers.set(t.name, t);
  const types = new Set([...towers.values()].map((t) => t.type));
  return `${HELPERS}${types.has("multi_interest") ? MULTI_INTEREST : ""}${[...towers.values()].map(towerModule).join("")}`;
}

/** The feed-forward activations of the sequence-encoder towers (model.py's activation() covers them). */
export function retrievalActivations(plan: PyPlan): string[] {
  return plan.models
    .flatMap((m) => (m.family === "two_tower" ? [m.user, m.item] : []))
    .flatMap((t) => (t.type === "sequence_encoder" ? [t.encoder.config.activation] : []));
}

/** The nn.Module of a two-tower or matrix-factorisation model. */
export function retrievalModule(m: PyTwoTower | PyMatrixFactorization): string {
  return m.family === "two_tower" ? twoTowerModule(m) : matrixFactorizationModule(m);
}

const HELPERS = `

def tower_inputs(prepared: Any, name: str) -> dict[str, Any]:
    """What a retrieval model reads besides its weights, from a prepared folder (data.Prepared).

    Each user's row of the user table, side-feature rows, the items' shares of the training
    targets: counted by recspec, so both targets read the same numbers.
    """
    spec = prepared.model(name)
    handed = spec["twoTower"]
    inputs: dict[str, Any] = {"num_items": prepared.num_items(spec["dataset"])}
    if "userRows" in handed:
        inputs["user_rows"] = prepared.array(handed["userRows"])
        inputs["user_table_rows"] = handed["userTableRows"]
    inputs["user_features"] = {
        feature: (prepared.array(f["rows"]), f["tableRows"])
        for feature, f in handed["userFeatures"].items()
    }
    inputs["item_features"] = {
        feature: (prepared.array(f["rows"]), prepared.array(f["weights"]), f["tableRows"])
        for feature, f in handed["itemFeatures"].items()
    }
    if "itemProbabilities" in handed:
        inputs["item_probabilities"] = prepared.array(handed["itemProbabilities"])
    return inputs


def user_table_rows(rows: torch.Tensor, users: torch.Tensor) -> torch.Tensor:
    """Rows [B] of a per-user lookup for user indices [B]; an index out of range reads row 0."""
    known = (users >= 0) & (users < rows.numel())
    return rows[users.clamp(0, rows.numel() - 1)] * known


def shard_rows(batch: dict[str, torch.Tensor], rank: int, world: int, device: torch.device):
    """A retrieval model's forward inputs for process \`rank\` of \`world\`: the whole batch (every
    row's targets are candidates for the others) and the rows this process computes the loss of.
    """
    rows = torch.arange(rank, len(batch["targets"]), world, device=device)
    return {key: value.to(device) for key, value in batch.items()}, rows


def weighted_sum(
    loss: torch.Tensor, batch: dict[str, torch.Tensor], rows: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """The rows' summed loss, each times its prepared weight (1 without), and the weights' sum."""
    if "weights" not in batch:
        return loss.sum(), loss.new_tensor(float(len(rows)))
    weights = batch["weights"][rows]
    return (loss * weights).sum(), weights.sum()
`;

const MULTI_INTEREST = `

class SelfAttentionLayer(MultiHeadAttention):
    """x + dropout(ELU(MHA(x, x))) over a padding-masked history, padding kept at zero."""

    def __init__(self, d_model: int, heads: int, dropout: float) -> None:
        super().__init__(d_model, heads, d_model // heads, dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        attended = super().forward(x, attention_bias(mask, causal=False))
        return (x + self.dropout(F.elu(attended))) * mask[:, :, None]


class MaxOverInterests(torch.autograd.Function):
    """[B, H, M] -> [B, M], the max over the interests.

    The gradient reaches every interest equal to the max whole, as the TypeScript runtime's does
    (models/max-interest-scores.ts): the interests of a one-item history are all the same vector.
    """

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor) -> torch.Tensor:
        best = x.amax(dim=1)
        ctx.save_for_backward(x == best[:, None, :])
        return best

    @staticmethod
    def backward(ctx: Any, dy: torch.Tensor) -> torch.Tensor:
        (winners,) = ctx.saved_tensors
        return winners.to(dy.dtype) * dy[:, None, :]


class InterestQueries(nn.Module):
    """H learned queries, each attending over the sequence: interest vectors [B, H, D].

    Interest h = sum_t softmax_t(<q_h, x_t> / sqrt(D)) x_t over the real positions.
    """

    def __init__(self, interests: int, dim: int) -> None:
        super().__init__()
        self.queries = nn.Parameter(torch.zeros(interests, dim))
        self.dim = dim

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        scores = x @ self.queries.T * (1 / math.sqrt(self.dim))  # [B, L, H]
        scores = scores.transpose(1, 2) + ((1 - mask) * MASKED)[:, None, :]  # [B, H, L]
        return scores.softmax(dim=-1) @ x  # [B, H, D]
`;

/** Docstring words over lines of at most 99 columns, 4 spaces in. */
function wrapped(text: string): string {
  const lines = [""];
  for (const word of text.split(" ")) {
    const line = lines[lines.length - 1];
    if (line !== "" && 4 + line.length + 1 + word.length > 99) lines.push(word);
    else lines[lines.length - 1] = line === "" ? word : `${line} ${word}`;
  }
  return lines.join("\n    ");
}

function towerModule(t: PyTower): string {
  const cls = pyClass(t.name, "Tower");
  const e = t.embedding;
  if (t.type === "user_tower") {
    const features = t.features.map(
      (f) => `
        rows, table_rows = inputs["user_features"]["${f}"]
        self.register_buffer("${f}_rows", torch.as_tensor(rows, dtype=torch.long), False)
        self.${f}_embedding = nn.Embedding(table_rows, ${e})`,
    );
    const sum = t.features.map((f) => `\n        x = x + self.${f}_embedding(user_table_rows(self.${f}_rows, users))`).join("");
    return `

class ${cls}(nn.Module):
    """\`tower ${pyComment(t.name)} = user_tower(...)\`: user-ID embedding (E = ${e}).

    ${t.features.length > 0 ? `Embeddings of ${t.features.join(", ")} are added. ` : ""}Users the training data never saw share row 0,
    an out-of-vocabulary row no example updates.
    """

    def __init__(self, inputs: dict[str, Any]) -> None:
        super().__init__()
        # Each user index's row of the table: u + 1, or 0 for a user without training data.
        self.register_buffer("rows", torch.as_tensor(inputs["user_rows"], dtype=torch.long), False)
        self.user_embedding = nn.Embedding(inputs["user_table_rows"], ${e})${features.join("")}

    def forward(self, users: torch.Tensor) -> torch.Tensor:
        """User vectors [B, 1, ${e}] of user indices [B]."""
        x = self.user_embedding(user_table_rows(self.rows, users))  # [B, ${e}]${sum}
        return x[:, None, :]
`;
  }
  if (t.type === "item_tower") {
    const features = t.features.map(
      (f) => `
        rows, weights, table_rows = inputs["item_features"]["${f}"]
        self.register_buffer("${f}_rows", torch.as_tensor(rows, dtype=torch.long), False)
        self.register_buffer("${f}_weights", torch.as_tensor(weights), False)
        self.${f}_embedding = nn.Embedding(table_rows, ${e})`,
    );
    const sum = t.features
      .map(
        (f) => `
        # The mean of the item's ${f} (weights 1/count, 0 on padding).
        rows, weights = self.${f}_rows[ids], self.${f}_weights[ids]  # [n, W]
        x = x + (self.${f}_embedding(rows) * weights[:, :, None]).sum(dim=1)`,
      )
      .join("");
    return `

class ${cls}(nn.Module):
    """\`tower ${pyComment(t.name)} = item_tower(...)\`: item-ID embedding (E = ${e}).${
      t.features.length > 0
        ? `

    ${t.features.length === 1 ? "The mean" : "The means"} of its ${t.features.map((f) => `${f}'`).join(" and ")} embeddings ${t.features.length === 1 ? "is" : "are"} added.
    `
        : ""
    }"""

    def __init__(self, inputs: dict[str, Any]) -> None:
        super().__init__()
        # Row i embeds item i (row 0 the padding item).
        self.item_embedding = nn.Embedding(inputs["num_items"] + 1, ${e})${features.join("")}

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Item vectors [n, ${e}] of ids [n]."""
        x = self.item_embedding(ids)  # [n, ${e}]${sum}
        return x
`;
  }
  if (t.type === "multi_interest") {
    const project = t.dim !== e;
    return `

class ${cls}(nn.Module):
    """\`tower ${pyComment(t.name)} = multi_interest(...)\`: item embeddings (E = ${e}) x sqrt(E) over the history,
    ${t.layers} self-attention layer${t.layers === 1 ? "" : "s"} (${t.heads} head${t.heads === 1 ? "" : "s"}), then ${t.interests} learned quer${t.interests === 1 ? "y" : "ies"}: ${t.interests} interest vector${t.interests === 1 ? "" : "s"} per user${project ? `, projected to ${t.dim}` : ""}.
    """

    def __init__(self, inputs: dict[str, Any]) -> None:
        super().__init__()
        self.item_embedding = nn.Embedding(inputs["num_items"] + 1, ${e})
        self.layers = ${t.layers}
        for i in range(self.layers):
            self.add_module(f"attention{i}", SelfAttentionLayer(${e}, ${t.heads}, ${pyNumber(t.dropout)}))
        self.interests = InterestQueries(${t.interests}, ${e})${project ? `\n        self.output = nn.Linear(${e}, ${t.dim})` : ""}

    def forward(self, histories: torch.Tensor) -> torch.Tensor:
        """Interest vectors [B, ${t.interests}, ${t.dim}] of left-padded histories [B, ${t.history}]."""
        ids, _ = trim_histories(histories)  # [B, L]
        mask = (ids != 0).float()  # [B, L]
        # [B, L, ${e}], padding zeroed
        x = self.item_embedding(ids) * math.sqrt(${e}) * mask[:, :, None]
        for i in range(self.layers):
            x = getattr(self, f"attention{i}")(x, mask)  # [B, L, ${e}]
        ${project ? "return self.output(self.interests(x, mask))" : "return self.interests(x, mask)"}  # [B, ${t.interests}, ${t.dim}]
`;
  }
  const c = t.encoder.config;
  const d = c.dModel;
  const inner = d !== e;
  return `

class ${cls}(nn.Module):
    """\`tower ${pyComment(t.name)} = sequence_encoder(...)\`: a transformer over the history.

    Item embeddings (E = ${e}) x sqrt(E) plus learned positions, then
    ${pyComment(t.encoder.summary)};
    the most recent position's state${t.dim !== e ? `, projected to ${t.dim},` : ""} is the user's vector.
    """

    def __init__(self, inputs: dict[str, Any]) -> None:
        super().__init__()
        self.item_embedding = nn.Embedding(inputs["num_items"] + 1, ${e})
        self.positions = nn.Embedding(${t.encoder.maxPositions}, ${d})${
          inner ? `\n        self.input_projection = nn.Linear(${e}, ${d})\n        self.output_projection = nn.Linear(${d}, ${e})` : ""
        }
        self.encoder = nn.Module()
        self.encoder.layers = nn.ModuleList(
            EncoderLayer(
                d_model=${d},
                heads=${c.heads},
                head_dim=${c.headDim},
                d_ff=${c.dFF},
                activation=${pyString(c.activation)},
                dropout=${pyNumber(c.dropout)},
                norm=${pyString(c.norm)},
            )
            for _ in range(${c.layers})
        )${c.norm === "pre" ? `\n        self.encoder.final_norm = nn.LayerNorm(${d}, eps=LAYER_NORM_EPS)` : ""}
        self.dropout = nn.Dropout(${pyNumber(c.dropout)})${t.dim !== e ? `\n        self.output = nn.Linear(${e}, ${t.dim})` : ""}

    def forward(self, histories: torch.Tensor) -> torch.Tensor:
        """User vectors [B, 1, ${t.dim}] of left-padded histories [B, ${t.history}]."""
        ids, offset = trim_histories(histories)  # [B, L]
        length = ids.shape[1]
        mask = (ids != 0).float()  # [B, L]
        x = self.item_embedding(ids) * math.sqrt(${e})  # [B, L, ${e}]${inner ? `\n        x = self.input_projection(x)  # [B, L, ${d}]` : ""}
        # The window's last L learned positions: the most recent item always has position ${t.history - 1}.
        x = x + self.positions.weight[offset : offset + length]  # [B, L, ${d}]
        x = self.dropout(x) * mask[:, :, None]  # padding positions zeroed
        bias = attention_bias(mask, causal=${c.causal ? "True" : "False"})
        for layer in self.encoder.layers:
            x = layer(x, bias)  # [B, L, ${d}]${c.norm === "pre" ? `\n        x = self.encoder.final_norm(x)` : ""}${inner ? `\n        x = self.output_projection(x)  # [B, L, ${e}]` : ""}
        last = x[:, -1]  # [B, ${e}]${t.dim !== e ? `\n        last = self.output(last)  # [B, ${t.dim}]` : ""}
        return last[:, None, :]
`;
}

/** forward's candidate logits and labels for the model's loss, as Python lines 8 spaces in. */
function candidateLogits(m: PyTwoTower): string {
  const loss = m.loss;
  if (loss.type === "softmax") {
    return `# Full softmax: every item is a candidate (column 0, the pad, learns to score low).
        items = self.item_tower(torch.arange(self.num_items + 1, device=own.device))  # [N + 1, D]
        logits = self.scores(users, items)  # [S, N + 1]
        labels = own`;
  }
  const tau = pyNumber(loss.temperature);
  if (loss.negatives === "in_batch") {
    return `# In-batch candidates: every target of the whole batch; row i's own is column rows[i].
        items = self.item_tower(targets)  # [B, D]
        logits = self.scores(users, items) / ${tau}  # [S, B]
        ${loss.logq ? "# logQ: -log p_j of each column.\n        offsets = -self.log_q(targets)[None, :].expand_as(logits).clone()" : "offsets = torch.zeros_like(logits)"}
        # The same item elsewhere in the batch is not a negative of this row.
        duplicate = own[:, None] == targets[None, :]  # [S, B]
        duplicate[torch.arange(len(rows), device=rows.device), rows] = False
        logits = logits + offsets.masked_fill(duplicate, MASKED)
        labels = rows`;
  }
  return `# ${loss.count} drawn negatives shared by the batch (prepared): [positive, negatives] per row.
        negatives = batch["negatives"]  # [K]
        positive = self.routed_scores(users, self.item_tower(own))  # [S]
        against = self.scores(users, self.item_tower(negatives))  # [S, K]
        logits = torch.cat([positive[:, None], against], dim=1) / ${tau}  # [S, 1 + K]
        candidates = torch.cat([own[:, None], negatives[None, :].expand(len(own), -1)], dim=1)
        offsets = ${loss.logq ? "-self.log_kq(candidates)  # logQ: -log(K q_j), the positive's included" : "torch.zeros_like(logits)"}
        # An accidental hit (a negative equal to the row's target) is not a negative.
        hit = candidates == own[:, None]
        hit[:, 0] = False
        logits = logits + offsets.masked_fill(hit, MASKED)
        labels = torch.zeros_like(own)`;
}

function twoTowerModule(m: PyTwoTower): string {
  const user = m.user;
  const multi = m.score === "max_interest" && m.interests > 1;
  const byUser = user.type === "user_tower";
  const h = m.interests;
  const loss = m.loss;
  const smoothing = loss.type === "softmax" && loss.label_smoothing > 0 ? `, label_smoothing=${pyNumber(loss.label_smoothing)}` : "";
  const drawn = loss.type === "sampled_softmax" && loss.negatives !== "in_batch";
  const lossWords =
    loss.type === "softmax"
      ? "a full softmax over the catalogue"
      : `a sampled softmax (${loss.negatives === "in_batch" ? "in-batch" : `${loss.count} ${loss.negatives}`} negatives, temperature ${loss.temperature}${loss.logq ? ", logQ" : ""})`;
  const logKq = drawn
    ? `

    def log_kq(self, ids: torch.Tensor) -> torch.Tensor:
        """log(K q_j) of candidate ids: q the ${loss.type === "sampled_softmax" && loss.negatives === "uniform" ? "uniform 1/N" : "training frequency, floored at 1e-10"} (float64, then float32)."""
        q = ${loss.type === "sampled_softmax" && loss.negatives === "uniform" ? "torch.full_like(self.item_probabilities[ids], 1 / self.num_items)" : "self.item_probabilities[ids].clamp_min(1e-10)"}
        return torch.log(${loss.type === "sampled_softmax" ? loss.count : 1} * q).float()

    def routed_scores(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        """Scores [S] of each row's own item [S, D]${multi ? ", by its nearest interest.\n\n        Hard routing: only that interest receives gradient.\n        " : "."}"""${
          multi
            ? `
        head = (users * items[:, None, :]).sum(dim=2).argmax(dim=1)  # [S]: first on ties
        chosen = users[torch.arange(len(users), device=users.device), head]  # [S, D]
        return (chosen * items).sum(dim=1)`
            : `
        return (users[:, 0] * items).sum(dim=1)`
        }`
    : "";
  const logQ =
    loss.type === "sampled_softmax" && loss.negatives === "in_batch" && loss.logq
      ? `

    def log_q(self, ids: torch.Tensor) -> torch.Tensor:
        """log p_j of item ids, floored at 1e-10 so an item never seen in training stays finite."""
        return torch.log(self.item_probabilities[ids].clamp_min(1e-10)).float()`
      : "";
  const probabilities = logQ !== "" || drawn;
  const idwMethods = `    def set_item_weights(self, weights: Any) -> None:
        """IDW's hook: loss weights by item [N + 1] (mean 1 over the examples); None: all 1."""
        if weights is None:
            self.item_loss_weights.fill_(1.0)
        else:
            self.item_loss_weights.copy_(torch.as_tensor(weights, dtype=torch.float32))

    def item_vectors(self) -> torch.Tensor:
        """The item tower's vectors [N, D] of items 1..N, what IDW's density is fitted to."""
        ids = torch.arange(1, self.num_items + 1, device=self.item_loss_weights.device)
        return self.item_tower(ids)

`;
  return `

class ${m.cls}(nn.Module):
    """\`model ${pyComment(m.name)} = two_tower(${pyComment(m.user.name)}, ${pyComment(m.item.name)})\`.

    ${wrapped(`Retrieval over \`${pyComment(m.dataset)}\`. Score: ${multi ? `the max over the ${h} interests of <u_h, v_i>` : "the dot product <u, v_i>"}; trained with ${lossWords}${weightingWords(m)}.`)}
    """

    def __init__(self, inputs: dict[str, Any]) -> None:
        super().__init__()
        self.num_items = inputs["num_items"]
        self.user_tower = ${pyClass(m.user.name, "Tower")}(inputs)
        self.item_tower = ${pyClass(m.item.name, "Tower")}(inputs)${
          probabilities
            ? `
        # Each item's share of the training targets (float64, as the TypeScript side keeps it).
        probabilities = torch.as_tensor(inputs["item_probabilities"], dtype=torch.float64)
        self.register_buffer("item_probabilities", probabilities, False)`
            : ""
        }${
          m.weighting === "idw"
            ? `
        # IDW's loss weight of an example by its target (mean 1); 1 until a phase sets them.
        self.register_buffer("item_loss_weights", torch.ones(self.num_items + 1), False)`
            : ""
        }

    @classmethod
    def build(cls, prepared: Any, name: str) -> ${m.cls}:
        """The model for a \`recspec prepare\` folder (data.Prepared)."""
        return cls(tower_inputs(prepared, name))

    def user_vectors(self, histories: torch.Tensor, users: torch.Tensor) -> torch.Tensor:
        """The user side [B, ${h}, ${user.dim}] of ${byUser ? "user indices [B]" : "left-padded histories [B, T]"}."""
        return self.user_tower(${byUser ? "users" : "histories"})

    def scores(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        """Scores [B, M] of user vectors [B, ${h}, D] against item vectors [M, D]."""
        ${multi ? "return MaxOverInterests.apply(users @ items.T)  # the best interest for each item" : "return users[:, 0] @ items.T"}${logQ}${logKq}

${m.weighting === "idw" ? idwMethods : ""}    def loss_weight(self, batch: dict[str, torch.Tensor]) -> float:
        """The denominator of a whole batch's mean loss: its examples${m.weighting === "none" ? "" : "' total weight"}."""${
          m.weighting === "idw"
            ? `
        weights = self.item_loss_weights[batch["targets"].to(self.item_loss_weights.device)]
        return float(weights.double().sum())`
            : `
        if "weights" in batch:
            return float(batch["weights"].double().sum())
        return len(batch["targets"])`
        }

    def shard_inputs(
        self, batch: dict[str, torch.Tensor], rank: int, world: int, device: torch.device
    ) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        return shard_rows(batch, rank, world, device)

    def forward(
        self, batch: dict[str, torch.Tensor], rows: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed${m.weighting === "none" ? "" : " weighted"} cross-entropy of the examples at \`rows\` of the batch among their
        candidates, and their total weight. The caller divides by the global batch's.
        """
        targets = batch["targets"]  # [B]
        own = targets[rows]  # [S]
        users = self.user_vectors(batch["histories"][rows], batch["users"][rows])  # [S, ${h}, D]
        ${candidateLogits(m)}
        loss = F.cross_entropy(logits, labels, reduction="none"${smoothing})  # [S]${
          m.weighting === "idw"
            ? `
        weights = self.item_loss_weights[own]  # [S]: IDW's, by target
        return (loss * weights).sum(), weights.sum()`
            : `
        return weighted_sum(loss, batch, rows)`
        }

    def score_items(self, histories: torch.Tensor, users: torch.Tensor) -> torch.Tensor:
        """Retrieval scores [B, N + 1] of every item."""
        items = self.item_tower(torch.arange(self.num_items + 1, device=histories.device))
        return self.scores(self.user_vectors(histories, users), items)  # [B, N + 1]
`;
}

function matrixFactorizationModule(m: PyMatrixFactorization): string {
  const d = m.dim;
  const loss = m.loss;
  const body =
    loss.type === "bpr"
      ? `negatives = batch["negatives"].view(len(targets), ${loss.negatives})[rows]  # [S, ${loss.negatives}] prepared
        positive = (p * self.item_embedding(own)).sum(dim=1, keepdim=True)  # [S, 1]
        negative = (p[:, None, :] * self.item_embedding(negatives)).sum(dim=2)  # [S, ${loss.negatives}]
        # -log sigmoid(x) = softplus(-x), stable for large margins; the mean over the negatives.
        loss = F.softplus(-(positive - negative)).mean(dim=1)  # [S]`
      : `logits = p @ self.item_embedding.weight.T  # [S, N + 1]: full softmax over the catalogue
        loss = F.cross_entropy(logits, own, reduction="none"${loss.label_smoothing > 0 ? `, label_smoothing=${pyNumber(loss.label_smoothing)}` : ""})  # [S]`;
  return `

class ${m.cls}(nn.Module):
    """\`model ${pyComment(m.name)} = matrix_factorization(${pyComment(m.dataset)})\`: user factors P and item factors Q (d = ${d}).

    ${wrapped(`s(u, i) = <p_u, q_i>, trained with ${loss.type === "bpr" ? `BPR against ${loss.negatives} uniformly drawn negatives per pair (prepared)` : "a full softmax over the catalogue"}. Users the training data never saw share row 0 of P, an out-of-vocabulary row no example updates.`)}
    """

    def __init__(self, inputs: dict[str, Any]) -> None:
        super().__init__()
        self.num_items = inputs["num_items"]
        # Each user index's row of P: u + 1, or 0 for a user without training data.
        self.register_buffer("rows", torch.as_tensor(inputs["user_rows"], dtype=torch.long), False)
        self.user_embedding = nn.Embedding(inputs["user_table_rows"], ${d})
        self.item_embedding = nn.Embedding(self.num_items + 1, ${d})

    @classmethod
    def build(cls, prepared: Any, name: str) -> ${m.cls}:
        """The model for a \`recspec prepare\` folder (data.Prepared)."""
        return cls(tower_inputs(prepared, name))

    def user_factors(self, users: torch.Tensor) -> torch.Tensor:
        """p_u [B, ${d}] of user indices [B]."""
        return self.user_embedding(user_table_rows(self.rows, users))

    def loss_weight(self, batch: dict[str, torch.Tensor]) -> int:
        """The denominator of a whole batch's mean loss: its pairs."""
        return len(batch["targets"])

    def shard_inputs(
        self, batch: dict[str, torch.Tensor], rank: int, world: int, device: torch.device
    ) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        return shard_rows(batch, rank, world, device)

    def forward(
        self, batch: dict[str, torch.Tensor], rows: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed loss of the pairs at \`rows\` of the batch, and their count."""
        targets = batch["targets"]  # [B]
        own = targets[rows]  # [S]
        p = self.user_factors(batch["users"][rows])  # [S, ${d}]
        ${body}
        return loss.sum(), loss.new_tensor(float(len(rows)))

    def score_items(self, histories: torch.Tensor, users: torch.Tensor) -> torch.Tensor:
        """Scores [B, N + 1] of every item."""
        return self.user_factors(users) @ self.item_embedding.weight.T
`;
}

function weightingWords(m: PyTwoTower): string {
  if (m.weighting === "inverse_frequency") return ", each example weighted by the inverse frequency of its target (prepared weights)";
  if (m.weighting === "idw") return ", each example weighted by IDW's weight of its target (set between phases by train.py)";
  return "";
}
