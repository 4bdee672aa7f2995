// `recspec compile FILE [--emit ir] [--set k=v]`: prints the lowered IR (every default explicit).
import { compileSpec } from "../compiler/compile.js";
import { diskHost } from "./host.js";
import { diagnosticFormat, EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export async function compileCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    emit: { type: "string", default: "ir" },
    format: { type: "string" },
    set: { type: "string", multiple: true },
  });
  const format = diagnosticFormat(values.format);
  if (positionals.length !== 1) throw new UsageError("give exactly one spec file");
  if (values.emit !== "ir") throw new UsageError(`--emit takes \`ir\` (TypeScript generation comes with \`recspec compile --emit ts\` later), not \`${values.emit}\``);

  const result = compileSpec(positionals[0], diskHost, { set: values.set });
  reportDiagnostics(result.diagnostics, result.sources, format, io);
  if (!result.ir) return EXIT.diagnostics;
  io.stdout(`${JSON.stringify(result.ir, null, 2)}\n`);
  return EXIT.ok;
}
