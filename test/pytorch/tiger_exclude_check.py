"""Beam search that skips seen items, in a generated PyTorch TIGER package (test/pytorch).

Takes the package folder, the prepared folder and the folder of the TypeScript side's arrays;
prints one JSON object: decode.py's beams on the hand-built six-item trie of
test/runtime/decode/skip-seen-items.test.ts, and for the TypeScript side's users (history
excluded, initial weights) the items and scores retrieve, score_items and evaluate.py's
rank_examples give, and the order rank_candidates puts the TypeScript lists in, beside the
TypeScript ones.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch


def toy_beams(decode) -> dict[str, list[list[str]]]:
    """Items 1..6 = (0,0) (0,1) (1,0) (1,1) (2,0) (2,1); scores as the TypeScript test's."""
    level0 = [-1.0, -2.0, -3.0, -1.5]
    level1 = {0: [-1.0, -1.5], 1: [-0.5, -2.0], 2: [-0.1, -4.0], 3: [-0.1, -0.2]}
    codes = np.array([[0, 0], [0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]])
    trie = decode.PrefixTrie(codes, np.ones(len(codes), dtype=bool))

    def search(seen: list[list[int]] | None, width: int, sizes: list[int], constrained: bool):
        def step(t: int, owners: np.ndarray, prefixes: np.ndarray) -> np.ndarray:
            rows = [level0[: sizes[0]] if t == 0 else level1[int(p[0])] for p in prefixes]
            return np.array(rows if len(rows) else np.zeros((0, sizes[t])), dtype=np.float32)

        count = 1 if seen is None else len(seen)
        skip = None if seen is None else (trie, [trie.blocked(np.array(s, dtype=np.int64)) for s in seen])
        prefixes, _, _, live = decode.beam_search(
            step, count, width, sizes, trie if constrained else None, skip
        )
        return [["".join(str(int(c)) for c in prefixes[s, k]) for k in range(live[s])] for s in range(count)]

    return {
        "kept": search(None, 2, [3, 2], True),
        "width2": search([[], [1, 2], [1, 3]], 2, [3, 2], True),
        "width3": search([[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5]], 3, [3, 2], True),
        "free": search([[1, 3]], 2, [3, 2], False),
        "free_off_trie": search([[1, 2]], 2, [4, 2], False),
        "under": [int(trie.under[0]), int(trie.under[trie.find(np.array([1]))])],
    }


def main() -> None:
    package, prepared_dir, expected_dir = (Path(p) for p in sys.argv[1:4])
    sys.path.insert(0, str(package))
    import data  # noqa: E402  (the generated package)
    import decode  # noqa: E402
    import evaluate  # noqa: E402
    import model as models  # noqa: E402

    torch.manual_seed(0)
    prepared = data.Prepared(prepared_dir)
    expected = json.loads((expected_dir / "expected.json").read_text())
    name = expected["model"]
    net = getattr(models, expected["class"]).build(prepared, name)
    data.load_recspec_weights(net, prepared.initial_weights(name))
    net.eval()
    histories = torch.from_numpy(np.load(expected_dir / "beam_histories.npy").astype(np.int64))
    users = torch.from_numpy(np.load(expected_dir / "beam_users.npy").astype(np.int64))
    seen = [np.array(s, dtype=np.int64) for s in expected["seen"]]
    split = prepared.split(prepared.model(name)["dataset"], "test")
    rows = np.arange(len(seen))
    with torch.no_grad():
        lists = net.retrieval.retrieve(net, histories, users, seen)
        kept = net.retrieval.retrieve(net, histories, users)
        scores = net.score_items(histories, users, seen).numpy()
        ranked = evaluate.rank_examples(net, split, rows, expected["width"], True, torch.device("cpu"))
        # Sampled-candidate ranking with the TypeScript lists (reversed) as each user's candidates:
        # the beams skip the seen items here too, so the candidates come back in the decoded order.
        ts_lists = expected["lists"]
        candidates = np.zeros((len(split), expected["width"]), dtype=np.int64)
        for r, a in enumerate(ts_lists):
            candidates[r, : len(a)] = [i for i, _ in reversed(a)]
        by_candidates, _, _ = evaluate.rank_candidates(net, split, candidates, True, torch.device("cpu"))
    ts_scores = np.load(expected_dir / "beam_scores.npy")
    retrieved = np.isfinite(scores)
    report = {
        "toy": toy_beams(decode),
        "same_seen": all(sorted(split.history(r).tolist()) == sorted(s.tolist()) for r, s in zip(rows, seen)),
        "same_items": [[i for i, _ in a] for a in lists] == [[i for i, _ in b] for b in ts_lists],
        "same_kept_items": [[i for i, _ in a] for a in kept] == [[i for i, _ in b] for b in expected["kept"]],
        "list_lengths": [len(a) for a in lists],
        "seen_in_lists": sum(i in set(s.tolist()) for a, s in zip(lists, seen) for i, _ in a),
        "seen_in_kept_lists": sum(i in set(s.tolist()) for a, s in zip(kept, seen) for i, _ in a),
        "beam_score_diff": max(abs(s - t) for a, b in zip(lists, ts_lists) for (_, s), (_, t) in zip(a, b)),
        "same_retrieved": bool((retrieved == np.isfinite(ts_scores)).all()),
        "scores_diff": float(np.abs(scores[retrieved] - ts_scores[retrieved]).max()),
        "evaluated_lists": ranked.tolist(),
        "candidate_lists": by_candidates[rows].tolist(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
