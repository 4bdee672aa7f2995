// Formatting through `recspec fmt`'s formatter: the whole document replaced by its canonical layout.
// Takes the document's text and path; gives the edits (none when already formatted, and none when the
// text has syntax errors: the formatter never reformats on a guess).
import type { Range, TextEdit } from "vscode-languageserver";
import { format } from "../compiler/format.js";

export function formattingEdits(text: string, path: string, whole: Range): TextEdit[] {
  const result = format(text, path);
  if (result.text === null || result.text === text) return [];
  return [{ range: whole, newText: result.text }];
}
