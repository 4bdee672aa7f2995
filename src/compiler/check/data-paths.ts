// Data paths that point nowhere: a data constructor's path or folder argument (`amazon("data/x")`,
// `interactions("events.csv")`, `vectors("v.jsonl")`) looked up where the run will look
// (src/ir/data-path-candidates.ts) and reported at the string when found in none. Only a host on a
// real file system can answer (CompilerHost.fileExists); without one (editors, in-memory checks)
// nothing is checked. Takes the checked blocks, the program and the value checker; gives diagnostics.
import { dirname, isAbsolute, relative } from "node:path";
import { dataPathCandidates } from "../../ir/data-path-candidates.js";
import type { CheckedBlock } from "./blocks.js";
import type { Program } from "./program.js";
import type { ValueChecker } from "./values.js";

/** The attributes that name a file or folder to read, in the blocks that read data. */
const PATH_ATTRIBUTES = ["path", "dir"] as const;

export function checkDataPaths(blocks: Iterable<CheckedBlock>, program: Program, vc: ValueChecker, cwd = process.cwd()): void {
  const exists = program.host?.fileExists?.bind(program.host);
  if (!exists) return;
  for (const block of blocks) {
    if (block.kind !== "dataset" && block.kind !== "features") continue;
    for (const name of PATH_ATTRIBUTES) {
      const path = block.attributes[name];
      if (typeof path !== "string" || !block.signature.attributes.some((a) => a.name === name && a.type.kind === "string")) continue;
      const candidates = dataPathCandidates(path, dirname(block.file), cwd);
      if (candidates.some((c) => exists(c))) continue;
      vc.report(
        "RS5004",
        block.file,
        block.spans.get(name) ?? block.node.constructorName.span,
        { path },
        {
          label: name === "dir" ? "no such folder" : "no such file",
          help: `looked for ${candidates.map((c) => shown(c, cwd)).join(", ")}: a data path is relative to the spec's folder, then to the working folder, then to the recspec package`,
        },
      );
    }
  }
}

/** A path under the working folder as relative to it (stable in goldens and short on screen). */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
