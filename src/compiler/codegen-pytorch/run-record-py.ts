// run_record.py of the PyTorch package: the run record (run.json) train.py and evaluate.py keep in
// the run folder, in the format the TypeScript runs write (src/runtime/runs/manifest.ts), so
// `recspec runs`, `compare` and `report` take a PyTorch run as a run like any other. The record
// names the target (`pytorch`), the device, torch's version, the number of processes and the
// command line; the IR the package was generated from is the package's ir.json, copied into the
// run folder beside run.json, and its hash is fixed here when the package is generated. Written
// atomically (a temporary file renamed over run.json) when an attempt starts and when it ends.
// Takes the plan and what the compile command knows (the spec file, the --set overrides); gives
// the file's text, and ir.json's.
import { irHash, recordedIr, trainSeeds } from "../../runtime/runs/manifest.js";
import { VERSION } from "../../version.js";
import type { PyPlan } from "./plan.js";
import { pyLiteral, pyLiteralBlock, pyString } from "./python.js";

/** What the package records about where it came from, beyond the IR. */
export interface PackageOrigin {
  /** The spec file's absolute path (runs of the same spec file are compared as such). */
  readonly specFile?: string;
  /** The --set overrides the package was compiled with. */
  readonly overrides?: readonly string[];
}

/** ir.json of the package: the IR as a run records it (runs/manifest.ts recordedIr). */
export function irJson(plan: PyPlan): string {
  return `${JSON.stringify(recordedIr(plan.ir), null, 2)}\n`;
}

export function runRecordPy(plan: PyPlan, banner: string, origin: PackageOrigin = {}): string {
  const seeds = trainSeeds(plan.ir as never);
  return `${banner}
from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import torch

SPEC = ${pyString(plan.ir.spec)}
# sha256 of ir.json's IR, as recspec hashes it, and the recspec that generated this package.
IR_HASH = ${pyString(irHash(plan.ir))}
RECSPEC_VERSION = ${pyString(VERSION)}
SPEC_FILE: str | None = ${origin.specFile === undefined ? "None" : pyString(origin.specFile)}
OVERRIDES: list[str] = ${pyLiteralBlock([...(origin.overrides ?? [])], 0, 21, "")}
SEEDS: dict[str, int] = ${pyLiteral(seeds)}
PACKAGE = Path(__file__).resolve().parent
RUN_FILE = "run.json"
IR_FILE = "ir.json"


def now() -> str:
    """The time as recspec writes it: UTC, milliseconds, \`Z\`."""
    t = datetime.now(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def describe_device(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type


def command_line() -> str:
    """How this process was started: torchrun with its process counts, or python."""
    local = os.environ.get("LOCAL_WORLD_SIZE")
    if local is None:
        return shlex.join([Path(sys.executable).name, *sys.argv])
    # torchrun's other options (rendezvous, ports) are not visible from here.
    nodes = int(os.environ.get("WORLD_SIZE", local)) // int(local)
    return shlex.join(["torchrun", f"--nnodes={nodes}", f"--nproc_per_node={local}", *sys.argv])


def write_atomically(path: Path, text: str) -> None:
    """Writes \`text\` to a temporary file beside \`path\` and renames it over \`path\`."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with partial.open("w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_record(run: Path) -> dict[str, Any] | None:
    """The run's record when it has a valid one (as recspec checks it), else None."""
    try:
        record = json.loads((run / RUN_FILE).read_text())
    except (OSError, ValueError):
        return None
    valid = record.get("format") == "recspec-run" and isinstance(record.get("attempts"), list)
    return record if valid else None


class RunRecord:
    """The run.json of one run folder, with this process's attempt at its end."""

    def __init__(self, run: Path, stage: str, resume: bool, device: torch.device, processes: int):
        self.run = run
        run.mkdir(parents=True, exist_ok=True)
        started = now()
        self.attempt: dict[str, Any] = {
            "stage": stage,
            "resume": resume,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "backend": "pytorch",
            "startedAt": started,
            "endedAt": None,
            "status": "running",
        }
        existing = read_record(run)
        if existing is None:
            # A fresh run: the configuration it trains with is the package's.
            shutil.copyfile(PACKAGE / IR_FILE, run / IR_FILE)
            spec_text = None
            if SPEC_FILE is not None and Path(SPEC_FILE).is_file():
                spec_text = Path(SPEC_FILE).read_text()
            existing = {
                "format": "recspec-run",
                "version": 1,
                "id": run.name,
                "spec": SPEC,
                "specFile": SPEC_FILE,
                "specText": spec_text,
                "irHash": IR_HASH,
                "overrides": OVERRIDES,
                "recspec": RECSPEC_VERSION,
                "backend": "pytorch",
                "matmul": describe_device(device),
                "seeds": SEEDS,
                "stage": stage,
                "status": "running",
                "startedAt": started,
                "endedAt": None,
                "attempts": [],
                "target": "pytorch",
                "device": describe_device(device),
                "torch": torch.__version__,
                "processes": processes,
                "command": command_line(),
            }
        elif stage != "eval":
            existing.update(status="running", endedAt=None)
        self.record = existing
        self.record["attempts"].append(self.attempt)
        self.write()

    def write(self) -> None:
        write_atomically(self.run / RUN_FILE, json.dumps(self.record, indent=2) + "\\n")

    def end(self, status: str, error: BaseException | None = None) -> None:
        """Records how this attempt ended; training's end is the run's."""
        self.attempt.update(status=status, endedAt=now())
        if error is not None:
            message = "".join(traceback.format_exception_only(type(error), error)).strip()
            self.attempt["error"] = {"message": message}
        if self.attempt["stage"] != "eval":
            self.record.update(status=status, endedAt=self.attempt["endedAt"])
        self.write()
`;
}
