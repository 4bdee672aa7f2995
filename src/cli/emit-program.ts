// Compiles a spec and writes its generated program (model.ts, train.ts, infer.ts, index.ts, ir.json)
// into a folder, each file atomically. Shared by `recspec compile` and `recspec run`.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
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
  const outDir = options.out ?? join("generated", result.ir.spec);
  mkdirSync(outDir, { recursive: true });
  for (const file of await generate(result.ir)) writeFileAtomic(join(outDir, file.name), file.text);
  return { result, outDir };
}
