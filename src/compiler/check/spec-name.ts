// The spec's name becomes folder names (generated/<name>/, runs/<name>/<run>/…), so it must fit in
// one: file systems take at most 255 bytes per name, and the runs' own names and suffixes need room
// beside it. A name taken from the file's name must also be a plain folder name (no `..`, no
// separators or shell-special characters), since it is used unquoted in paths. Takes the name and
// where it was given; reports RS4014 when it is too long, RS4015 when a file-derived name is unfit.
import type { Span } from "../ast.js";
import type { ValueChecker } from "./values.js";

/** Longest spec name accepted: well under the 255 bytes a file name may have. */
export const MAX_SPEC_NAME = 100;

/** `name` was written at `span` of `file` (`spec NAME`), or comes from the file's name (no span). */
/** What a name derived from a file name may be: letters, digits, `_`, `-` and inner dots. */
const FOLDER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function checkSpecName(name: string, file: string, span: Span | undefined, vc: ValueChecker): void {
  if (!span && !FOLDER_NAME.test(name)) {
    vc.report(
      "RS4015",
      file,
      { start: 0, end: 0 },
      { name: name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "?") },
      {
        help: "name the spec with `spec NAME` as its first line, or rename the file (letters, digits, `_`, `-`, `.`)",
      },
    );
    return;
  }
  // File names count bytes: a name of non-ASCII characters takes up to 4 per character.
  const length = Buffer.byteLength(name, "utf8");
  if (length <= MAX_SPEC_NAME) return;
  const help = span
    ? `choose a name of at most ${MAX_SPEC_NAME} characters`
    : `rename the file, or name the spec with \`spec NAME\` (at most ${MAX_SPEC_NAME} characters) as its first line`;
  vc.report("RS4014", file, span ?? { start: 0, end: 0 }, { length, max: MAX_SPEC_NAME }, { help });
}
