// Shared layout constants and string helpers for the formatter. Takes nothing, gives the line
// width, the indentation unit and small measuring helpers the printers share.
import type { Comment } from "../ast.js";

/** Lists, argument lists and inline override bodies stay on one line when they end by this column. */
export const WIDTH = 100;

export const INDENT = "  ";

/** Length of the last line of possibly multi-line text (its column when printing continues after it). */
export function lastLineLength(text: string): number {
  return text.length - (text.lastIndexOf("\n") + 1);
}

/**
 * A comment as printed. Line comments lose trailing blanks (the layout has no trailing spaces);
 * block comments keep their text exactly, line breaks included.
 */
export function commentText(comment: Comment): string {
  return comment.block ? comment.text : comment.text.trimEnd();
}

/** Trailing comments follow their code after two spaces, as in the draft's examples. */
export function withTrailing(code: string, trailing: readonly Comment[] | undefined): string {
  if (!trailing || trailing.length === 0) return code;
  return [code, ...trailing.map(commentText)].join("  ");
}
