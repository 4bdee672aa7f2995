"""Compares a generated package's retrieval models with the TypeScript program's numbers (test/pytorch).

Takes the package folder, the prepared folder and the folder of the TypeScript side's arrays
(expected.json lists each model's loss, gradients and scores on its first prepared batch) and,
optionally, run folders whose trained weights are compared with the first one's. Prints one JSON
object: per model, the largest differences.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch


def largest(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    return float(np.abs(a - b).max())


def main() -> None:
    package, prepared_dir, expected_dir = (Path(p) for p in sys.argv[1:4])
    runs = [Path(p) for p in sys.argv[4:]]
    sys.path.insert(0, str(package))
    import data  # noqa: E402  (the generated package)
    import model as models  # noqa: E402

    torch.manual_seed(0)
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
        params = dict(net.named_parameters())
        grads = {}
        for ts_name, file in case["grads"].items():
            g = np.load(expected_dir / file)
            torch_grad = params[data.torch_name(ts_name)].grad.numpy()
            grads[ts_name] = largest(torch_grad.T if ts_name.endswith("/kernel") else torch_grad, g)
        entry = {
            "loss": float(loss),
            "loss_diff": abs(float(loss) - case["loss"]),
            "scores_diff": largest(scores.numpy(), np.load(expected_dir / case["scores"])),
            "grad_diff": max(grads.values()),
            "grads": len(grads),
            "worst_grad": max(grads, key=grads.get),
        }
        if runs:
            first, *others = (torch.load(run / name / "model.pt") for run in runs)
            # Per later run, each weight's largest difference from the first run's.
            entry["weights_diff"] = [
                {k: float((first[k] - b[k]).abs().max()) for k in first} for b in others
            ]
            entry["weights_moved"] = max(
                float((first[data.torch_name(w)] - torch.from_numpy(np.ascontiguousarray(v.T if w.endswith("/kernel") else v))).abs().max())
                for w, v in prepared.initial_weights(name).items()
            )
        report[name] = entry
    print(json.dumps(report))


if __name__ == "__main__":
    main()
