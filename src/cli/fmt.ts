// `recspec fmt FILE... [--check] [--write]`: canonical layout. Prints formatted text by default;
// --write rewrites files in place (atomically); --check lists files that are not formatted.
import { hasErrors } from "../compiler/diagnostics/diagnostic.js";
import { format } from "../compiler/format.js";
import { writeFileAtomic } from "../runtime/fs/atomic-write.js";
import { diagnosticFormat, EXIT, parseOptions, readSpec, UsageError, type CommandIO } from "./io.js";
import { reportDiagnostics } from "./report-diagnostics.js";

export async function fmtCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    check: { type: "boolean" },
    write: { type: "boolean" },
    format: { type: "string" },
  });
  const diagFormat = diagnosticFormat(values.format);
  if (positionals.length === 0) throw new UsageError("give at least one spec file");
  if (values.check && values.write) throw new UsageError("--check and --write cannot be combined");

  let status: number = EXIT.ok;
  for (const path of positionals) {
    const read = readSpec(path);
    if ("error" in read) {
      io.stderr(`error: ${read.error}\n`);
      status = EXIT.diagnostics;
      continue;
    }
    const result = format(read.text, path);
    if (result.text === null || hasErrors(result.diagnostics)) {
      reportDiagnostics(result.diagnostics, new Map([[path, read.text]]), diagFormat, io);
      status = EXIT.diagnostics;
      continue;
    }
    if (values.check) {
      if (result.text !== read.text) {
        io.stdout(`${path}: not formatted (run \`recspec fmt --write ${path}\`)\n`);
        status = EXIT.diagnostics;
      }
    } else if (values.write) {
      if (result.text !== read.text) writeFileAtomic(path, result.text);
    } else {
      io.stdout(result.text);
    }
  }
  return status;
}
