"""First-batch parity of a generated PyTorch package's model with the TypeScript side (test/pytorch).

Takes the package folder, the prepared folder, the folder of the TypeScript side's arrays
(expected.json: the model's name and class, the loss, gradient files by weight name, and
optionally the teacher's name and class) and, optionally, run folders whose trained weights are
compared with the first one's; prints one JSON object of largest differences (or, with --cases,
a list of them: see parity_common.py).
Goes through the package's own protocol: build, training_examples, training_batch (update 1's
prepared negatives), loss_weight, shard_inputs, forward, score_items.
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
    if "teacher" in expected:
        # The teacher at its initial weights, as the TypeScript side's.
        teacher = getattr(models, expected["teacherClass"]).build(prepared, expected["teacher"])
        data.load_recspec_weights(teacher, prepared.initial_weights(expected["teacher"]))
        net.attach_teacher(teacher)
    net.train()

    examples = prepared.training_examples(name)
    rows = prepared.batches(name, 0)[0]
    batch = prepared.training_batch(name, examples, rows, 1)
    loss_sum, _ = net(*net.shard_inputs(batch, 0, 1, torch.device("cpu")))
    loss = loss_sum / net.loss_weight(batch)
    loss.backward()
    net.eval()
    with torch.no_grad():
        scores = net.score_items(batch["histories"])  # [B, N + 1]

    params = dict(net.named_parameters())
    grads = grad_diffs(data, params, expected["grads"], expected_dir)
    key_biases = [float(p.grad.abs().max()) for n, p in params.items() if n.endswith("key.bias")]
    report = {
        "loss": float(loss),
        "loss_diff": abs(float(loss) - expected["loss"]),
        "scores_diff": largest(scores.numpy(), np.load(expected_dir / "scores.npy")),
        "grad_diff": max(grads.values()),
        "grads": len(grads),
        "parameters": len(params),
        "worst_grad": max(grads, key=grads.get),
        "grad_norm": float(sum(float((p.grad**2).sum()) for p in params.values()) ** 0.5),
        # Softmax cancels an attention key bias, so its gradient should be rounding noise.
        "key_bias_grad": max(key_biases) if key_biases else None,
    }
    if runs:
        report.update(weights_report(data, prepared, name, runs))
    return report


if __name__ == "__main__":
    run_checks(check)
