// `recspec check FILE... [--set k=v]`: runs the compiler up to the IR on each file and prints every
// diagnostic (syntax, names, types, values, shapes). Exit 1 when any is an error.
import { compileSpec } from "../compiler/compile.js";
import { hasErrors, type Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { diskHost } from "./host.js";
import { diagnosticFormat, EXIT, parseOptions, UsageError, type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export async function checkCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    format: { type: "string" },
    set: { type: "string", multiple: true },
  });
  const format = diagnosticFormat(values.format);
  if (positionals.length === 0) throw new UsageError("give at least one spec file");

  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const path of positionals) {
    const result = compileSpec(path, diskHost, { set: values.set });
    for (const [file, text] of result.sources) sources.set(file, text);
    diagnostics.push(...result.diagnostics);
  }
  reportDiagnostics(diagnostics, sources, format, io);
  return hasErrors(diagnostics) ? EXIT.diagnostics : EXIT.ok;
}
