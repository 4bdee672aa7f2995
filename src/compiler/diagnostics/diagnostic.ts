// The Diagnostic value every phase reports, and the one constructor that makes them from the code
// table. Diagnostics carry offsets; line/column is computed only when rendering.
import type { Span } from "../ast.js";
import { CODES, formatTemplate, type Code, type Severity } from "./codes.js";

/** A secondary location shown with `---` under its source line (possibly in another file). */
export interface Label {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly code: Code;
  readonly message: string;
  readonly file: string;
  readonly span: Span;
  /** A short label under the primary caret line. */
  readonly label?: string;
  readonly labels: readonly Label[];
  readonly help?: string;
  readonly notes: readonly string[];
}

export interface DiagnosticExtras {
  label?: string;
  labels?: Label[];
  help?: string;
  notes?: string[];
}

/** Makes a diagnostic of `code`, filling its template with `args`. */
export function diagnostic(code: Code, file: string, span: Span, args: Record<string, string | number> = {}, extras: DiagnosticExtras = {}): Diagnostic {
  const info = CODES[code];
  return {
    severity: info.severity,
    code,
    message: formatTemplate(info.template, args),
    file,
    span,
    label: extras.label,
    labels: extras.labels ?? [],
    help: extras.help,
    notes: extras.notes ?? [],
  };
}

/** Orders diagnostics by file, then position, so output is stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start || a.code.localeCompare(b.code));
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}
