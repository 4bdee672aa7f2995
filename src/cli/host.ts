// The compiler hosts of the command line: read spec files from disk, relative to the current
// directory. `checkingHost` (for `recspec check`) also answers whether data files exist, so data
// paths are checked; run and compile leave that to the run, which looks from where it runs.
import { existsSync, readFileSync } from "node:fs";
import type { CompilerHost } from "../compiler/check/program.js";

export const diskHost: CompilerHost = {
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

export const checkingHost: CompilerHost = { ...diskHost, fileExists: existsSync };
