// Where a data path written in a spec may point, in the order it is looked up: beside the spec file,
// then in the working folder, then in the recspec package (its bundled data, e.g.
// data/amazon-beauty). Absolute paths are only themselves. Shared by the checker (which reports a
// path found nowhere) and the runtime (which opens the first that exists). Takes the path and the
// two folders; gives the candidate paths.
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of the installed recspec package (two levels above src/ir). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function dataPathCandidates(path: string, specDir: string, cwd: string): string[] {
  if (isAbsolute(path)) return [path];
  return [...new Set([resolve(specDir, path), resolve(cwd, path), join(PACKAGE_ROOT, path)])];
}
