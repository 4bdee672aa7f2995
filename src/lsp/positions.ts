// Spans (character offsets, as the compiler gives them) → LSP ranges (0-based lines and UTF-16
// columns), for any file's text. Takes the text once; gives ranges for its spans.
import type { Range } from "vscode-languageserver";
import type { Span } from "../compiler/ast.js";
import { SourceText } from "../compiler/diagnostics/source.js";

export function rangeMaker(text: string): (span: Span) => Range {
  const source = new SourceText("", text);
  const at = (offset: number) => {
    const p = source.position(offset);
    return { line: p.line - 1, character: p.column - 1 };
  };
  return (span) => ({ start: at(span.start), end: at(span.end) });
}
