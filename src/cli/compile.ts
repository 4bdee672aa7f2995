// `recspec compile FILE [--emit ts|ir] [--out DIR] [--set k=v]`: writes the generated TypeScript
// program (default generated/<spec>/), or prints the lowered IR with every default explicit.
// `--target pytorch` writes the PyTorch package instead (default generated-pytorch/<spec>/).
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { compileSpec } from "../compiler/compile.js";
import { writeFileAtomic } from "../runtime/fs/atomic-write.js";
import { emitProgram } from "./emit-program.js";
import { diskHost } from "./host.js";
import { diagnosticFormat, EXIT, parseOptions, requireFolderOption, requireSpecFile, UsageError, type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export async function compileCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    emit: { type: "string", default: "ts" },
    out: { type: "string" },
    format: { type: "string" },
    set: { type: "string", multiple: true },
    force: { type: "boolean" },
    target: { type: "string", default: "typescript" },
  });
  const format = diagnosticFormat(values.format);
  if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
  requireSpecFile(positionals[0]);
  requireFolderOption("out", values.out);

  if (values.emit === "ir") {
    const result = compileSpec(positionals[0], diskHost, { set: values.set });
    reportDiagnostics(result.diagnostics, result.sources, format, io);
    if (!result.ir) return EXIT.diagnostics;
    io.stdout(`${JSON.stringify(result.ir, null, 2)}\n`);
    return EXIT.ok;
  }
  if (values.target === "pytorch") return compilePytorch(positionals[0], values.out, values.set, format, io);
  if (values.target !== "typescript") throw new UsageError(`--target takes \`typescript\` or \`pytorch\`, not \`${values.target}\``);
  if (values.emit !== "ts") throw new UsageError(`--emit takes \`ts\` or \`ir\`, not \`${values.emit}\``);
  const { outDir } = await emitProgram(positionals[0], { out: values.out, set: values.set, format, force: values.force }, io);
  if (!outDir) return EXIT.diagnostics;
  io.stderr(`wrote ${outDir}/{model,train,infer,index}.ts and ir.json\n`);
  return EXIT.ok;
}

/** Writes the PyTorch package; a spec beyond what the target covers is exit 1 with what is covered. */
async function compilePytorch(spec: string, out: string | undefined, set: string[] | undefined, format: "text" | "json", io: CommandIO): Promise<number> {
  const { generatePytorch, PytorchTargetError } = await import("../compiler/codegen-pytorch/index.js");
  const result = compileSpec(spec, diskHost, { set });
  reportDiagnostics(result.diagnostics, result.sources, format, io);
  if (!result.ir) return EXIT.diagnostics;
  let files;
  try {
    files = generatePytorch(result.ir, { specFile: resolve(spec), overrides: set ?? [] });
  } catch (error) {
    if (!(error instanceof PytorchTargetError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return EXIT.diagnostics;
  }
  const dir = out ?? join("generated-pytorch", result.ir.spec);
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileAtomic(join(dir, file.name), file.text);
  io.stderr(`wrote ${dir}/: ${files.map((f) => f.name).join(", ")}\n`);
  return EXIT.ok;
}
