// Where a data path in a spec points: relative to the spec file first, then to the working folder,
// then to the recspec package itself (its bundled data, e.g. data/amazon-beauty), so a spec written
// anywhere can use the built-in default data. Absolute paths are taken as they are.
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DataFileError } from "../data/data-error.js";

/** The folder of the installed recspec package (two levels above src/runtime/program). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export function resolveDataPath(path: string, specDir: string, cwd = process.cwd()): string {
  if (isAbsolute(path)) return path;
  const candidates = [resolve(specDir, path), resolve(cwd, path), join(PACKAGE_ROOT, path)];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  throw new DataFileError(path, `not found; looked in ${[...new Set(candidates)].join(", ")}`);
}
