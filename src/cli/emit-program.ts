// Compiles a spec and writes its generated program (model.ts, train.ts, infer.ts, index.ts, ir.json)
// into a folder, each file atomically. Shared by `recspec compile` and `recspec run`. A folder whose
// generated files were edited by hand (content-hash.ts) is left as it is, unless `force`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileState, withoutStamp } from "../compiler/codegen/content-hash.js";
import { generate, type EmittedFile } from "../compiler/codegen/index.js";
import { compileSpec, type CompileResult } from "../compiler/compile.js";
import { writeFileAtomic } from "../runtime/fs/atomic-write.js";
import { diskHost } from "./host.js";
import { type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export interface EmitOutcome {
  readonly result: CompileResult;
  /** Folder of the generated program; null when the spec has errors or the folder holds hand edits. */
  readonly outDir: string | null;
}

export async function emitProgram(
  specPath: string,
  options: { out?: string; set?: string[]; format: "text" | "json"; force?: boolean; quiet?: boolean },
  io: CommandIO,
): Promise<EmitOutcome> {
  const result = compileSpec(specPath, diskHost, { set: options.set });
  // `quiet`: the caller prints the diagnostics itself (run's one JSON document).
  if (!options.quiet) reportDiagnostics(result.diagnostics, result.sources, options.format, io);
  if (!result.ir) return { result, outDir: null };
  // With --set the program differs from the spec's own, so it does not overwrite generated/<spec>/.
  const overridden = (options.set ?? []).length > 0;
  const variant = createHash("sha256")
    .update((options.set ?? []).join("\n"))
    .digest("hex")
    .slice(0, 8);
  const outDir = options.out ?? (overridden ? join(".cache", "recspec", "generated", `${result.ir.spec}-${variant}`) : join("generated", result.ir.spec));
  const files = await generate(result.ir);
  const kept = options.force ? [] : handEdited(outDir, files);
  if (kept.length > 0) {
    io.stderr(refusal(specPath, outDir, kept));
    return { result, outDir: null };
  }
  writeProgram(outDir, files);
  return { result, outDir };
}

/**
 * Writes a generated program into `dir`, each file atomically and index.ts last, so a folder that
 * has index.ts is complete. Generated files are ES modules: outside a `"type": "module"` package
 * they get a package.json saying so.
 */
export function writeProgram(dir: string, files: readonly EmittedFile[]): void {
  mkdirSync(dir, { recursive: true });
  if (!inModuleScope(dir)) writeFileAtomic(join(dir, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);
  const entryLast = [...files.filter((f) => f.name !== "index.ts"), ...files.filter((f) => f.name === "index.ts")];
  for (const file of entryLast) writeFileAtomic(join(dir, file.name), file.text);
}

/**
 * The files in `dir` that writing `files` would overwrite and that recspec did not write as they are
 * now: edited by hand, or someone else's. A file that already reads as it would be written (less the
 * stamp, as files written before stamps existed) loses nothing.
 */
function handEdited(dir: string, files: readonly EmittedFile[]): { name: string; foreign: boolean }[] {
  const kept: { name: string; foreign: boolean }[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    if (text === file.text || text === withoutStamp(file.text)) continue;
    const state = fileState(text);
    if (state !== "unedited") kept.push({ name: file.name, foreign: state === "foreign" });
  }
  return kept;
}

function refusal(specPath: string, dir: string, kept: { name: string; foreign: boolean }[]): string {
  const list = (names: string[]) => names.map((name) => join(dir, name)).join(", ");
  const edited = kept.filter((f) => !f.foreign).map((f) => f.name);
  const foreign = kept.filter((f) => f.foreign).map((f) => f.name);
  const what = [
    edited.length > 0 ? `${list(edited)} ${edited.length === 1 ? "was" : "were"} edited by hand` : "",
    foreign.length > 0 ? `${list(foreign)} ${foreign.length === 1 ? "was" : "were"} not written by recspec` : "",
  ].filter(Boolean);
  return [
    `error: ${what.join("; ")}: nothing was written, so ${kept.length === 1 ? "it is" : "they are"} kept. To go on, either`,
    `  - run the edited program:        recspec exec ${dir}`,
    `  - compile into another folder:   recspec compile ${specPath} --out OTHER_DIR  (run, train and eval take --out too)`,
    `  - overwrite ${kept.length === 1 ? "it" : "them"}:`.padEnd(35) + "add --force",
    "",
  ].join("\n");
}

/**
 * Generated files are ES modules. Outside a `"type": "module"` package (a user's own folder) they
 * get a package.json saying so; inside one (this repository) they need none.
 */
function inModuleScope(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const file = join(d, "package.json");
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, "utf8")) as { type?: string }).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(d) === d) return false;
  }
}
