// Diagnostics as you type: the same compiler run as `recspec check` (compileSpec with the
// document's unsaved text, imports followed, data paths checked), turned into LSP diagnostics by
// the same toLsp as `--format json`. Takes a workspace and a document's path; gives the diagnostics
// of each file the run looked at (the document's own and its imports'), keyed by URI.
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { compileSpec } from "../compiler/compile.js";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import { sourceLookup, toLsp, type SourceLookup } from "../compiler/diagnostics/render.js";
import type { Workspace } from "./workspace.js";

/** Diagnostics by URI: every file of the program has an entry (empty when clean), so old ones clear. */
export function checkDocument(workspace: Workspace, path: string): Map<string, LspDiagnostic[]> {
  const text = workspace.text(path) ?? "";
  const result = compileSpec(path, workspace.host, { entryText: text });
  const lookup = sourceLookup(result.sources);
  const byUri = new Map<string, LspDiagnostic[]>();
  for (const file of result.sources.keys()) byUri.set(workspace.uriOf(file), []);
  byUri.set(workspace.uriOf(path), []);
  for (const d of result.diagnostics) {
    const uri = workspace.uriOf(d.file);
    byUri.set(uri, [...(byUri.get(uri) ?? []), lspDiagnostic(d, lookup, workspace)]);
  }
  return byUri;
}

/** The document's own syntax and import diagnostics alone (the parse never throws). */
export function syntaxDiagnostics(workspace: Workspace, path: string): LspDiagnostic[] {
  const program = workspace.program(path);
  const lookup = sourceLookup(new Map(program.files.map((f) => [f.path, f.text])));
  return program.diagnostics.filter((d) => d.file === path).map((d) => lspDiagnostic(d, lookup, workspace));
}

function lspDiagnostic(d: Diagnostic, lookup: SourceLookup, workspace: Workspace): LspDiagnostic {
  // toLsp names the file in `uri` (for `--format json`); here the file is the URI the list goes to.
  const { uri: _, ...lsp } = toLsp(d, lookup);
  return {
    ...lsp,
    severity: lsp.severity === 1 ? 1 : 2,
    relatedInformation: lsp.relatedInformation.map((r) => ({ ...r, location: { ...r.location, uri: workspace.uriOf(r.location.uri) } })),
    // The help line's suggestion, for the quick fix (code-actions.ts): clients echo `data` back.
    data: d.help === undefined ? undefined : { help: d.help },
  };
}
