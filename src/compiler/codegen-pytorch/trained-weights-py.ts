// trained_weights.py of the PyTorch package: reads the weights a TypeScript run trained (its
// `<run>/<model>/model/` folder, or a checkpoint `ckpt-<step>/`: model.json + weights.bin in the
// TensorFlow.js weights format, train/checkpoint.ts) under their TypeScript names, for train.py's
// `--init-from`: data.py's load_recspec_weights then maps them onto the torch module as it maps
// the prepared initial weights. So a model trained by the TypeScript program is fine-tuned or
// evaluated in PyTorch. Takes nothing; gives the file's text.

export function trainedWeightsPy(banner: string): string {
  return `${banner}
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

# tfjs dtypes as stored: little-endian, one byte per bool.
DTYPES = {"float32": np.dtype("<f4"), "int32": np.dtype("<i4"), "bool": np.dtype("u1")}


def weights_folder(source: str | Path, model: str, models: list[str]) -> Path | None:
    """Where model \`model\`'s trained weights are under \`source\`, or None when not there.

    \`source\` is a TypeScript run folder (every model from RUN/MODEL/model), one model's folder
    RUN/MODEL (that model only), or a folder holding model.json (a checkpoint ckpt-STEP, or
    RUN/MODEL/model; only when the package has one model, or the folder is under MODEL).
    """
    path = Path(source)
    if (path / model / "model" / "model.json").is_file():
        return path / model / "model"
    if path.name == model and (path / "model" / "model.json").is_file():
        return path / "model"
    if (path / "model.json").is_file():
        owner = next((part for part in reversed(path.parts) if part in models), None)
        if owner == model or (owner is None and len(models) == 1):
            return path
    return None


def read_trained_weights(folder: Path) -> dict[str, np.ndarray]:
    """Every tensor of folder/model.json, by its TypeScript name (kernels [in, out])."""
    manifest = json.loads((folder / "model.json").read_text())
    weights: dict[str, np.ndarray] = {}
    for group in manifest["weightsManifest"]:
        data = b"".join((folder / part).read_bytes() for part in group["paths"])
        offset = 0
        for entry in group["weights"]:
            dtype = DTYPES[entry["dtype"]]
            count = math.prod(entry["shape"])
            if offset + count * dtype.itemsize > len(data):
                raise ValueError(f"{folder}: weights.bin ends inside {entry['name']}")
            values = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
            weights[entry["name"]] = values.reshape(entry["shape"]).astype(dtype.newbyteorder("="))
            offset += count * dtype.itemsize
    return weights
`;
}
