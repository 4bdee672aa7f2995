// Prints a run-time diagnostic (a RunError from the runtime) the way the user asked: the rustc-style
// text on stderr, or a one-element LSP-shaped JSON array on stdout like `--format json` gives for
// compile diagnostics.
import { renderRunError, runErrorToLsp } from "../runtime/errors/render-run-error.js";
import type { RunError } from "../runtime/errors/run-error.js";
import type { CommandIO } from "./io.js";

export function reportRunError(error: RunError, format: "text" | "json", io: CommandIO): void {
  if (format === "json") io.stdout(`${JSON.stringify([runErrorToLsp(error)], null, 2)}\n`);
  else io.stderr(renderRunError(error, { color: io.color, cwd: io.cwd }));
}
