// `recspec check FILE... [--set k=v] [--memory-limit SIZE]`: runs the compiler up to the IR on each
// file and prints every diagnostic (syntax, names, types, values, shapes, memory). Exit 1 when any is
// an error. --memory-limit checks for a machine other than this one (default: this one's memory).
import { parseSize } from "../compiler/check/memory-limit.js";
import { compileSpec } from "../compiler/compile.js";
import { hasErrors, type Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { checkingHost } from "./host.js";
import { diagnosticFormat, EXIT, parseOptions, readSpec, UsageError, type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export async function checkCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    format: { type: "string" },
    set: { type: "string", multiple: true },
    "memory-limit": { type: "string" },
  });
  const format = diagnosticFormat(values.format);
  if (positionals.length === 0) throw new UsageError("give at least one spec file");
  const memoryLimit = values["memory-limit"] === undefined ? undefined : parseSize(values["memory-limit"]);
  if (values["memory-limit"] !== undefined && memoryLimit === undefined) {
    throw new UsageError(`--memory-limit must be a size such as \`16GB\` or \`512MiB\`, not \`${values["memory-limit"]}\``);
  }

  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  let unreadable = false;
  for (const path of positionals) {
    // A folder or a missing file is said as such (like `fmt`), not as an import that failed.
    const read = readSpec(path);
    if ("error" in read) {
      io.stderr(`error: ${read.error}\n`);
      unreadable = true;
      continue;
    }
    const result = compileSpec(path, checkingHost, { set: values.set, entryText: read.text, memoryLimit });
    for (const [file, text] of result.sources) sources.set(file, text);
    diagnostics.push(...result.diagnostics);
  }
  reportDiagnostics(diagnostics, sources, format, io);
  return unreadable || hasErrors(diagnostics) ? EXIT.diagnostics : EXIT.ok;
}
