// model.py of the PyTorch package: the spec's graphs as torch.nn.Modules that spell out the same
// math as the TypeScript target's model.ts and src/runtime/layers (pre-/post-LN transformer layers
// with layer-norm ε 1e-6, attention biases of −1e9 for padding and later keys, exact or tanh GELU,
// inverted dropout at the same places, histories trimmed to their used columns, the tied item
// table as output layer, full-softmax cross-entropy at every target position). Takes the plan;
// gives the file's text.
import { distillFunctions, distillModules } from "./distill-model-py.js";
import type { PyModel, PyPlan, PySequential } from "./plan.js";
import { generativeModulePy, generativeParts } from "./generative-model-py.js";
import { rankingModule } from "./ranking-model-py.js";
import { retrievalActivations, retrievalHelpers, retrievalModule } from "./two-tower-model-py.js";
import { pyComment, pyNumber, pyString } from "./python.js";

/** Torch expressions for the runtime's activation names (layers/activations.ts). */
const ACTIVATIONS: Record<string, string> = {
  linear: "x",
  relu: "F.relu(x)",
  gelu: "F.gelu(x)",
  gelu_tanh: 'F.gelu(x, approximate="tanh")',
  elu: "F.elu(x)",
  silu: "F.silu(x)",
  tanh: "torch.tanh(x)",
  sigmoid: "torch.sigmoid(x)",
};

export function modelPy(plan: PyPlan, banner: string): string {
  const generative = generativeParts(plan.models);
  const activations = [
    ...new Set([...plan.models.flatMap(transformers).map((m) => m.encoder.config.activation), ...generative.activations, ...retrievalActivations(plan)]),
  ].sort();
  // The run folder's type, in a distilled student's annotations.
  const paths = plan.models.some((m) => m.family === "distill") ? "from pathlib import Path\n" : "";
  return `${banner}
from __future__ import annotations

import math
${paths}from typing import Any

${generative.numpy}import torch
import torch.nn.functional as F
from torch import nn
${generative.imports}
# Added to a masked attention score: exp(-1e9 - max) underflows to exactly 0 in float32.
MASKED = -1e9
# Layer-norm epsilon of the TypeScript runtime (layers/layer-norm.ts).
LAYER_NORM_EPS = 1e-6


def activation(name: str, x: torch.Tensor) -> torch.Tensor:
    """The feed-forward activation called \`name\` (layers/activations.ts)."""
${activations.map((a) => `    if name == ${pyString(a)}:\n        return ${ACTIVATIONS[a] ?? unknown(a)}`).join("\n")}
    raise ValueError(f"unknown activation {name!r}")


def trim_histories(histories: torch.Tensor) -> tuple[torch.Tensor, int]:
    """Histories [B, T] cut to the L most recent columns that hold an item in any row (L >= 1).

    Leading all-padding columns change nothing for real positions (they are masked keys, and
    every real position lies to their right), so the TypeScript target drops them too. Gives the
    ids [B, L] and the offset T - L of the first kept column.
    """
    t = histories.shape[1]
    used = (histories != 0).any(dim=0).nonzero()
    first = min(int(used[0]) if used.numel() > 0 else t - 1, t - 1)
    return histories[:, first:], first


def attention_bias(mask: torch.Tensor, causal: bool) -> torch.Tensor:
    """Additive bias [B, 1, L, L] from a key mask [B, L]: -1e9 on padding (and later) keys."""
    length = mask.shape[1]
    bias = ((1 - mask) * MASKED)[:, None, None, :]  # [B, 1, 1, L]
    if causal:
        later = torch.ones(length, length, dtype=torch.bool, device=mask.device).triu(1)
        bias = bias + later.float() * MASKED  # [B, 1, L, L]
    return bias


def target_positions(
    ids: torch.Tensor, targets: torch.Tensor, positions: str
) -> tuple[torch.Tensor, torch.Tensor]:
    """Flat rows b * L + t of the positions that predict an item, and those items.

    Position (b, t) predicts ids[b, t + 1], the last one the example's target; a padded input or
    padded next item predicts nothing. \`positions="last"\` keeps the final position only.
    """
    following = torch.cat([ids[:, 1:], targets[:, None]], dim=1)  # [B, L]
    keep = (ids != 0) & (following != 0)
    if positions == "last":
        keep[:, :-1] = False
    rows = keep.reshape(-1).nonzero().squeeze(1)
    return rows, following.reshape(-1)[rows]


class MultiHeadAttention(nn.Module):
    """Self-attention with \`heads\` heads of \`head_dim\`, scores scaled by 1/sqrt(head_dim)."""

    def __init__(self, d_model: int, heads: int, head_dim: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.head_dim = head_dim
        inner = heads * head_dim
        self.query = nn.Linear(d_model, inner)
        self.key = nn.Linear(d_model, inner)
        self.value = nn.Linear(d_model, inner)
        self.output = nn.Linear(inner, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, length, _ = x.shape
        h, hd = self.heads, self.head_dim
        q = self.query(x).view(b, length, h, hd).transpose(1, 2)  # [B, H, L, hd]
        k = self.key(x).view(b, length, h, hd).transpose(1, 2)  # [B, H, L, hd]
        v = self.value(x).view(b, length, h, hd).transpose(1, 2)  # [B, H, L, hd]
        scores = q @ k.transpose(2, 3) * (1 / math.sqrt(hd)) + bias  # [B, H, L, L]
        weights = self.dropout(scores.softmax(dim=-1))
        merged = (weights @ v).transpose(1, 2).reshape(b, length, h * hd)  # [B, L, H·hd]
        return self.output(merged)


class FeedForward(nn.Module):
    """Position-wise dense(d_ff, activation) -> dropout -> dense(d_model)."""

    def __init__(self, d_model: int, d_ff: int, activation: str, dropout: float) -> None:
        super().__init__()
        self.hidden = nn.Linear(d_model, d_ff)
        self.output = nn.Linear(d_ff, d_model)
        self.activation = activation
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(self.dropout(activation(self.activation, self.hidden(x))))


class EncoderLayer(nn.Module):
    """Self-attention then feed-forward, each a residual sublayer.

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
        self.ffn = FeedForward(d_model, d_ff, activation, dropout)
        self.norm1 = nn.LayerNorm(d_model, eps=LAYER_NORM_EPS)
        self.norm2 = nn.LayerNorm(d_model, eps=LAYER_NORM_EPS)
        self.dropout = nn.Dropout(dropout)
        self.pre_norm = norm == "pre"

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        if self.pre_norm:
            x = x + self.dropout(self.self_attention(self.norm1(x), bias))
            return x + self.dropout(self.ffn(self.norm2(x)))
        x = self.norm1(x + self.dropout(self.self_attention(x, bias)))
        return self.norm2(x + self.dropout(self.ffn(x)))
${generative.layers}${retrievalHelpers(plan)}${plan.models.map(moduleOf).join("")}${distillFunctions(plan)}`;
}

