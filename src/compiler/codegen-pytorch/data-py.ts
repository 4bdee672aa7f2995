// data.py of the PyTorch package: reads the folder `recspec prepare` wrote (manifest.json and .npy
// files: splits, batches per epoch, validation subsets, initial weights, slice masks) and loads
// TypeScript-named weights into the torch modules. Nothing seeded is computed here: batches and
// weights come from the folder. Takes the plan; gives the file's text.
import type { PyPlan } from "./plan.js";
import { pyString } from "./python.js";

export function dataPy(plan: PyPlan, banner: string): string {
  return `${banner}
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

SPEC = ${pyString(plan.ir.spec)}
PREPARED_VERSION = 1

# Scope names of the TypeScript runtime whose torch attribute differs.
RENAMED = {
    "in": "hidden",
    "out": "output",
    "table": "weight",
    "kernel": "weight",
    "gamma": "weight",
    "beta": "bias",
}


@dataclass
class Split:
    """The examples of one split.

    histories [n, T] holds the last T items of each history, left-padded with 0; targets [n].
    """

    histories: np.ndarray
    targets: np.ndarray
    users: np.ndarray
    history_offsets: np.ndarray
    history_items: np.ndarray

    def __len__(self) -> int:
        return len(self.targets)

    def history(self, i: int) -> np.ndarray:
        """Example i's whole history, oldest first (for history exclusion)."""
        return self.history_items[self.history_offsets[i] : self.history_offsets[i + 1]]


class Prepared:
    """A folder written by \`recspec prepare\`: manifest.json and the arrays it names."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.manifest: dict[str, Any] = json.loads((self.root / "manifest.json").read_text())
        self.arrays: dict[str, np.ndarray] = {}
        if self.manifest.get("format") != "recspec-prepared":
            raise ValueError(f"{self.root} was not written by recspec prepare")
        if self.manifest["version"] != PREPARED_VERSION:
            version = self.manifest["version"]
            raise ValueError(f"{self.root} has format version {version}, not {PREPARED_VERSION}")
        if self.manifest["spec"] != SPEC:
            raise ValueError(f"{self.root} holds spec {self.manifest['spec']!r}, not {SPEC!r}")

    def array(self, ref: dict[str, Any]) -> np.ndarray:
        # Read once: the trainer looks up weights and drawn negatives every batch.
        if ref["file"] not in self.arrays:
            self.arrays[ref["file"]] = np.load(self.root / ref["file"])
        return self.arrays[ref["file"]]

    def num_items(self, dataset: str) -> int:
        return int(self.manifest["datasets"][dataset]["numItems"])

    def split(self, dataset: str, name: str) -> Split:
        s = self.manifest["datasets"][dataset]["splits"][name]
        return Split(
            histories=self.array(s["histories"]).astype(np.int64),
            targets=self.array(s["targets"]).astype(np.int64),
            users=self.array(s["users"]),
            history_offsets=self.array(s["historyOffsets"]),
            history_items=self.array(s["historyItems"]).astype(np.int64),
        )

    def train_counts(self, dataset: str) -> np.ndarray:
        return self.array(self.manifest["datasets"][dataset]["trainCounts"])

    def model(self, name: str) -> dict[str, Any]:
        if name not in self.manifest["models"]:
            raise KeyError(f"{self.root} has no model {name!r}: prepare it with recspec prepare")
        return self.manifest["models"][name]

    def batches(self, name: str, epoch: int) -> list[np.ndarray]:
        """The example indices of each batch of \`epoch\`, in the TypeScript trainer's order."""
        m = self.model(name)
        order = self.array(m["batchOrder"])  # [E, n]
        offsets = self.array(m["batchOffsets"])  # [E, batches + 1]
        if epoch >= order.shape[0]:
            raise ValueError(f"{self.root} holds {order.shape[0]} epochs of batches for {name}")
        row, cuts = order[epoch], offsets[epoch]
        return [row[cuts[b] : cuts[b + 1]] for b in range(len(cuts) - 1)]

    def training_examples(self, name: str) -> Split:
        """What an epoch of \`name\` iterates: its own examples, else the training split."""
        m = self.model(name)
        handed = m.get("twoTower") or m.get("ranking") or m.get("generative") or {}
        if "examples" not in handed:
            return self.split(m["dataset"], "train")
        s = handed["examples"]
        return Split(
            histories=self.array(s["histories"]).astype(np.int64),
            targets=self.array(s["targets"]).astype(np.int64),
            users=self.array(s["users"]).astype(np.int64),
            history_offsets=self.array(s["historyOffsets"]),
            history_items=self.array(s["historyItems"]).astype(np.int64),
        )

    def training_batch(
        self, name: str, split: Split, rows: np.ndarray, step: int | None = None
    ) -> dict[str, torch.Tensor]:
        """The examples at \`rows\` of \`split\` as tensors, with the examples' loss weights and
        what the TypeScript trainer drew for 1-based update \`step\` (negatives), where the model
        has them.
        """
        batch = {
            "histories": torch.from_numpy(split.histories[rows]),
            "targets": torch.from_numpy(split.targets[rows]),
            "users": torch.from_numpy(split.users[rows].astype(np.int64)),
        }
        m = self.model(name)
        handed = m.get("twoTower") or m.get("ranking") or {}
        if "itemWeights" in handed:
            weights = self.array(handed["itemWeights"])
            batch["weights"] = torch.from_numpy(weights[split.targets[rows]])
        if "negatives" in handed and step is not None:
            values = self.array(handed["negatives"]["values"])
            offsets = self.array(handed["negatives"]["offsets"])
            drawn = values[offsets[step - 1] : offsets[step]]
            batch["negatives"] = torch.from_numpy(drawn.astype(np.int64))
        if "sequential" in m and step is not None:
            # A sequential sampled softmax: row step - 1 holds the update's negatives [K].
            drawn = self.array(m["sequential"]["negatives"])[step - 1]
            batch["negatives"] = torch.from_numpy(drawn.astype(np.int64))
        return batch

    def item_representation(self, name: str) -> dict[str, Any]:
        """A ranking model's item inputs: each item's table rows [N + 1, S] (-1 unused) and the
        table's row count, or the content vectors [N + 1, F] of a dense representation."""
        item = self.model(name)["ranking"]["item"]
        if "features" in item:
            return {"features": self.array(item["features"])}
        return {"rows": self.array(item["rows"]), "tableRows": item["tableRows"]}

    def validation_subset(self, name: str) -> np.ndarray:
        return self.array(self.model(name)["validationSubset"])

    def initial_weights(self, name: str) -> dict[str, np.ndarray]:
        return {weight: self.array(ref) for weight, ref in self.model(name)["init"].items()}


def torch_name(name: str) -> str:
    """\`encoder/layer0/ffn/in/kernel\` -> \`encoder.layers.0.ffn.hidden.weight\`."""
    parts: list[str] = []
    for segment in name.split("/"):
        if segment.startswith("layer") and segment[5:].isdigit():
            parts += ["layers", segment[5:]]
        else:
            parts.append(RENAMED.get(segment, segment))
    return ".".join(parts)


def load_recspec_weights(module: nn.Module, weights: dict[str, np.ndarray]) -> None:
    """Loads weights named as the TypeScript program names them (kernels [in, out] transposed)."""
    state = module.state_dict()
    loaded: dict[str, torch.Tensor] = {}
    for name, value in weights.items():
        key = torch_name(name)
        if key not in state:
            raise KeyError(f"{name} ({key}) is not a weight of {type(module).__name__}")
        array = value.T if name.endswith("/kernel") else value
        tensor = torch.from_numpy(np.ascontiguousarray(array))
        if tensor.shape != state[key].shape:
            shape, expected = tuple(tensor.shape), tuple(state[key].shape)
            raise ValueError(f"{name}: shape {shape}, expected {expected}")
        loaded[key] = tensor
    missing = sorted(set(state) - set(loaded))
    if missing:
        raise KeyError(f"no prepared weight for {', '.join(missing)}")
    module.load_state_dict(loaded)
`;
}
