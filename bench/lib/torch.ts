// --compare-torch: runs bench/torch/train_cases.py (the same training cases in PyTorch, 2 threads)
// when a python3 with torch is available, and gives its results in the suite's format; otherwise
// gives why it was skipped.
import { spawnSync } from "node:child_process";
import type { BenchResult } from "./measure.js";

/** python3 on PATH first, then Debian's (python3-torch installs there, not into pyenv). */
function findPython(): string | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (spawnSync(python, ["-c", "import torch"], { encoding: "utf8" }).status === 0) return python;
  }
  return undefined;
}

export function runTorch(quick: boolean): BenchResult[] | string {
  const python = findPython();
  if (python === undefined) return "no python3 with torch (try: apt-get install python3-torch)";
  const r = spawnSync(python, ["bench/torch/train_cases.py", ...(quick ? ["--quick"] : [])], {
    encoding: "utf8",
    timeout: 900_000,
    env: { ...process.env, OMP_NUM_THREADS: "2" },
  });
  if (r.status !== 0) return `torch script failed: ${r.stderr.split("\n").slice(-3).join(" ")}`;
  return JSON.parse(r.stdout.split("\n").filter((l) => l.startsWith("[")).at(-1) ?? "[]") as BenchResult[];
}
