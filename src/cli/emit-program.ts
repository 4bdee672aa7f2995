// Compiles a spec and writes its generated program (model.ts, train.ts, infer.ts, index.ts, ir.json)
// into a folder, each file atomically. Shared by `recspec compile` and `recspec run`.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { generate } from "../compiler/codegen/index.js";
import { compileSpec, type CompileResult } from "../compiler/compile.js";
import { writeFileAtomic } from "../runtime/fs/atomic-write.js";
import { diskHost } from "./host.js";
import { type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export interface EmitOutcome {
  readonly result: CompileResult;
  /** Folder of the generated program; null when the spec has errors. */
  readonly outDir: string | null;
}

export async function emitProgram(
  specPath: string,
  options: { out?: string; set?: string[]; format: "text" | "json" },
  io: CommandIO,
): Promise<EmitOutcome> {
  const result = compileSpec(specPath, diskHost, { set: options.set });
  reportDiagnostics(result.diagnostics, result.sources, options.format, io);
  if (!result.ir) return { result, outDir: null };
  // With --set the program differs from the spec's own, so it does not overwrite generated/<spec>/.
  const overridden = (options.set ?? []).length > 0;
  const variant = createHash("sha256").update((options.set ?? []).join("\n")).digest("hex").slice(0, 8);
  const outDir = options.out ?? (overridden ? join(".cache", "recspec", "generated", `${result.ir.spec}-${variant}`) : join("generated", result.ir.spec));
  mkdirSync(outDir, { recursive: true });
  for (const file of await generate(result.ir)) writeFileAtomic(join(outDir, file.name), file.text);
  if (!inModuleScope(outDir)) writeFileAtomic(join(outDir, "package.json"), `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`);
  return { result, outDir };
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
