"""Compares a generated package's retrieval models with the TypeScript program's numbers (test/pytorch).

Takes the package folder, the prepared folder and the folder of the TypeScript side's arrays
(expected.json lists each model's loss, gradients and scores on its first prepared batch) and,
optionally, run folders whose trained weights are compared with the first one's. Prints one JSON
object: per model, the largest differences (or, with --cases, a list of them: see parity_common.py).
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
    report = {}
    for case in expected:
        name = case["model"]
        net = getattr(models, case["class"]).build(prepared, name)
        data.load_recspec_weights(net, prepared.initial_weights(name))
        net.train()
        examples = prepared.training_examples(name)
        rows = prepared.batches(name, 0)[0].astype(np.int64)
        # Update 1's batch, with what the TypeScript trainer drew for it.
        batch = prepared.training_batch(name, examples, rows, 1)
        loss_sum, _ = net(*net.shard_inputs(batch, 0, 1, torch.device("cpu")))
        loss = loss_sum / net.loss_weight(batch)
        loss.backward()
        net.eval()
        with torch.no_grad():
            scores = net.score_items(batch["histories"], batch["users"])  # [B, N + 1]
        grads = grad_diffs(data, dict(net.named_parameters()), case["grads"], expected_dir)
        entry = {
            "loss": float(loss),
            "loss_diff": abs(float(loss) - case["loss"]),
            "scores_diff": largest(scores.numpy(), np.load(expected_dir / case["scores"])),
            "grad_diff": max(grads.values()),
            "grads": len(grads),
            "worst_grad": max(grads, key=grads.get),
        }
        if runs:
            entry.update(weights_report(data, prepared, name, runs))
        report[name] = entry
    return report


if __name__ == "__main__":
    run_checks(check)
