// The formatter (`recspec fmt`). Takes spec text and a file name, gives the canonical text, or null
// with the syntax diagnostics when the text does not parse: nothing is reformatted on a guess.
//
// Canonical layout:
// - 2-space indentation, lines within 100 columns where a break is possible, no trailing spaces,
//   exactly one final newline (an empty file stays empty).
// - `spec NAME` first, then a blank line. Consecutive imports form one group, consecutive params
//   another; every other pair of top-level declarations has one blank line between.
// - A body `{ … }` holds one item per line; `=` is aligned across each run of consecutive one-line
//   assignments (`split   = leave_last_out`), `in` across consecutive one-line `vary`s. Whether an
//   assignment fits on one line is judged before padding, so alignment never changes a layout.
// - Nested blocks (`train { … }`) are always multi-line; an empty body is `{}`.
// - An override's body inside a value (`sasrec { embedding = 16  encoder.layers = 1 }`) stays on
//   one line, items two spaces apart, when it holds only assignments, no comments, and fits.
// - Lists and argument lists stay on one line when they fit, else one element per line (no trailing
//   comma: the grammar has none) with the closing bracket back at the opening line's indentation.
// - Numbers and strings are printed as written.
// - Every comment is kept, in order: one on its own line(s) before an element prints above it at
//   its indentation; one after code on the same line prints after that element, two spaces on (one
//   right after an opening bracket stays after it); one at the end of a body, list, argument list or
//   file stays there. A comment inside an element's
//   tokens (`x = /* c */ 1`) moves above it, or into its nearest bracket when comments before it
//   are bracketed, so the comments' order survives. A comment in
//   a list or argument list breaks it onto several lines. Blank lines inside bodies are not kept.
import { hasErrors, type Diagnostic } from "./diagnostics/diagnostic.js";
import { parse } from "./parse.js";
import { printSpec } from "./format/print-spec.js";

export { printSpec };

export interface FormatOutput {
  /** The formatted text; null when the input has syntax errors. */
  text: string | null;
  diagnostics: Diagnostic[];
}

export function format(text: string, file: string): FormatOutput {
  const { ast, diagnostics } = parse(text, file);
  if (hasErrors(diagnostics)) return { text: null, diagnostics };
  return { text: printSpec(ast, text), diagnostics };
}
