// train.py of the PyTorch package: trains each model on the prepared batches with the spec's
// optimizer, schedule, clipping, epochs or steps and early stopping, single-process or under
// torchrun with DistributedDataParallel (gloo on CPU, nccl on GPU). Every rank takes its share of
// each global batch (rows rank, rank + world, …; the model's shard_inputs says what it reads of the
// rest, e.g. an in-batch softmax's candidates) and scales its summed loss by world / (the global
// batch's loss_weight: target positions, examples or their total weight), so DDP's gradient average
// is the gradient of the global batch's mean loss: the same update as one process on the whole batch.
// Models that weigh batches by their targets (src/ir/weighs-batches-by-targets.ts) divide by the
// epoch's mean loss_weight per batch instead, as the TypeScript program does. Checkpoints every N steps and at
// exit (rank 0, atomically), `--resume`, and the run folder's metrics.jsonl. Takes the plan; gives
// the file's text.
import { weighsBatchesByTargets } from "../../ir/weighs-batches-by-targets.js";
import { idwTrainingPy, usesIdw } from "./idw-train-py.js";
import type { PyPlan } from "./plan.js";
import { pyLiteralBlock, pyString } from "./python.js";

export function trainPy(plan: PyPlan, banner: string): string {
  const training = plan.models.map((m) => `    ${pyString(m.name)}: ${pyLiteralBlock(m.train as never, 4, pyString(m.name).length + 2)},`).join("\n");
  const classes = plan.models.map((m) => `    ${pyString(m.name)}: ${m.cls},`).join("\n");
  const exclude = plan.models
    .map((m) => `    ${pyString(m.name)}: ${plan.evaluations.some((e) => e.model === m.name && e.exclude_history) ? "True" : "False"},`)
    .join("\n");
  const weigh = plan.models
    .map((m) => `    ${pyString(m.name)}: ${plan.ir.blocks.some((b) => b.name === m.name && weighsBatchesByTargets(b)) ? "True" : "False"},`)
    .join("\n");
  return `${banner}
from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from data import SPEC, Prepared, load_recspec_weights
${usesIdw(plan) ? "from idw import initial_item_weights, per_example_weights, reweight\n" : ""}from evaluate import ranking_metric, validation_loss
from model import ${plan.models.map((m) => m.cls).join(", ")}
from run_record import RunRecord
from trained_weights import read_trained_weights, weights_folder

# How each model trains: its \`train { ... }\` settings, every default explicit.
TRAINING: dict[str, dict[str, Any]] = {
${training}
}
MODELS: dict[str, type[nn.Module]] = {
${classes}
}
# Whether early stopping leaves each user's history out of the ranking (as the evaluation does).
EXCLUDE_HISTORY: dict[str, bool] = {
${exclude}
}
# Whether a batch's update counts by its share of the epoch's target positions (length-bucketed
# batches hold very different numbers of them) rather than equally.
WEIGH_BATCHES: dict[str, bool] = {
${weigh}
}


class Processes:
    """This process's place in a torchrun job (one process without torchrun)."""

    def __init__(self) -> None:
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if torch.cuda.is_available():
            self.device = torch.device("cuda", local)
            torch.cuda.set_device(self.device)
        else:
            self.device = torch.device("cpu")
        if self.world > 1:
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")

    @property
    def main(self) -> bool:
        return self.rank == 0

    def total(self, value: torch.Tensor) -> torch.Tensor:
        """The sum of \`value\` over every process."""
        if self.world > 1:
            value = value.clone()
            dist.all_reduce(value)
        return value

    def barrier(self) -> None:
        if self.world > 1:
            dist.barrier()


def learning_rate(settings: dict[str, Any], step: int, total_steps: int) -> float:
    """The rate of 1-based update \`step\` (train/schedules.ts)."""
    lr = settings["optimizer"]["lr"]
    schedule = settings["schedule"]
    s = max(step, 1)
    if schedule["type"] == "inverse_sqrt":
        warmup = schedule["warmup"]
        return lr * min(s / warmup, math.sqrt(warmup / s))
    if schedule["type"] == "cosine":
        warmup = schedule["warmup"]
        total = max(total_steps, warmup + 1)
        final = schedule["final"] * lr
        if warmup > 0 and s <= warmup:
            return lr * s / warmup
        progress = min(1.0, (s - warmup) / (total - warmup))
        return final + (lr - final) * (1 + math.cos(math.pi * progress)) / 2
    return lr


def make_optimizer(settings: dict[str, Any], model: nn.Module) -> torch.optim.Optimizer:
    o = settings["optimizer"]
    if o["type"] == "adam":
        betas = (o["beta1"], o["beta2"])
        return torch.optim.Adam(model.parameters(), lr=o["lr"], betas=betas, eps=o["eps"])
    if o["type"] == "adamw":
        return torch.optim.AdamW(
            model.parameters(),
            lr=o["lr"],
            betas=(o["beta1"], o["beta2"]),
            eps=o["eps"],
            weight_decay=o["weight_decay"],
        )
    return torch.optim.SGD(model.parameters(), lr=o["lr"], momentum=o["momentum"])


class MetricsLog:
    """One model's metrics.jsonl: one JSON object per line, as the TypeScript trainer writes."""

    def __init__(self, path: Path, resumed_step: int | None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if resumed_step is not None and path.exists():
            # Rows after the checkpoint are replayed, so they are cut, not logged twice.
            lines = path.read_text().splitlines()
            kept = [line for line in lines if json.loads(line)["step"] <= resumed_step]
            path.write_text("".join(f"{line}\\n" for line in kept))
        self.file = path.open("a")

    def append(self, step: int, epoch: int, split: str, name: str, value: float) -> None:
        # A non-finite value is null, as recspec writes it (JSON has no NaN).
        finite = value if math.isfinite(value) else None
        row = {"step": step, "epoch": epoch, "split": split, "name": name, "value": finite}
        self.file.write(json.dumps({**row, "time": int(time.time() * 1000)}) + "\\n")
        self.file.flush()


def save_atomically(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    torch.save(obj, partial)
    os.replace(partial, path)


def latest_checkpoint(folder: Path) -> Path | None:
    found = sorted(folder.glob("ckpt-*.pt"), key=lambda p: int(p.stem.split("-")[1]))
    return found[-1] if found else None


def train_model(
    name: str, prepared: Prepared, run: Path, procs: Processes, args: argparse.Namespace
) -> None:
    settings = TRAINING[name]
    spec = prepared.model(name)
    model = MODELS[name].build(prepared, name)
    # The TypeScript program's initial weights, from the same seed.
    load_recspec_weights(model, prepared.initial_weights(name))
    trained = weights_folder(args.init_from, name, list(MODELS)) if args.init_from else None
    if trained is not None:
        # Weights a TypeScript run trained, to fine-tune or evaluate here (--init-from).
        load_recspec_weights(model, read_trained_weights(trained))
        if procs.main:
            print(f"{name}: weights from {trained}", flush=True)
    model.to(procs.device)
    if hasattr(model, "attach_trained_teacher"):
        # A distilled student reads its teacher, trained before it in this run folder.
        model.attach_trained_teacher(run, procs.device)
    # Dropout masks are torch's own: seeded per rank, they cannot match the TypeScript ones.
    torch.manual_seed(settings["seed"] * 1000 + procs.rank)
    wrapped: nn.Module = DistributedDataParallel(model) if procs.world > 1 else model
    optimizer = make_optimizer(settings, model)
    # What an epoch iterates: the training split, or the model's own examples (two-tower pairs).
    examples = prepared.training_examples(name)
    per_epoch = spec["stepsPerEpoch"]
    epochs = settings["epochs"]
    total_steps = settings["steps"] if settings["steps"] is not None else epochs * per_epoch
    # --max-steps stops early without changing the schedule, which runs over total_steps.
    last_step = total_steps if args.max_steps is None else min(total_steps, args.max_steps)
    checkpoint_every = args.checkpoint_every or settings["checkpoint_every"]
    folder = run / name
    checkpoints = folder / "checkpoints"

    # Where training is (updates done, epoch, batches done in it) and early stopping's record.
    state: dict[str, Any] = {"step": 0, "epoch": 0, "batch": 0}
    state.update(best=None, best_epoch=None, bad=0)
    best_weights: dict[str, torch.Tensor] | None = None
    resumed = latest_checkpoint(checkpoints) if args.resume else None
    if resumed is not None:
        saved = torch.load(resumed, map_location=procs.device)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        best_weights = saved["best_weights"]
        torch.set_rng_state(saved["rng"])
        if procs.main:
            print(f"{name}: resumed from {resumed}: step {state['step']}", flush=True)
    log = None
    if procs.main:
        log = MetricsLog(folder / "metrics.jsonl", state["step"] if resumed is not None else None)

    def checkpoint() -> None:
        if procs.main:
            payload = {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "state": state,
                "best_weights": best_weights,
                # Dropout's generator, so a resumed run draws the masks it would have drawn.
                "rng": torch.get_rng_state(),
            }
            save_atomically(payload, checkpoints / f"ckpt-{state['step']}.pt")
        procs.barrier()

    early_stop = settings["early_stop"]
    done = state["step"] >= last_step
    while not done and (epochs is None or state["epoch"] < epochs):
        epoch = state["epoch"]
        batches = prepared.batches(name, epoch)
        epoch_loss = []
        model.train()
        for b in range(state["batch"], len(batches)):
            batch = prepared.training_batch(name, examples, batches[b], state["step"] + 1)
            # The loss's denominator is the global batch's: every rank divides by the same count.
            count = model.loss_weight(batch)
            lr = learning_rate(settings, state["step"] + 1, total_steps)
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.zero_grad()
            # This rank's share of the batch, as the model's forward takes it.
            inputs = model.shard_inputs(batch, procs.rank, procs.world, procs.device)
            loss_sum, _ = wrapped(*inputs)
            denominator = count if count > 0 else 1
            weighed = WEIGH_BATCHES[name] and spec["meanLossWeight"] > 0
            update_denominator = spec["meanLossWeight"] if weighed else denominator
            (loss_sum * procs.world / update_denominator).backward()
            if settings["clip"] > 0:
                nn.utils.clip_grad_norm_(model.parameters(), settings["clip"])
            optimizer.step()
            loss = float(procs.total(loss_sum.detach())) / denominator
            epoch_loss.append(loss)
            state["step"] += 1
            state["batch"] = b + 1
            if log is not None:
                log.append(state["step"], epoch, "train", "loss", loss)
                log.append(state["step"], epoch, "train", "lr", lr)
            if state["step"] % checkpoint_every == 0:
                checkpoint()
            if state["step"] >= last_step:
                done = True
                break
        if state["batch"] < len(batches):
            break
        if log is not None and epoch_loss:
            mean = sum(epoch_loss) / len(epoch_loss)
            log.append(state["step"], epoch, "train", "epoch_loss", mean)
        if early_stop is not None:
            metric = validate(model, prepared, name, early_stop, procs)
            label = "val_loss"
            if early_stop["metric"] != "loss":
                label = f"val_{early_stop['metric']}@{early_stop['k']}"
            if log is not None:
                log.append(state["step"], epoch, "val", label, metric)
            better = -1 if early_stop["metric"] == "loss" else 1
            improved = state["best"] is None or better * (metric - state["best"]) > 0
            if math.isfinite(metric) and improved:
                state.update(best=metric, best_epoch=epoch, bad=0)
                best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                state["bad"] += 1
            if procs.main:
                print(f"{name}: epoch {epoch + 1}: {label} {metric:.4f}", flush=True)
            if state["bad"] >= settings["patience"]:
                done = True
        state.update(epoch=epoch + 1, batch=0)
    checkpoint()
    if best_weights is not None:
        model.load_state_dict(best_weights)
    if procs.main:
        save_atomically(model.state_dict(), folder / "model.pt")
        print(f"{name}: {state['step']} steps, {state['epoch']} epochs", flush=True)
${idwTrainingPy(plan)}

def validate(
    model: nn.Module,
    prepared: Prepared,
    name: str,
    early_stop: dict[str, Any],
    procs: Processes,
) -> float:
    """Early stopping's signal on the prepared validation subset (every rank computes it alike)."""
    dataset = prepared.model(name)["dataset"]
    split = prepared.split(dataset, "validation")
    subset = prepared.validation_subset(name)
    model.eval()
    with torch.no_grad():
        if early_stop["metric"] == "loss":
            batch = TRAINING[name]["batch"]
            value = validation_loss(model, prepared, name, split, subset, batch, procs.device)
        else:
            metric = f"{early_stop['metric']}@{early_stop['k']}"
            exclude = EXCLUDE_HISTORY[name]
            value = ranking_metric(model, split, subset, metric, exclude, procs.device)
    model.train()
    return value


def default_run(procs: Processes) -> Path:
    """runs/SPEC/<start time>, named as recspec names run folders, so \`recspec runs\` lists it."""
    stamp = [time.strftime("%Y-%m-%dT%H-%M-%SZ", time.gmtime())]
    if procs.world > 1:
        # Ranks start at slightly different times: rank 0's name is everyone's.
        dist.broadcast_object_list(stamp, src=0)
    return Path("runs") / SPEC / stamp[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the folder recspec prepare wrote")
    parser.add_argument("--run", help="the run folder (default runs/SPEC/<UTC start time>)")
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    parser.add_argument("--max-steps", type=int, help="stop each model after this many updates")
    parser.add_argument("--checkpoint-every", type=int, help="steps between checkpoints")
    parser.add_argument("--init-from", help="a TypeScript run (or RUN/MODEL) to start from")
    args = parser.parse_args()
    if args.init_from and not any(weights_folder(args.init_from, n, list(MODELS)) for n in MODELS):
        names = ", ".join(MODELS)
        parser.error(f"--init-from {args.init_from}: no trained weights of {names} there")
    procs = Processes()
    prepared = Prepared(args.data)
    run = Path(args.run) if args.run else default_run(procs)
    record = None
    if procs.main:
        print(f"run folder: {run}", flush=True)
        # run.json, so recspec runs, compare and report take this run as one of theirs.
        record = RunRecord(run, "train", args.resume, procs.device, procs.world)
    try:
        for name in MODELS:
            ${usesIdw(plan) ? "(train_idw_model if name in IDW else train_model)" : "train_model"}(name, prepared, run, procs, args)
    except BaseException as error:
        if record is not None:
            record.end("failed", error)
        raise
    if record is not None:
        record.end("complete")
    if procs.world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}
