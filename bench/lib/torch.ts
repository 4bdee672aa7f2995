// --compare-torch: runs bench/torch/train_cases.py (the same training cases in PyTorch, 2 threads)
// when a python3 with torch is available, and gives its results in the suite's format; otherwise
// gives why it was skipped.
//
// glibc's malloc is told to keep freed memory (no mmap per large block, no trimming): by default
// every tensor above 128 KiB is mapped fresh and unmapped on free, so each op pays page faults,
// and faults are slow on this machine (about 10 µs each). Measured on the SID-ranking step: 220 ms
// per step by default (490k faults in 25 steps), 57 ms with memory kept (110k). The tfjs wasm heap
// keeps its memory anyway, so this compares against the best PyTorch does here.
import { spawnSync } from "node:child_process";
import type { BenchResult } from "./measure.js";

/** python3 on PATH first, then Debian's (python3-torch installs there, not into pyenv). */
function findPython(): string | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (spawnSync(python, ["-c", "import torch"], { encoding: "utf8" }).status === 0) return python;
  }
  return undefined;
}

/** 4 GiB: larger than any block the cases allocate, so malloc never maps or trims. */
const KEEP = String(2 ** 32);

/** The environment PyTorch runs in for every comparison: 2 threads, freed memory kept. */
export function torchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OMP_NUM_THREADS: "2", MALLOC_MMAP_THRESHOLD_: KEEP, MALLOC_TRIM_THRESHOLD_: KEEP };
}

export function runTorch(quick: boolean): BenchResult[] | string {
  const python = findPython();
  if (python === undefined) return "no python3 with torch (try: apt-get install python3-torch)";
  const r = spawnSync(python, ["bench/torch/train_cases.py", ...(quick ? ["--quick"] : [])], {
    encoding: "utf8",
    timeout: 900_000,
    env: torchEnv(),
  });
  if (r.status !== 0) return `torch script failed: ${r.stderr.split("\n").slice(-3).join(" ")}`;
  return JSON.parse(
    r.stdout
      .split("\n")
      .filter((l) => l.startsWith("["))
      .at(-1) ?? "[]",
  ) as BenchResult[];
}
