// Text from data files made safe to print in a message. Takes a path, an id or a line of a file;
// gives it with control characters (and the invisible ones that reorder or hide text) escaped as
// \n, \t, \r or \u{…}, and a long value or line cut to a short window marked with `…`, so that a
// message is one readable terminal line whatever the file holds: never a 30 MB row, never a
// carriage return that overwrites the line.

/** Control characters C0, DEL, C1, line/paragraph separators, bidi controls and the BOM. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** s with every unprintable character written as an escape. */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => NAMED[c] ?? `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Most characters of a value quoted in a message. */
export const VALUE_WIDTH = 60;

/** A data value for a message: printable, cut to `width` characters with `…`. */
export function short(value: string, width = VALUE_WIDTH): string {
  return value.length > width ? `${printable(value.slice(0, width))}…` : printable(value);
}

/** `short(value)` in single quotes. */
export function quoted(value: string, width = VALUE_WIDTH): string {
  return `'${short(value, width)}'`;
}

/** Most characters of a line shown around an offending column. */
export const EXCERPT_WIDTH = 80;

export interface Excerpt {
  /** The printable window of the line, with `…` where it was cut. */
  readonly text: string;
  /** 1-based column of the offending character within `text` (for a caret under it). */
  readonly caret: number;
}

/**
 * A window of about `width` characters of `line` around the 1-based `column` (the start of the
 * line when the column is unknown), printable, with `…` at a cut end. Only the window is escaped,
 * so a huge line costs no more than a short one.
 */
export function excerpt(line: string, column = 1, width = EXCERPT_WIDTH): Excerpt {
  const at = Math.min(Math.max(column - 1, 0), line.length);
  let start = 0;
  let end = line.length;
  if (end > width) {
    start = Math.max(0, Math.min(at - Math.floor(width / 3), line.length - width));
    end = start + width;
  }
  const before = printable(line.slice(start, at));
  const head = start > 0 ? "…" : "";
  const text = `${head}${before}${printable(line.slice(at, end))}${end < line.length ? "…" : ""}`;
  return { text, caret: head.length + before.length + 1 };
}