/** The nn.Module class (or classes) of one model, by family. */
function moduleOf(m: PyModel): string {
  if (m.family === "ranking") return rankingModule(m);
  if (m.family === "distill") return distillModules(m);
  if (m.family === "generative") return generativeModulePy(m);
  if (m.family === "two_tower" || m.family === "matrix_factorization") return retrievalModule(m);
  return sequentialModule(m);
}

/** The sequential networks a model holds (a distilled student's own network). */
function transformers(m: PyModel): PySequential[] {
  return m.family === "sequential" ? [m] : m.family === "distill" ? [m.student] : [];
}

/** Words of \`text\` over lines of at most 99 characters, continuation lines \`indent\` spaces in. */
export function wrap(text: string, indent: number, first = 60): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const limit = lines.length === 0 ? first : 99 - indent;
    if (line !== "" && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

function unknown(name: string): never {
  throw new Error(`internal: no torch activation for ${name}`);
}

/**
 * The training loss of a sampled softmax over `count` uniform negatives shared by the step, the
 * ones the TypeScript trainer drew for it (handed over by `recspec prepare`, in the batch):
 * [positive, negatives] logits, an accidental hit masked out. A uniform logQ correction adds one
 * constant to every column, so it changes nothing and is left out. The held-out loss (eval mode)
 * stays the full softmax.
 */
function sampledSoftmaxPy(count: number, temperature: number): string {
  const scale = temperature === 1 ? "" : ` / ${pyNumber(temperature)}`;
  return `        table = self.item_embedding.weight  # [N + 1, E]
        if not self.training:
            # The held-out loss is the full softmax at the last position.
            loss = F.cross_entropy(h @ table.T, following, reduction="sum")
            return loss, rows.new_tensor(rows.numel())
        if negatives is None:
            raise ValueError("training needs the negatives recspec prepare drew for the step")
        # Sampled softmax: the step's ${count} uniform negatives [K], shared by every position.
        positive = (h * table[following]).sum(-1, keepdim=True)  # [P, 1]
        # A negative that is the row's own target is not a negative.
        hits = negatives.unsqueeze(0) == following.unsqueeze(1)  # [P, K]
        negative = (h @ table[negatives].T).masked_fill(hits, -1e9)  # [P, K]
        logits = torch.cat([positive, negative], dim=1)${scale}  # [P, K + 1]
        loss = F.cross_entropy(logits, torch.zeros_like(following), reduction="sum")`;
}

export function sequentialModule(m: PySequential): string {
  const c = m.encoder.config;
  const e = m.embedding;
  const d = c.dModel;
  const project = d !== e;
  const sampled = m.uniformNegatives !== undefined;
  const smoothing = m.labelSmoothing > 0 ? `${pyNumber(m.labelSmoothing)} if self.training else 0.0` : "0.0";
  return `

class ${m.cls}(nn.Module):
    """\`model ${pyComment(m.name)} = sequential(...)\`: SASRec over \`${pyComment(m.dataset)}\`.

    Item embeddings (E = ${e}) times sqrt(E) plus learned positions, then
    ${wrap(pyComment(m.encoder.summary) + "; next-item logits h · Eᵀ against the same item table.", 4, 95)}
    """

    history_length = ${m.history}
    # The positions training predicts at: every one with a next item, or the last.
    trained_positions = ${pyString(m.positions)}

    def __init__(self, num_items: int) -> None:
        super().__init__()
        self.num_items = num_items
        # Row i embeds item i (row 0 the padding item); also the output layer.
        self.item_embedding = nn.Embedding(num_items + 1, ${e})
        self.positions = nn.Embedding(${m.encoder.maxPositions}, ${d})${
          project ? `\n        self.input_projection = nn.Linear(${e}, ${d})\n        self.output_projection = nn.Linear(${d}, ${e})` : ""
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
        self.dropout = nn.Dropout(${pyNumber(c.dropout)})

    @classmethod
    def build(cls, prepared: Any, name: str) -> ${m.cls}:
        """The model for the data set a \`recspec prepare\` folder holds (data.Prepared)."""
        return cls(prepared.num_items(prepared.model(name)["dataset"]))

    def loss_weight(self, batch: dict[str, torch.Tensor]) -> int:
        """The denominator of a whole batch's mean loss: the positions it predicts at."""
        positions = self.trained_positions if self.training else "last"
        return target_positions(batch["histories"], batch["targets"], positions)[0].numel()

    def shard_inputs(
        self, batch: dict[str, torch.Tensor], rank: int, world: int, device: torch.device
    ) -> tuple[${sampled ? "torch.Tensor, torch.Tensor, torch.Tensor | None" : "torch.Tensor, torch.Tensor"}]:
        """forward's inputs for process \`rank\` of \`world\`: every world-th example of the batch."""
        return (
            batch["histories"][rank::world].to(device),  # [B / world, T]
            batch["targets"][rank::world].to(device),  # [B / world]${
              sampled
                ? `
            # The step's drawn negatives [K] (training batches only), the same on every rank.
            batch["negatives"].to(device) if "negatives" in batch else None,`
                : ""
            }
        )

    def encode(self, histories: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Hidden states [B, L, ${e}] of the L used columns of histories [B, ${m.history}], and their ids."""
        ids, offset = trim_histories(histories)  # [B, L]
        length = ids.shape[1]
        mask = (ids != 0).float()  # [B, L]
        x = self.item_embedding(ids) * math.sqrt(${e})  # [B, L, ${e}]${project ? `\n        x = self.input_projection(x)  # [B, L, ${d}]` : ""}
        # The window's last L learned positions, so the most recent item always has position ${m.history - 1}.
        x = x + self.positions.weight[offset : offset + length]  # [B, L, ${d}]
        x = self.dropout(x)
        x = x * mask[:, :, None]  # padding positions zeroed
        # Attention may not look at padding${c.causal ? " or at later positions" : ""}.
        bias = attention_bias(mask, causal=${c.causal ? "True" : "False"})  # [B, 1, L, L]
        for layer in self.encoder.layers:
            x = layer(x, bias)  # [B, L, ${d}]${c.norm === "pre" ? `\n        x = self.encoder.final_norm(x)  # [B, L, ${d}]` : ""}${
              project ? `\n        x = self.output_projection(x)  # [B, L, ${e}]` : ""
            }
        return x, ids

    def forward(
        self, histories: torch.Tensor, targets: torch.Tensor${sampled ? ", negatives: torch.Tensor | None = None" : ""}
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Summed cross-entropy of the next item and the number of positions it sums over.

        Training predicts at ${m.positions === "all" ? "every position that has a next item" : "the last position"}; the held-out loss (eval
        mode) at the last position only. The caller divides by the count of the global batch.
        """
        hidden, ids = self.encode(histories)
        positions = self.trained_positions if self.training else "last"
        rows, following = target_positions(ids, targets, positions)
        if rows.numel() == 0:
            # Nothing to predict: a zero that still depends on the parameters, so gradients exist.
            return hidden.sum() * 0, rows.new_zeros(())
        h = hidden.reshape(-1, ${e})[rows]  # [P, ${e}]: positions with a target
${
  m.uniformNegatives === undefined
    ? `        logits = h @ self.item_embedding.weight.T  # [P, N + 1]
        # Full softmax over the catalogue.
        loss = F.cross_entropy(logits, following, reduction="sum", label_smoothing=${smoothing})`
    : sampledSoftmaxPy(m.uniformNegatives.count, m.uniformNegatives.temperature)
}
        return loss, rows.new_tensor(rows.numel())

    def score_items(
        self, histories: torch.Tensor, users: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Next-item scores [B, N + 1]: the last position's hidden state against every item."""
        hidden, _ = self.encode(histories)
        return hidden[:, -1] @ self.item_embedding.weight.T  # [B, N + 1]
`;
}
