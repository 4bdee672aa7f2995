"""First-batch parity of a generated PyTorch package's model with the TypeScript side (test/pytorch).

Takes the package folder, the prepared folder, the folder of the TypeScript side's arrays
(expected.json: the model's name and class, the loss, gradient files by weight name, and
optionally the teacher's name and class) and, optionally, run folders whose trained weights are
compared with the first one's; prints one JSON object of largest differences.
Goes through the package's own protocol: build, training_examples, training_batch (update 1's
prepared negatives), loss_weight, shard_inputs, forward, score_items.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch


def main() -> None:
    package, prepared_dir, expected_dir = (Path(p) for p in sys.argv[1:4])
    runs = [Path(p) for p in sys.argv[4:]]
    sys.path.insert(0, str(package))
    import data  # noqa: E402  (the generated package)
    import model as models  # noqa: E402

    torch.manual_seed(0)
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

    def largest(a: np.ndarray, b: np.ndarray) -> float:
        if a.shape != b.shape:
            raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
        return float(np.abs(a - b).max()) if a.size else 0.0

    params = dict(net.named_parameters())
    grads = {}
    for ts_name, file in expected["grads"].items():
        g = np.load(expected_dir / file)
        torch_grad = params[data.torch_name(ts_name)].grad.numpy()
        grads[ts_name] = largest(torch_grad.T if ts_name.endswith("/kernel") else torch_grad, g)
    report = {
        "loss": float(loss),
        "loss_diff": abs(float(loss) - expected["loss"]),
        "scores_diff": largest(scores.numpy(), np.load(expected_dir / "scores.npy")),
        "grad_diff": max(grads.values()),
        "grads": len(grads),
        "parameters": len(params),
        "worst_grad": max(grads, key=grads.get),
        "grad_norm": float(sum(float((p.grad**2).sum()) for p in params.values()) ** 0.5),
    }
    if runs:
        a, *others = (torch.load(run / name / "model.pt") for run in runs)
        # Per later run, each weight's largest difference from the first run's.
        report["weights_diff"] = [{k: float((a[k] - b[k]).abs().max()) for k in a} for b in others]
        report["weights_moved"] = max(
            float((a[data.torch_name(w)] - torch.from_numpy(np.ascontiguousarray(v.T if w.endswith("/kernel") else v))).abs().max())
            for w, v in prepared.initial_weights(name).items()
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
