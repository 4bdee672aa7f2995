"""Compares a generated PyTorch package with the TypeScript program's numbers (test/pytorch).

Takes the package folder, the prepared folder, the folder of the TypeScript side's arrays and,
optionally, run folders whose trained weights are compared with the first one's; prints one JSON object of largest differences.
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
    spec = prepared.model(name)
    net = getattr(models, expected["class"])(prepared.num_items(spec["dataset"]))
    data.load_recspec_weights(net, prepared.initial_weights(name))
    net.train()

    split = prepared.split(spec["dataset"], "train")
    batch = prepared.batches(name, 0)[0].astype(np.int64)
    histories = torch.from_numpy(split.histories[batch])  # [B, T]
    targets = torch.from_numpy(split.targets[batch])  # [B]
    # A sequential sampled softmax also takes the negatives the trainer drew for update 1.
    drawn = prepared.training_batch(name, split, batch, 1)["negatives"] if "sequential" in spec else None
    loss_sum, count = net(histories, targets) if drawn is None else net(histories, targets, drawn)
    loss = loss_sum / count
    loss.backward()
    net.eval()
    with torch.no_grad():
        scores = net.score_items(histories)  # [B, N + 1]

    def largest(a: np.ndarray, b: np.ndarray) -> float:
        if a.shape != b.shape:
            raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
        return float(np.abs(a - b).max())

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
        "worst_grad": max(grads, key=grads.get),
        "key_bias_grad": max(
            float(p.grad.abs().max()) for n, p in params.items() if n.endswith("key.bias")
        ),
    }
    if runs:
        a, *others = (torch.load(run / name / "model.pt") for run in runs)
        # Per later run, each weight's largest difference from the first run's.
        report["weights_diff"] = [{k: float((a[k] - b[k]).abs().max()) for k in a} for b in others]
        report["weights_moved"] = max(
            float((a[k] - torch.from_numpy(np.ascontiguousarray(v.T if w.endswith("/kernel") else v))).abs().max())
            for w, v in prepared.initial_weights(name).items()
            for k in [data.torch_name(w)]
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
