// The spec folder of a compiled program, for resolving its data paths: takes the program's folder
// (where index.ts and ir.json are) and gives the folder of the spec it was compiled from — ir.json's
// `source`, as given to the compiler, so relative to the working folder — or, when that spec is not
// there (the program was moved or is run from elsewhere), the program's own folder.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export function programSpecDir(programDir: string, cwd = process.cwd()): string {
  const source = sourceOf(join(programDir, "ir.json"));
  if (source !== null) {
    const spec = resolve(cwd, source);
    if (existsSync(spec)) return dirname(spec);
  }
  return resolve(programDir);
}

function sourceOf(irPath: string): string | null {
  try {
    const source = (JSON.parse(readFileSync(irPath, "utf8")) as { source?: unknown }).source;
    return typeof source === "string" && source !== "" ? source : null;
  } catch {
    // No ir.json, or one edited into something that is not JSON: fall back to the program's folder.
    return null;
  }
}
