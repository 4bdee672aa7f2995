// The compiler host of the command line: reads spec files from disk, relative to the current directory.
import { readFileSync } from "node:fs";
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
