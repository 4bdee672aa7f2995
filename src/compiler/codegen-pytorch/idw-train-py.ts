// The IDW part of train.py: for a two-tower model weighted by `idw(...)`, the phases of
// src/runtime/program/stages-idw.ts around idw.py's reweighting. Takes the plan; gives the `IDW`
// settings table and `train_idw_model` (empty text when no model uses IDW). The phases:
//   initial   — the block's prepared batches, early stopping on validation loss;
//   idw-k     — after reweighting k (none once max |Δw| < tolerance), the phase's prepared batches
//               with the same optimizer, early stopping on HR@K over the prepared tail validation
//               users, the best epoch kept;
//   calibrate — (calibrate: user_tower) natural weights, a fresh optimizer at lr/10 over the
//               `user_tower.*` parameters only, early stopping on validation loss.
// Each phase's updates and schedule restart at 1, as each TypeScript phase is its own trainModel;
// metrics.jsonl runs on across phases, with the IDW iterations' entries where each ended.
import type { PyPlan } from "./plan.js";
import { pyLiteralBlock, pyString } from "./python.js";

/** Whether a model of the plan trains by IDW phases. */
export function usesIdw(plan: PyPlan): boolean {
  return plan.models.some((m) => m.family === "two_tower" && m.weighting === "idw");
}

