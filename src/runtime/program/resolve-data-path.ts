// Where a data path in a spec points at run time: the first of dataPathCandidates (src/ir) that
// exists — beside the spec file first, so a file next to the spec always wins over one elsewhere;
// then the working folder; then the recspec package's bundled data (e.g. data/amazon-beauty). The
// checker's RS5004 looks the path up by the same rule, so `check` and `run` agree. Gives the path,
// or a DataFileError (RS6002) naming, with control characters escaped, where it looked.
import { existsSync } from "node:fs";
import { dataPathCandidates, PACKAGE_ROOT } from "../../ir/data-path-candidates.js";
import { DataFileError } from "../data/data-error.js";
import { printable } from "../data/printable.js";

export { PACKAGE_ROOT };

export function resolveDataPath(path: string, specDir: string, cwd = process.cwd()): string {
  const candidates = dataPathCandidates(path, specDir, cwd);
  const found = candidates.find((c) => existsSync(c));
  if (found !== undefined) return found;
  if (candidates.length === 1) return path;
  throw new DataFileError(path, `not found; looked in ${candidates.map(printable).join(", ")}`, "a data path is relative to the spec file's folder");
}
