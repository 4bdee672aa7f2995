// Finds a python3 that imports torch, for the PyTorch target's tests. Takes nothing; gives its path,
// or undefined with the reason printed once, so those tests skip (and say why) where torch is not
// installed. python3 on PATH first, then Debian's (python3-torch installs there, not into pyenv).
import { spawnSync } from "node:child_process";

let found: string | null | undefined;

export function torchPython(): string | undefined {
  if (found === undefined) {
    found = null;
    for (const python of [process.env.RECSPEC_PYTHON, "python3", "/usr/bin/python3"]) {
      if (python === undefined) continue;
      if (spawnSync(python, ["-c", "import torch, numpy"], { encoding: "utf8" }).status === 0) {
        found = python;
        break;
      }
    }
    if (found === null)
      console.log("skipping the PyTorch target's tests: no python3 that imports torch and numpy (apt-get install python3-torch python3-numpy)");
  }
  return found ?? undefined;
}