/** The `IDW` table and `train_idw_model` of train.py. */
export function idwTrainingPy(plan: PyPlan): string {
  const rows = plan.models.flatMap((m) =>
    m.family === "two_tower" && m.idw !== null ? [`    ${pyString(m.name)}: ${pyLiteralBlock(m.idw as never, 4, pyString(m.name).length + 2)},`] : [],
  );
  if (rows.length === 0) return "";
  return `

# The models weighted by \`idw(...)\`: their settings, every default explicit.
IDW: dict[str, dict[str, Any]] = {
${rows.join("\n")}
}


def train_idw_model(
    name: str, prepared: Prepared, run: Path, procs: Processes, args: argparse.Namespace
) -> None:
    """Trains \`name\` by IDW's phases (the TypeScript program's stages-idw.ts)."""
    if args.resume or args.init_from or args.max_steps is not None:
        raise SystemExit(f"{name}: --resume, --init-from and --max-steps are not covered with IDW")
    settings = TRAINING[name]
    idw = IDW[name]
    spec = prepared.model(name)
    handed = spec["twoTower"]["idw"]
    model = MODELS[name].build(prepared, name)
    load_recspec_weights(model, prepared.initial_weights(name))
    model.to(procs.device)
    torch.manual_seed(settings["seed"] * 1000 + procs.rank)
    wrapped: nn.Module = DistributedDataParallel(model) if procs.world > 1 else model
    examples = prepared.training_examples(name)
    counts = np.bincount(examples.targets, minlength=model.num_items + 1)
    folder = run / name
    log = MetricsLog(folder / "metrics.jsonl", None) if procs.main else None
    split = prepared.split(spec["dataset"], "validation")
    early_stop = settings["early_stop"]
    metric = f"hr@{early_stop['k'] if early_stop is not None and early_stop['k'] else 10}"
    tail = prepared.array(handed["tailValidationSubset"])
    # Steps and epochs logged so far: each phase's entries run on from the last one's.
    done = {"step": 0, "epoch": 0}

    def record(step: int, epoch: int, split_name: str, label: str, value: float) -> None:
        if log is not None:
            log.append(done["step"] + step, done["epoch"] + epoch, split_name, label, value)

    def hit_rate(rows: np.ndarray) -> float:
        model.eval()
        with torch.no_grad():
            value = ranking_metric(model, split, rows, metric, EXCLUDE_HISTORY[name], procs.device)
        model.train()
        return value

    def loss_on_validation() -> float:
        model.eval()
        with torch.no_grad():
            subset = prepared.validation_subset(name)
            batch = settings["batch"]
            value = validation_loss(model, prepared, name, split, subset, batch, procs.device)
        model.train()
        return value

    def train_phase(
        phase: str,
        batches: Any,
        epochs: int,
        optimizer: torch.optim.Optimizer,
        phase_settings: dict[str, Any],
        label: str,
        validate_phase: Any,
        higher_is_better: bool,
    ) -> None:
        """Up to \`epochs\` epochs of batches(epoch), early stopping on validate_phase(), the best
        epoch's weights kept."""
        total_steps = epochs * len(batches(0))
        step, trained, bad = 0, 0, 0
        best: float | None = None
        best_weights: dict[str, torch.Tensor] | None = None
        model.train()
        for epoch in range(epochs):
            losses = []
            for rows in batches(epoch):
                batch = prepared.training_batch(name, examples, rows, step + 1)
                count = model.loss_weight(batch)
                lr = learning_rate(phase_settings, step + 1, total_steps)
                for group in optimizer.param_groups:
                    group["lr"] = lr
                optimizer.zero_grad()
                inputs = model.shard_inputs(batch, procs.rank, procs.world, procs.device)
                loss_sum, _ = wrapped(*inputs)
                denominator = count if count > 0 else 1
                (loss_sum * procs.world / denominator).backward()
                if phase_settings["clip"] > 0:
                    trainable = [p for p in model.parameters() if p.requires_grad]
                    nn.utils.clip_grad_norm_(trainable, phase_settings["clip"])
                optimizer.step()
                loss = float(procs.total(loss_sum.detach())) / denominator
                losses.append(loss)
                step += 1
                record(step, epoch, "train", "loss", loss)
                record(step, epoch, "train", "lr", lr)
            record(step, epoch, "train", "epoch_loss", sum(losses) / len(losses))
            value = validate_phase()
            record(step, epoch, "val", label, value)
            trained = epoch + 1
            sign = 1 if higher_is_better else -1
            if math.isfinite(value) and (best is None or sign * (value - best) > 0):
                best, bad = value, 0
                best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                bad += 1
            if procs.main:
                print(f"{name}: {phase} epoch {epoch + 1}: {label} {value:.4f}", flush=True)
            if bad >= phase_settings["patience"]:
                break
        if best_weights is not None:
            model.load_state_dict(best_weights)
        done["step"] += step
        done["epoch"] += trained
        if procs.main:
            print(f"{name}: phase {phase}: {trained} epochs, {step} steps", flush=True)

    def prepared_batches(phase: dict[str, Any]) -> Any:
        order = prepared.array(phase["batchOrder"])
        offsets = prepared.array(phase["batchOffsets"])
        return lambda epoch: [
            order[epoch][offsets[epoch][b] : offsets[epoch][b + 1]]
            for b in range(len(offsets[epoch]) - 1)
        ]

    def log_iteration(iteration: int, max_delta: float | None) -> None:
        at = (max(0, done["step"]), max(0, done["epoch"] - 1))
        if log is not None:
            if max_delta is not None:
                log.append(*at, "val", "idw_max_delta_w", max_delta)
            log.append(*at, "val", f"idw_val_{metric}", hit_rate(prepared.validation_subset(name)))
            log.append(*at, "val", f"idw_val_{metric}_tail", hit_rate(tail))

    phases = {phase["name"]: phase for phase in handed["phases"]}
    optimizer = make_optimizer(settings, model)

    def block_batches(epoch: int) -> list[np.ndarray]:
        return prepared.batches(name, epoch)

    train_phase("initial", block_batches, settings["epochs"], optimizer, settings,
                "val_loss", loss_on_validation, higher_is_better=False)
    log_iteration(0, None)

    uniforms = prepared.array(handed["uniforms"])
    normals = prepared.array(handed["normals"])
    weights = initial_item_weights(counts)
    for k in range(1, idw["iterations"] + 1):
        with torch.no_grad():
            vectors = model.item_vectors().float().cpu().numpy()
        weights, max_delta, _ = reweight(
            vectors, weights, uniforms[k - 1], normals[k - 1], idw["noise"], idw["momentum"]
        )
        converged = max_delta < idw["tolerance"]
        if procs.main:
            state = " (converged)" if converged else ""
            print(f"{name}: IDW iteration {k}: max|dw| {max_delta:.2e}{state}", flush=True)
        if not converged:
            model.set_item_weights(per_example_weights(weights, counts))
            phase = phases[f"idw-{k}"]
            label = f"val_{metric}_tail"
            train_phase(phase["name"], prepared_batches(phase), phase["epochs"], optimizer,
                        settings, label, lambda: hit_rate(tail), higher_is_better=True)
        log_iteration(k, max_delta)
        if converged:
            break

    if idw["calibrate"] == "user_tower":
        # Natural weights; only the user tower trains, under a fresh optimizer at lr/10.
        model.set_item_weights(None)
        for key, parameter in model.named_parameters():
            parameter.requires_grad_(key.startswith("user_tower."))
        calibration = {**settings, "optimizer": {**settings["optimizer"]}}
        calibration["optimizer"]["lr"] = settings["optimizer"]["lr"] / 10
        user_tower = nn.Module()
        user_tower.params = nn.ParameterList(p for p in model.parameters() if p.requires_grad)
        phase = phases["calibrate"]
        train_phase("calibrate", prepared_batches(phase), phase["epochs"],
                    make_optimizer(calibration, user_tower), calibration,
                    "val_loss", loss_on_validation, higher_is_better=False)
        for parameter in model.parameters():
            parameter.requires_grad_(True)
    if procs.main:
        save_atomically(model.state_dict(), folder / "model.pt")
        print(f"{name}: {done['step']} steps, {done['epoch']} epochs", flush=True)
`;
}
