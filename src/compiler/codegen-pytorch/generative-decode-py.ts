// decode.py of the PyTorch package, for specs with a generative (TIGER) model: ranking items by
// decoding their Semantic IDs, as src/runtime/decode does it. A prefix trie of the warm items' IDs
// (seen in training, not held out cold) constrains beam search, so every beam is a valid ID;
// candidates are ordered by summed log-probability (float64, from the model's float32
// log-softmax), then beam, then lower token, as slot-beam-search.ts orders them; the width is the
// spec's and the length the ID's. Items never seen in training join by the decoded beams' base
// codes just below the matching beam, at most ⌊ε · width⌋ of a list; every item not retrieved
// scores -inf. The search re-decodes each beam's whole prefix (retrieveReference's path; the
// TypeScript cached decoder computes the same function). Given each history's seen items, the
// search skips them as seen-items.ts has it: a beam never enters a trie node all of whose items
// are seen (the whole ID of a seen item, or a prefix with nothing unseen left under it), so a list
// still holds \`width\` unseen items. Takes the plan; gives the file's text.
import type { PyPlan } from "./plan.js";

export function generativeDecodePy(_plan: PyPlan, banner: string): string {
  return `${banner}
from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

# Special tokens of the vocabulary (runtime/models/generative.ts): pad, decoder start, reserved.
PAD_TOKEN = 0
START_TOKEN = 1
# Histories decoded together (the TypeScript retrieval's decodeChunk).
DECODE_CHUNK = 64


class PrefixTrie:
    """The IDs of the items where keep[i] as a trie, nodes numbered depth by depth from root 0.

    Children of a node are consecutive and in ascending token order (np.unique sorts the prefixes),
    so a node's allowed tokens are token[start[node] : end[node]] and its children those nodes.
    """

    def __init__(self, codes: np.ndarray, keep: np.ndarray) -> None:
        items = np.nonzero(keep)[0]
        items = items[items > 0]
        ids = codes[items]  # [M, t]
        depth = codes.shape[1]
        self.depth = depth
        tokens = [np.zeros(1, dtype=np.int64)]  # the token leading to each node
        starts, ends = [], []
        node_of = np.zeros(len(items), dtype=np.int64)  # each item's node at the current depth
        level = np.arange(1)  # the nodes of the current depth
        count = 1
        bounds = [0, 1]  # the first node of each depth, and the node count
        for t in range(depth):
            prefixes, first, inverse = np.unique(
                ids[:, : t + 1], axis=0, return_index=True, return_inverse=True
            )
            parents = node_of[first]  # nondecreasing: the prefixes are sorted
            starts.append(count + np.searchsorted(parents, level, side="left"))
            ends.append(count + np.searchsorted(parents, level, side="right"))
            tokens.append(prefixes[:, t].astype(np.int64))
            level = count + np.arange(len(prefixes))
            node_of = level[inverse.reshape(-1)]
            count += len(prefixes)
            bounds.append(count)
        leaves = len(tokens[-1])
        self.token = np.concatenate(tokens)  # [nodes]
        self.start = np.concatenate(starts + [np.zeros(leaves, dtype=np.int64)])
        self.end = np.concatenate(ends + [np.zeros(leaves, dtype=np.int64)])
        # Each leaf's item (IDs are unique: the table has a collision suffix or no collisions).
        self.first_leaf = count - leaves
        self.leaf_item = np.zeros(leaves, dtype=np.int64)
        self.leaf_item[node_of - self.first_leaf] = items
        self.leaf_of = np.full(len(codes), -1, dtype=np.int64)  # each item's leaf, -1 if absent
        self.leaf_of[items] = node_of
        # Every node but the root is some node's child, in node order: its parent by repetition.
        inner = self.first_leaf
        self.parent = np.concatenate(
            [np.full(1, -1), np.repeat(np.arange(inner), self.end[:inner] - self.start[:inner])]
        )
        # A child's key parent·radix + token grows with its number: found by bisection.
        self.radix = int(self.token.max()) + 1
        self.keys = self.parent[1:] * self.radix + self.token[1:]
        # Items under each node: one per leaf, summed into the parents from the deepest level up.
        self.under = np.zeros(count, dtype=np.int64)
        self.under[self.first_leaf :] = 1
        for lo, hi in reversed(list(zip(bounds[1:-1], bounds[2:]))):
            np.add.at(self.under, self.parent[lo:hi], self.under[lo:hi])

    def find(self, tokens: np.ndarray) -> int:
        """The node a prefix leads to, or -1 when no ID starts with it."""
        node = 0
        for token in tokens:
            lo, hi = self.start[node], self.end[node]
            at = lo + int(np.searchsorted(self.token[lo:hi], token))
            if at >= hi or self.token[at] != token:
                return -1
            node = at
        return node

    def child(self, nodes: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """The children of nodes along tokens (element by element), -1 where none (or node -1)."""
        if len(self.keys) == 0:
            return np.full(len(nodes), -1, dtype=np.int64)
        key = nodes * self.radix + tokens
        at = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        found = (nodes >= 0) & (tokens < self.radix) & (self.keys[at] == key)
        return np.where(found, at + 1, -1)

    def blocked(self, seen: np.ndarray) -> np.ndarray:
        """The nodes all of whose items are in seen: a beam there can end on no new item."""
        seen = np.unique(seen[(seen > 0) & (seen < len(self.leaf_of))])
        nodes = self.leaf_of[seen]
        nodes = nodes[nodes >= 0]  # items the trie does not hold
        counts = np.zeros(len(self.under), dtype=np.int64)
        while len(nodes):
            np.add.at(counts, nodes, 1)
            nodes = self.parent[nodes]
            nodes = nodes[nodes >= 0]
        return np.nonzero((counts > 0) & (counts == self.under))[0]

    def item(self, tokens: np.ndarray) -> int:
        """The item whose whole ID is tokens, or 0 when none is."""
        node = self.find(tokens) if len(tokens) == self.depth else -1
        return int(self.leaf_item[node - self.first_leaf]) if node >= self.first_leaf else 0


def beam_search(
    step: Any,
    count: int,
    width: int,
    sizes: list[int],
    trie: PrefixTrie | None,
    skip: tuple[PrefixTrie, list[np.ndarray]] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Beam search of \`width\` beams over IDs of len(sizes) tokens, for \`count\` sequences.

    step(t, owners, prefixes) gives log-probabilities [n, sizes[t]] (float32) of the next token of
    the n live beams (owners [n]: their sequences; prefixes [n, t]). Candidates of a sequence rank
    by score (descending), then beam, then token; with a trie a beam grows only by the tokens it
    allows. Gives prefixes [count, width, len], scores [count, width] (float64), the trie node each
    beam ends on (-1 without a trie) and the number of beams each sequence holds (fewer than width
    when the trie allows fewer IDs). skip, a trie (the search's own when constrained) and per
    sequence its blocked nodes, keeps each sequence's beams out of those nodes; unconstrained, the
    beams are walked along that trie while they stay on it.
    """
    depth = len(sizes)
    if skip is not None:
        skip_trie, blocked = skip
        # (sequence, node) pairs as one sorted key each.
        nodes_in = len(skip_trie.under)
        keys = [s * nodes_in + b for s, b in enumerate(blocked)]
        blocked_keys = np.sort(np.concatenate(keys + [np.zeros(0, dtype=np.int64)]))
    owners = np.arange(count)  # live beams, the beams of a sequence together in rank order
    scores = np.zeros(count)
    nodes = np.zeros(count, dtype=np.int64)
    prefixes = np.zeros((count, 0), dtype=np.int64)
    for t in range(depth):
        if len(owners) == 0:  # no beam left: each sequence has seen every item it could reach
            prefixes = np.zeros((0, depth), dtype=np.int64)
            break
        logp = step(t, owners, prefixes).astype(np.float64)  # [n, size]
        size = sizes[t]
        if trie is None:
            beam = np.repeat(np.arange(len(owners)), size)
            token = np.tile(np.arange(size), len(owners))
            if skip is None:
                child = np.full(len(beam), -1, dtype=np.int64)
            else:
                child = skip_trie.child(nodes[beam], token)
        else:
            counts = trie.end[nodes] - trie.start[nodes]
            beam = np.repeat(np.arange(len(owners)), counts)
            firsts = np.repeat(trie.start[nodes] - np.cumsum(counts) + counts, counts)
            child = firsts + np.arange(len(beam))
            token = trie.token[child]
            fits = token < size
            beam, token, child = beam[fits], token[fits], child[fits]
        if skip is not None:
            # Off the trie (-1) a beam names no item, seen or not.
            allowed = (child < 0) | ~np.isin(owners[beam] * nodes_in + child, blocked_keys)
            beam, token, child = beam[allowed], token[allowed], child[allowed]
        value = scores[beam] + logp[beam, token]
        owner = owners[beam]
        # Candidates are listed in (beam, token) order: a stable sort keeps that order on ties.
        order = np.lexsort((np.arange(len(value)), -value, owner))
        owner = owner[order]
        first = np.searchsorted(owner, owner, side="left")
        kept = order[np.arange(len(order)) - first < width]
        owners = owners[beam[kept]]
        scores = value[kept]
        nodes = child[kept]
        prefixes = np.concatenate([prefixes[beam[kept]], token[kept, None]], axis=1)
    live = np.bincount(owners, minlength=count)
    out_prefixes = np.zeros((count, width, depth), dtype=np.int64)
    out_scores = np.full((count, width), -math.inf)
    out_nodes = np.full((count, width), -1)
    slot = np.arange(len(owners)) - np.searchsorted(owners, owners, side="left")
    out_prefixes[owners, slot] = prefixes
    out_scores[owners, slot] = scores
    out_nodes[owners, slot] = nodes
    return out_prefixes, out_scores, out_nodes, live


class SemanticIdRetrieval:
    """Beam search over a model's decoder, mapped back to items (semantic-id-retrieval.ts)."""

    def __init__(
        self,
        codes: np.ndarray,
        levels: int,
        sizes: list[int],
        warm: np.ndarray,
        width: int,
        constrained: bool,
        cold_start_share: float,
    ) -> None:
        self.levels = levels
        self.sizes = [int(s) for s in sizes]
        self.width = width
        self.constrained = constrained
        self.num_items = len(codes) - 1
        # Only warm items are decoded; cold ones come in by their base codes.
        self.warm_trie = PrefixTrie(codes, warm)
        self.full_trie = PrefixTrie(codes, np.ones(len(codes), dtype=bool))
        self.cold_cap = math.floor(cold_start_share * width)
        self.cold_by_prefix: dict[tuple[int, ...], list[int]] = {}
        for item in np.nonzero(~warm)[0]:
            if item > 0:
                key = tuple(int(c) for c in codes[item, :levels])
                self.cold_by_prefix.setdefault(key, []).append(int(item))
        # Beams that named no item (unconstrained decoding), and all beams, since the last reset.
        self.invalid = 0
        self.total = 0

    def retrieve(
        self,
        model: Any,
        histories: torch.Tensor,
        users: torch.Tensor | None,
        exclude: list[np.ndarray] | None = None,
    ) -> list[list[tuple[int, float]]]:
        """Per history: up to \`width\` (item, score) pairs, best first (cold items capped).

        exclude[s], when given, holds history s's seen items: the search skips them.
        """
        memory, mask = model.encode(histories, users)  # [C, S, d], [C, S]
        offsets = torch.tensor(model.offsets, device=histories.device)

        def step(t: int, owners: np.ndarray, prefixes: np.ndarray) -> np.ndarray:
            rows = torch.from_numpy(owners).to(histories.device)
            # The decoder reads the start token, then the tokens decoded so far.
            decoded = torch.from_numpy(prefixes).to(histories.device) + offsets[:t]
            start = torch.full((len(owners), 1), START_TOKEN, device=histories.device)
            inputs = torch.cat([start, decoded], dim=1)  # [n, t + 1]
            hidden = model.decode(inputs, memory[rows], mask[rows])  # [n, t + 1, d]
            logits = model.level_logits(hidden[:, t], t).float()  # [n, sizes[t]]
            return torch.log_softmax(logits, dim=-1).cpu().numpy()

        trie = self.warm_trie if self.constrained else None
        skip = None
        if exclude is not None:
            # Unconstrained, the beams are walked along the trie of every item.
            skip_trie = self.warm_trie if self.constrained else self.full_trie
            skip = (skip_trie, [skip_trie.blocked(np.asarray(seen)) for seen in exclude])
        prefixes, scores, nodes, live = beam_search(
            step, len(histories), self.width, self.sizes, trie, skip
        )
        if self.constrained:
            # A constrained beam ends on a leaf of the warm trie, which names its item.
            leaves = np.maximum(nodes - self.warm_trie.first_leaf, 0)
            items = self.warm_trie.leaf_item[leaves]
        else:
            items = np.array([[self.full_trie.item(p) for p in row] for row in prefixes])
        lists = []
        for s in range(len(histories)):
            beams = [(prefixes[s, k], float(scores[s, k])) for k in range(live[s])]
            found = []
            for k, (_, score) in enumerate(beams):
                self.total += 1
                item = int(items[s, k])
                if item == 0:
                    self.invalid += 1
                else:
                    found.append((item, score))
            seen = set() if exclude is None else {int(i) for i in exclude[s]}
            lists.append(self.with_cold_items(found, beams, seen))
        return lists

    def with_cold_items(
        self,
        found: list[tuple[int, float]],
        beams: list[tuple[np.ndarray, float]],
        excluded: set[int],
    ) -> list[tuple[int, float]]:
        """The decoded items, and cold ones sharing a beam's base codes just below that beam;
        none of the excluded (the search skipped them; cold ones are left out here)."""
        if self.cold_cap == 0 or not self.cold_by_prefix:
            return found[: self.width]
        cold: list[tuple[int, float]] = []
        # Unconstrained beams may decode a cold item themselves: it is listed once, at its beam.
        seen = excluded | {item for item, _ in found}
        for tokens, score in beams:
            for item in self.cold_by_prefix.get(tuple(int(c) for c in tokens[: self.levels]), []):
                if item not in seen:
                    seen.add(item)
                    # The warm item with that prefix stays ahead.
                    cold.append((item, score - 1e-4 * (1 + len(cold))))
        merged = sorted(found + cold[: self.cold_cap], key=lambda pair: -pair[1])
        return merged[: self.width]

    def score_items(
        self,
        model: Any,
        histories: torch.Tensor,
        users: torch.Tensor | None,
        exclude: list[np.ndarray] | None = None,
    ) -> torch.Tensor:
        """Scores [B, N + 1] (float32): the retrieved items' beam scores, -inf elsewhere; the
        search skips exclude[b]'s items (row b's seen items) when given.

        Histories are decoded in chunks of similar length: the source is cut to the longest of
        its chunk, so mixing long and short ones would encode mostly padding.
        """
        count = len(histories)
        scores = torch.full((count, self.num_items + 1), -math.inf)
        used = (histories != 0).long().cumsum(1).bool().sum(1)  # columns from the first item on
        order = sorted(range(count), key=lambda i: (int(used[i]), i))
        for first in range(0, count, DECODE_CHUNK):
            rows = torch.tensor(order[first : first + DECODE_CHUNK], device=histories.device)
            chunk_users = None if users is None else users[rows]
            chunk_seen = None if exclude is None else [exclude[r] for r in rows.tolist()]
            lists = self.retrieve(model, histories[rows], chunk_users, chunk_seen)
            for row, found in zip(rows.tolist(), lists):
                for item, score in found:
                    scores[row, item] = score
        return scores.to(histories.device)
`;
}
