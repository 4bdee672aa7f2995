// `recspec compile FILE [--emit ts|ir] [--out DIR] [--set k=v]`: writes the generated TypeScript
// program (default generated/<spec>/), or prints the lowered IR with every default explicit.
import { compileSpec } from "../compiler/compile.js";
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
  if (values.emit !== "ts") throw new UsageError(`--emit takes \`ts\` or \`ir\`, not \`${values.emit}\``);
  const { outDir } = await emitProgram(positionals[0], { out: values.out, set: values.set, format, force: values.force }, io);
  if (!outDir) return EXIT.diagnostics;
  io.stderr(`wrote ${outDir}/{model,train,infer,index}.ts and ir.json\n`);
  return EXIT.ok;
}
