"""Compares a generated PyTorch TIGER model with the TypeScript program's numbers (test/pytorch).

Takes the package folder, the prepared folder, the folder of the TypeScript side's arrays and,
optionally, run folders whose trained weights are compared with the first one's; prints one JSON
object: the largest differences of loss, gradients, decoder logits and beam scores, and whether
the beam-search lists name the same items in the same order (or, with --cases, a list of them:
see parity_common.py).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from parity_common import grad_diffs, import_package, largest, run_checks, weights_report


def check(package: Path, prepared_dir: Path, expected_dir: Path, runs: list[Path]) -> dict:
    data, models = import_package(package)
    prepared = data.Prepared(prepared_dir)
    expected = json.loads((expected_dir / "expected.json").read_text())
    name = expected["model"]
    net = getattr(models, expected["class"]).build(prepared, name)
    data.load_recspec_weights(net, prepared.initial_weights(name))
    net.train()

    # The first prepared batch, as train.py reads it.
    examples = prepared.training_examples(name)
    batch = prepared.training_batch(name, examples, prepared.batches(name, 0)[0], 1)
    histories, targets, users = net.shard_inputs(batch, 0, 1, torch.device("cpu"))
    loss_sum, count = net(histories, targets, users)
    loss = loss_sum / count
    loss.backward()
    net.eval()
    with torch.no_grad():
        memory, mask = net.encode(histories, users)
        target = net.item_tokens(targets)
        start = target.new_full((len(targets), 1), models.START_TOKEN)
        hidden = net.decode(torch.cat([start, target[:, :-1]], dim=1), memory, mask)
        levels = range(net.tokens_per_item)
        logits = torch.cat([net.level_logits(hidden[:, lv], lv) for lv in levels], dim=1)
        beam_histories = torch.from_numpy(np.load(expected_dir / "beam_histories.npy").astype(np.int64))
        beam_users = torch.from_numpy(np.load(expected_dir / "beam_users.npy").astype(np.int64))
        lists = net.retrieval.retrieve(net, beam_histories, beam_users)
        beams, invalid = net.retrieval.total, net.retrieval.invalid
        scores = net.score_items(beam_histories, beam_users).numpy()

    grads = grad_diffs(data, dict(net.named_parameters()), expected["grads"], expected_dir)
    ts_lists = expected["lists"]
    warm = prepared.array(prepared.model(name)["generative"]["warm"])
    ts_scores = np.load(expected_dir / "beam_scores.npy")
    retrieved = np.isfinite(scores)
    report = {
        "loss": float(loss),
        "loss_diff": abs(float(loss) - expected["loss"]),
        "grad_diff": max(grads.values()),
        "grads": len(grads),
        "worst_grad": max(grads, key=grads.get),
        "logits_diff": largest(logits.numpy(), np.load(expected_dir / "logits.npy")),
        "same_items": [[i for i, _ in a] for a in lists] == [[i for i, _ in b] for b in ts_lists],
        "list_lengths": [len(a) for a in lists],
        "beam_score_diff": max(abs(s - t) for a, b in zip(lists, ts_lists) for (_, s), (_, t) in zip(a, b)),
        "same_retrieved": bool((retrieved == np.isfinite(ts_scores)).all()),
        "scores_diff": float(np.abs(scores[retrieved] - ts_scores[retrieved]).max()),
        "cold_items": sum(not warm[i] for a in lists for i, _ in a),
        "beams": beams,
        "invalid_beams": invalid,
        "ts_invalid_beams": expected["invalid"],
    }
    if runs:
        report.update(weights_report(data, prepared, name, runs))
    return report


if __name__ == "__main__":
    run_checks(check)
