// Renders diagnostics for people (rustc-style code frames) and for tools (LSP-shaped JSON).
// Takes diagnostics and the source texts they point into; gives strings.
import type { Diagnostic } from "./diagnostic.js";
import { lineWindow, shorten } from "./excerpt.js";
import { SourceText } from "./source.js";

/** Code frames printed per file; more are counted in one `… and N more` line. */
export const MAX_RENDERED_PER_FILE = 200;
/** Longest message printed in full (a message quoting a huge value is cut). */
const MAX_MESSAGE = 400;

export interface RenderOptions {
  /** ANSI colours; the CLI turns them on only for a TTY without NO_COLOR. */
  color: boolean;
}

type Paint = (text: string) => string;
const ansi =
  (code: string): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;
const plain: Paint = (text) => text;

function palette(color: boolean) {
  return {
    error: color ? ansi("1;31") : plain,
    warning: color ? ansi("1;33") : plain,
    gutter: color ? ansi("1;34") : plain,
    bold: color ? ansi("1") : plain,
    secondary: color ? ansi("1;34") : plain,
  };
}

/** Looks up (and caches) the SourceText of a file path. */
export type SourceLookup = (file: string) => SourceText | undefined;

export function sourceLookup(files: ReadonlyMap<string, string>): SourceLookup {
  const cache = new Map<string, SourceText>();
  return (file) => {
    let source = cache.get(file);
    if (!source) {
      const text = files.get(file);
      if (text === undefined) return undefined;
      source = new SourceText(file, text);
      cache.set(file, source);
    }
    return source;
  };
}

interface Snippet {
  source: SourceText;
  start: number;
  end: number;
  marker: "^" | "-";
  message?: string;
}

/** One diagnostic as a code frame: header, `-->` location, source lines with carets, help and notes. */
export function renderDiagnostic(d: Diagnostic, lookup: SourceLookup, options: RenderOptions): string {
  const p = palette(options.color);
  const headColor = d.severity === "error" ? p.error : p.warning;
  const out: string[] = [`${headColor(`${d.severity}[${d.code}]`)}${p.bold(`: ${shorten(d.message, MAX_MESSAGE)}`)}`];

  const source = lookup(d.file);
  const snippets: Snippet[] = [];
  if (source) snippets.push({ source, start: d.span.start, end: d.span.end, marker: "^", message: d.label });
  for (const label of d.labels) {
    const other = lookup(label.file);
    if (other) snippets.push({ source: other, start: label.span.start, end: label.span.end, marker: "-", message: label.message });
  }
  // Within the primary file, show locations top to bottom like rustc; other files follow.
  snippets.sort((a, b) => {
    const fileOrder = Number(a.source.path !== d.file) - Number(b.source.path !== d.file);
    return fileOrder || a.source.path.localeCompare(b.source.path) || a.start - b.start;
  });
  const maxLine = Math.max(1, ...snippets.map((s) => s.source.position(s.start).line));
  const width = String(maxLine).length;
  const pad = " ".repeat(width);

  if (source) {
    const at = source.position(d.span.start);
    out.push(`${pad}${p.gutter("-->")} ${d.file}:${at.line}:${at.column}`);
    out.push(`${pad} ${p.gutter("|")}`);
  } else {
    out.push(`${pad}${p.gutter("-->")} ${d.file}`);
  }
  let currentFile: string | undefined = source ? d.file : undefined;
  for (const s of snippets) {
    const from = s.source.position(s.start);
    if (s.source.path !== currentFile) {
      out.push(`${pad}${p.gutter(":::")} ${s.source.path}:${from.line}:${from.column}`);
      out.push(`${pad} ${p.gutter("|")}`);
      currentFile = s.source.path;
    }
    const to = s.source.position(Math.max(s.start, s.end));
    const lineText = visible(s.source.lineText(from.line));
    const lastColumn = to.line === from.line ? to.column : lineText.length + 1;
    // A long line (minified, generated, garbage) is shown as a window around the mark.
    const shown = lineWindow(lineText, from.column, lastColumn);
    const paint = s.marker === "^" ? headColor : p.secondary;
    out.push(`${p.gutter(String(from.line).padStart(width))} ${p.gutter("|")} ${shown.text}`);
    const underline = " ".repeat(shown.from - 1) + s.marker.repeat(shown.to - shown.from);
    const suffix = s.message ? ` ${s.message}` : to.line > from.line ? " …" : "";
    out.push(`${pad} ${p.gutter("|")} ${paint(underline + suffix)}`);
  }
  if (d.help || d.notes.length > 0) out.push(`${pad} ${p.gutter("|")}`);
  if (d.help) out.push(`${pad} ${p.gutter("=")} ${p.bold("help")}: ${d.help}`);
  for (const note of d.notes) out.push(`${pad} ${p.gutter("=")} ${p.bold("note")}: ${note}`);
  return out.join("\n");
}

/** Tabs as one space and control characters as their visible symbols (␀, ␛ …), one column each. */
function visible(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\t" ? " " : c === "\u007f" ? "\u2421" : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}

/**
 * All diagnostics, a blank line between them, then `Found N errors.` (and warnings) when any. At most
 * MAX_RENDERED_PER_FILE code frames per file are printed; a line counts the rest.
 */
export function renderDiagnostics(list: readonly Diagnostic[], lookup: SourceLookup, options: RenderOptions): string {
  const errors = list.filter((d) => d.severity === "error").length;
  const warnings = list.length - errors;
  const perFile = new Map<string, number>();
  const parts: string[] = [];
  for (const d of list) {
    const n = (perFile.get(d.file) ?? 0) + 1;
    perFile.set(d.file, n);
    if (n <= MAX_RENDERED_PER_FILE) parts.push(renderDiagnostic(d, lookup, options));
  }
  for (const [file, n] of perFile) {
    if (n > MAX_RENDERED_PER_FILE) parts.push(`… and ${n - MAX_RENDERED_PER_FILE} more in ${file}`);
  }
  if (list.length === 0) return "";
  const counts: string[] = [];
  if (errors > 0 || warnings === 0) counts.push(plural(errors, "error"));
  if (warnings > 0) counts.push(plural(warnings, "warning"));
  return `${parts.join("\n\n")}\n\nFound ${counts.join(" and ")}.\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** LSP `Diagnostic` shape (0-based positions), with the file path as `uri`. */
export function toLsp(d: Diagnostic, lookup: SourceLookup) {
  const range = (file: string, start: number, end: number) => {
    const source = lookup(file);
    if (!source) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const a = source.position(start);
    const b = source.position(end);
    return {
      start: { line: a.line - 1, character: a.column - 1 },
      end: { line: b.line - 1, character: b.column - 1 },
    };
  };
  return {
    uri: d.file,
    range: range(d.file, d.span.start, d.span.end),
    severity: d.severity === "error" ? 1 : 2,
    code: d.code,
    source: "recspec",
    message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
    relatedInformation: d.labels.map((l) => ({
      location: { uri: l.file, range: range(l.file, l.span.start, l.span.end) },
      message: l.message,
    })),
  };
}
