"""What the parity checkers of test/pytorch share: importing a generated package, the largest
difference of two arrays, every gradient against the TypeScript side's, trained weights against
another run's, and running one check over many cases in one process.

A checker defines check(package, prepared_dir, expected_dir, runs) -> dict and calls run_checks.
Its command line is then either PACKAGE PREPARED EXPECTED [RUN…] (one report, a JSON object) or
--cases FILE, FILE a JSON list of {"package", "prepared", "expected", "runs"} (a JSON list of
reports, in order): torch is imported once for all of them, which is most of a check's time.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

import numpy as np
import torch

_package: str | None = None


def import_package(package: Path):
    """The generated package's data and model modules, those of an earlier package dropped first."""
    global _package
    folder = str(package.resolve())
    if _package is not None and _package != folder:
        for key, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", None) or "").startswith(_package + "/"):
                del sys.modules[key]
        sys.path.remove(_package)
    if _package != folder:
        sys.path.insert(0, folder)
        _package = folder
    import data  # noqa: E402  (the generated package)
    import model  # noqa: E402

    return data, model


def largest(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    return float(np.abs(a - b).max()) if a.size else 0.0


def grad_diffs(data, params: dict, grads: dict, expected_dir: Path) -> dict:
    """Per TypeScript weight name (grads: name -> .npy file), the largest gradient difference."""
    diffs = {}
    for ts_name, file in grads.items():
        torch_grad = params[data.torch_name(ts_name)].grad.numpy()
        diffs[ts_name] = largest(torch_grad.T if ts_name.endswith("/kernel") else torch_grad, np.load(expected_dir / file))
    return diffs


def weights_report(data, prepared, name: str, runs: list[Path]) -> dict:
    """How far each later run's trained weights of `name` lie from the first run's, and how far
    the first run moved them from the initial weights."""
    first, *others = (torch.load(run / name / "model.pt") for run in runs)
    return {
        # Per later run, each weight's largest difference from the first run's.
        "weights_diff": [{k: float((first[k] - b[k]).abs().max()) for k in first} for b in others],
        "weights_moved": max(
            float((first[data.torch_name(w)] - torch.from_numpy(np.ascontiguousarray(v.T if w.endswith("/kernel") else v))).abs().max())
            for w, v in prepared.initial_weights(name).items()
        ),
    }


def run_checks(check: Callable[[Path, Path, Path, list[Path]], dict]) -> None:
    args = sys.argv[1:]
    if args[0] == "--cases":
        cases = json.loads(Path(args[1]).read_text())
        reports = []
        for case in cases:
            torch.manual_seed(0)
            paths = (Path(case[k]) for k in ("package", "prepared", "expected"))
            reports.append(check(*paths, [Path(r) for r in case.get("runs", [])]))
        print(json.dumps(reports))
    else:
        torch.manual_seed(0)
        package, prepared_dir, expected_dir = (Path(p) for p in args[:3])
        print(json.dumps(check(package, prepared_dir, expected_dir, [Path(p) for p in args[3:]])))
