// evaluate.py of the PyTorch package: ranks each evaluation's examples with the trained model (the
// whole catalogue with the pad, and the history when asked, left out; or the prepared sampled
// candidates), computes Recall/HR/NDCG/MRR per example, per prepared slice, with percentile
// bootstrap intervals over examples (numpy's generator: the same protocol as the TypeScript
// evaluation, not its resamples) and the popularity baseline on the same resamples, and writes
// results.json in the run-folder format recspec's report and `recspec runs` read. Also the
// early-stopping signals train.py calls. Takes the plan; gives the file's text.
import type { PyPlan } from "./plan.js";
import { pyLiteralBlock, pyString } from "./python.js";

export function evaluatePy(plan: PyPlan, banner: string): string {
  const evaluations = plan.evaluations.map((e) => `    ${pyLiteralBlock(e as never, 4)},`).join("\n");
  const classes = plan.models.map((m) => `    ${pyString(m.name)}: ${m.cls},`).join("\n");
  return `${banner}
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from data import Prepared, Split
from model import ${plan.models.map((m) => m.cls).join(", ")}
from run_record import RunRecord, write_atomically

# The spec's \`evaluate\` blocks, every default explicit.
EVALUATIONS: list[dict[str, Any]] = [
${evaluations}
]
MODELS: dict[str, type[nn.Module]] = {
${classes}
}
CHUNK = 256


def metric_name(m: dict[str, Any]) -> str:
    return m["metric"] if m["k"] is None else f"{m['metric']}@{m['k']}"


def ranked(scores: torch.Tensor, k: int) -> torch.Tensor:
    """The k best ids of each row of scores [B, N + 1], best first, ties by lower id.

    An excluded item (score -inf) that still reaches the top k is given as 0, never a target.
    """
    order = torch.sort(scores, dim=1, descending=True, stable=True)
    ids = order.indices[:, :k]  # [B, k]
    return ids.masked_fill(order.values[:, :k] == -math.inf, 0)


def rank_examples(
    model: nn.Module,
    split: Split,
    rows: np.ndarray,
    k: int,
    exclude_history: bool,
    device: torch.device,
) -> np.ndarray:
    """Top-k lists [n, k] over the whole catalogue for the examples at \`rows\` of \`split\`."""
    lists = []
    for first in range(0, len(rows), CHUNK):
        chunk = rows[first : first + CHUNK]
        histories = torch.from_numpy(split.histories[chunk]).to(device)  # [B, T]
        users = torch.from_numpy(split.users[chunk].astype(np.int64)).to(device)  # [B]
        if exclude_history and getattr(model, "skips_seen_items", False):
            # Beam search decodes around the seen items, so its list stays full.
            seen = [split.history(row) for row in chunk]
            scores = model.score_items(histories, users, seen).float()  # [B, N + 1]
        else:
            scores = model.score_items(histories, users).float()  # [B, N + 1]
        scores[:, 0] = -math.inf
        if exclude_history:
            for i, row in enumerate(chunk):
                scores[i, torch.from_numpy(split.history(row))] = -math.inf
        lists.append(ranked(scores, k).cpu().numpy())
    return np.concatenate(lists) if lists else np.zeros((0, k), dtype=np.int64)


def rank_candidates(
    model: nn.Module,
    split: Split,
    candidates: np.ndarray,
    exclude_history: bool,
    device: torch.device,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each example's candidates [n, C] by the model's scores, best first, ties by lower id;
    and the candidates in id order [n, C] with their scores (for AUC)."""
    lists, ids_by_id, scored = [], [], []
    for first in range(0, len(candidates), CHUNK):
        rows = slice(first, first + CHUNK)
        histories = torch.from_numpy(split.histories[rows]).to(device)  # [B, T]
        users = torch.from_numpy(split.users[rows].astype(np.int64)).to(device)  # [B]
        ids = torch.from_numpy(np.sort(candidates[rows], axis=1).astype(np.int64))  # [B, C]
        if hasattr(model, "score_candidates"):
            # A pairwise ranker scores only the candidates, not the catalogue.
            scores = model.score_candidates(histories, ids.to(device)).float().cpu()  # [B, C]
        elif exclude_history and getattr(model, "skips_seen_items", False):
            # Beam search spends its beams on unseen items, as in full ranking.
            seen = [split.history(row) for row in range(first, min(first + CHUNK, len(split)))]
            scores = model.score_items(histories, users, seen).float().cpu().gather(1, ids)
        else:
            scores = model.score_items(histories, users).float().cpu().gather(1, ids)  # [B, C]
        # Id 0 pads an example that had fewer items to draw from: never ranked above a candidate.
        scores = scores.masked_fill(ids == 0, -math.inf)
        order = torch.sort(scores, dim=1, descending=True, stable=True).indices
        lists.append(ids.gather(1, order).numpy())
        ids_by_id.append(ids.numpy())
        scored.append(scores.numpy())
    return np.concatenate(lists), np.concatenate(ids_by_id), np.concatenate(scored)


def auc(ids: np.ndarray, scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per example the share of its other candidates scored below the target (ties count half)."""
    is_target = ids == targets[:, None]  # [n, C]
    own = np.take_along_axis(scores, is_target.argmax(axis=1)[:, None], axis=1)  # [n, 1]
    others = ~is_target & (ids != 0)  # the padding id 0 is no candidate
    above = ((scores > own) & others).sum(axis=1)
    tied = ((scores == own) & others).sum(axis=1)
    count = others.sum(axis=1)
    return np.where(count == 0, 1.0, (count - above - tied / 2) / np.maximum(count, 1))


def per_example(metric: dict[str, Any], lists: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The metric of each example (single target; ranks are 0-based)."""
    k = lists.shape[1] if metric["k"] is None else min(metric["k"], lists.shape[1])
    hits = lists[:, :k] == targets[:, None]  # [n, k]
    found = hits.any(axis=1)
    rank = hits.argmax(axis=1)
    if metric["metric"] in ("recall", "hr"):
        return found.astype(np.float64)
    if metric["metric"] == "ndcg":
        return np.where(found, 1 / np.log2(rank + 2), 0.0)
    return np.where(found, 1 / (rank + 1), 0.0)


def bootstrap(columns: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """95% percentile intervals [V, 2] of the means of resampled examples.

    columns [V, n] holds the model's and each baseline's per-example values; every resample
    draws n examples with replacement and applies to all V alike (paired). Drawn 100 resamples
    at a time, so memory stays at 100 × n whatever the number of resamples.
    """
    n = columns.shape[1]
    rng = np.random.default_rng(seed)
    means = []
    for first in range(0, resamples, 100):
        picks = rng.integers(0, n, size=(min(100, resamples - first), n))  # [c, n]
        means.append(columns[:, picks].mean(axis=2))  # [V, c]
    return np.quantile(np.concatenate(means, axis=1), [0.025, 0.975], axis=1).T  # [V, 2]


def popularity_lists(
    counts: np.ndarray, split: Split, k: int, exclude_history: bool
) -> np.ndarray:
    """The k most frequent training items (ties by lower id), the history left out when asked."""
    order = np.argsort(-counts[1:], kind="stable") + 1
    if not exclude_history:
        return np.tile(order[:k], (len(split), 1))
    lists = np.zeros((len(split), k), dtype=np.int64)
    for i in range(len(split)):
        kept = order[~np.isin(order, split.history(i))][:k]
        lists[i, : len(kept)] = kept
    return lists


def evaluate(
    model: nn.Module, prepared: Prepared, index: int, device: torch.device
) -> dict[str, Any]:
    """One \`evaluate\` block as a result of the run folder's results.json."""
    spec = EVALUATIONS[index]
    handed = prepared.manifest["evaluations"][index]
    split = prepared.split(spec["dataset"], handed["split"])
    num_items = prepared.num_items(spec["dataset"])
    metrics = spec["metrics"]
    uncut = any(m["k"] is None for m in metrics)
    k = num_items if uncut else min(num_items, max(m["k"] for m in metrics))
    exclude = spec["exclude_history"]
    model.eval()
    with torch.no_grad():
        if spec["candidates"]["type"] == "full":
            lists = rank_examples(model, split, np.arange(len(split)), k, exclude, device)
        else:
            candidates = prepared.array(handed["candidates"])
            lists, by_id, scores = rank_candidates(model, split, candidates, exclude, device)
    baselines = spec["baselines"] or ([{"type": "popularity"}] if spec["baseline"] else [])
    counts = prepared.train_counts(spec["dataset"])
    if spec["candidates"]["type"] == "full":
        # Item-kNN's lists come ranked from recspec prepare (handed["baselineLists"]).
        handed_lists = handed.get("baselineLists", {})
        baseline_lists = [
            prepared.array(handed_lists[str(i)])
            if b["type"] == "item_knn"
            else popularity_lists(counts, split, k, exclude)
            for i, b in enumerate(baselines)
        ]
    else:
        # Candidates by training count, ties by lower id, the padding id 0 last.
        popularity = np.where(by_id == 0, -np.inf, counts[by_id])
        order = np.argsort(-popularity, axis=1, kind="stable")
        baseline_lists = [np.take_along_axis(by_id, order, axis=1) for _ in baselines]
    slices = prepared.array(handed["slices"]).astype(bool)  # [S, n]
    resamples = max(1, spec["bootstrap"])
    rows = []
    for metric in metrics:
        if metric["metric"] == "auc":
            # From every candidate's score: the model's, and popularity's training counts.
            model_values = auc(by_id, scores, split.targets)
            baseline_values = [auc(by_id, popularity, split.targets) for _ in baselines]
        else:
            model_values = per_example(metric, lists, split.targets)
            baseline_values = [per_example(metric, b, split.targets) for b in baseline_lists]
        # Model - baseline per example: resampled with the same draws, its interval is paired.
        differences = [model_values - b for b in baseline_values]
        for name, members in zip(handed["sliceNames"], slices):
            values = [model_values, *baseline_values, *differences]
            columns = np.stack(values)[:, members]  # [V, n]
            n = columns.shape[1]
            bounds = None
            if n > 0 and spec["bootstrap"] > 0:
                bounds = bootstrap(columns, resamples, handed["seed"])

            def interval(v: int) -> dict[str, float | None]:
                if n == 0:
                    return {"value": None, "low": None, "high": None}
                low, high = (None, None) if bounds is None else map(float, bounds[v])
                return {"value": float(columns[v].mean()), "low": low, "high": high}

            listed = [{"name": b["type"], **interval(v + 1)} for v, b in enumerate(baselines)]
            row = {"metric": metric_name(metric), "slice": name, "n": n, **interval(0)}
            first = {key: listed[0][key] for key in ("value", "low", "high")} if listed else None
            row["baseline"] = first
            row["baselines"] = listed
            paired = [interval(1 + len(baselines) + v) for v in range(len(baselines))]
            row["differences"] = [
                {"name": b["type"], "mean": d["value"], "low": d["low"], "high": d["high"]}
                for b, d in zip(baselines, paired)
            ]
            rows.append(row)
    return {
        "model": spec["model"],
        "dataset": spec["dataset"],
        "split": handed["split"],
        "candidates": spec["candidates"]["type"],
        "protocol": handed["protocol"],
        "excludeHistory": exclude,
        "splitType": handed["splitType"],
        "examples": len(split),
        "baselineNames": [b["type"] for b in baselines],
        "rows": rows,
    }


def ranking_metric(
    model: nn.Module,
    split: Split,
    rows: np.ndarray,
    metric: str,
    exclude_history: bool,
    device: torch.device,
) -> float:
    """Mean of one ranking metric (\`ndcg@10\`) over the examples at \`rows\` (early stopping)."""
    kind, k = metric.split("@")
    lists = rank_examples(model, split, rows, int(k), exclude_history, device)
    values = per_example({"metric": kind, "k": int(k)}, lists, split.targets[rows])
    return float(values.mean()) if len(values) else math.nan


def validation_loss(
    model: nn.Module,
    prepared: Prepared,
    name: str,
    split: Split,
    rows: np.ndarray,
    batch: int,
    device: torch.device,
) -> float:
    """Mean held-out loss (eval mode) over the examples at \`rows\`, batch by batch."""
    total, weight = 0.0, 0
    for first in range(0, len(rows), batch):
        chunk = rows[first : first + batch]
        inputs = prepared.training_batch(name, split, chunk)
        loss_sum, count = model(*model.shard_inputs(inputs, 0, 1, device))
        # The batch's mean (over positions, or weighted over examples) counts once per example.
        total += float(loss_sum) / (float(count) if float(count) > 0 else 1.0) * len(chunk)
        weight += len(chunk)
    return total / weight if weight else math.nan


def table(result: dict[str, Any]) -> str:
    """The plain-text result table: metric, slice, n, model [low, high], baseline."""

    def cell(v: dict[str, Any] | None) -> str:
        if v is None or v["value"] is None:
            return "-"
        if v["low"] is None:
            return f"{v['value']:.4f}"
        return f"{v['value']:.4f} [{v['low']:.4f}, {v['high']:.4f}]"

    where = f"{result['model']} on {result['dataset']}.{result['split']}"
    lines = [f"{where}: {result['examples']} users, {result['protocol']}"]
    for row in result["rows"]:
        columns = f"{row['metric']:<10} {row['slice']:<8} {row['n']:>6}"
        lines.append(f"  {columns}  {cell(row):<26} {cell(row['baseline'])}")
    return "\\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the folder recspec prepare wrote")
    parser.add_argument("--run", required=True, help="the run folder train.py wrote")
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    prepared = Prepared(args.data)
    run = Path(args.run)
    record = RunRecord(run, "eval", False, device, 1)
    try:
        results = evaluate_all(prepared, run, device)
    except BaseException as error:
        record.end("failed", error)
        raise
    record.end("complete")


def evaluate_all(prepared: Prepared, run: Path, device: torch.device) -> list[dict[str, Any]]:
    """Every \`evaluate\` block of the spec, written to the run folder's results.json."""
    results = []
    for index, spec in enumerate(EVALUATIONS):
        name = spec["model"]
        model = MODELS[name].build(prepared, name)
        model.load_state_dict(torch.load(run / name / "model.pt", map_location=device))
        model.to(device)
        result = evaluate(model, prepared, index, device)
        print(table(result), flush=True)
        results.append(result)
    write_atomically(run / "results.json", json.dumps(results, indent=2) + "\\n")
    return results


if __name__ == "__main__":
    main()
`;
}
