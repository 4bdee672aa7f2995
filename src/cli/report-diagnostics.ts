// Prints diagnostics the way the user asked: code frames for people, LSP-shaped JSON for tools.
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { renderDiagnostics, sourceLookup, toLsp } from "../compiler/diagnostics/render.js";
import type { CommandIO } from "./io.js";

export function reportDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, format: "text" | "json", io: CommandIO): void {
  const lookup = sourceLookup(sources);
  if (format === "json") {
    io.stdout(
      `${JSON.stringify(
        diagnostics.map((d) => toLsp(d, lookup)),
        null,
        2,
      )}\n`,
    );
    return;
  }
  if (diagnostics.length > 0) io.stderr(renderDiagnostics(diagnostics, lookup, { color: io.color }));
}
