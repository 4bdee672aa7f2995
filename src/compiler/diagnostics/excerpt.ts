// Keeps what a diagnostic quotes short: a token's text in a message, and the window of a long
// source line shown under a code frame. Takes text and positions; gives text no longer than asked.

/** `text` when it has at most `max` characters, else its start and `…` (as many characters in all). */
export function shorten(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

export interface LineWindow {
  /** The part of the line shown, with `…` where it was cut. */
  readonly text: string;
  /** 1-based column in `text` of the original `fromColumn`. */
  readonly from: number;
  /** 1-based column in `text` just after the marked part (at least `from` + 1). */
  readonly to: number;
}

/**
 * The part of `line` around columns [fromColumn, toColumn) to print: the whole line when it has at
 * most `whole` characters (any line a person wrote), else a window of `width` characters that starts
 * a little before the marked part, cut with `…` at either end. The mark is cut at the window's end,
 * so a caret line never outgrows it.
 */
export function lineWindow(line: string, fromColumn: number, toColumn: number, width = 120, whole = 200): LineWindow {
  if (line.length <= whole) return { text: line, from: fromColumn, to: Math.max(toColumn, fromColumn + 1) };
  const context = Math.min(20, Math.floor(width / 4));
  const start = Math.max(0, Math.min(fromColumn - 1 - context, line.length - width));
  const end = Math.min(line.length, start + width);
  const head = start > 0 ? "…" : "";
  const tail = end < line.length ? "…" : "";
  const text = head + line.slice(start, end) + tail;
  const from = fromColumn - start + head.length;
  const to = Math.min(Math.max(toColumn, fromColumn + 1) - start + head.length, head.length + (end - start) + 1);
  return { text, from, to: Math.max(to, from + 1) };
}
