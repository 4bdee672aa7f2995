// Every diagnostic recspec reports, in one table: a stable code, a severity, a short title (used in
// docs and by `recspec explain`) and a message template whose `{placeholders}` are filled at report time.
// Groups: 1xxx syntax, 2xxx names, 3xxx shapes and types, 4xxx values and config, 5xxx data.

export type Severity = "error" | "warning";

export interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly template: string;
}

export const CODES = {
  // 1xxx: syntax
  RS1001: { severity: "error", title: "unexpected character", template: "unexpected character `{char}`" },
  RS1002: { severity: "error", title: "unterminated string", template: "this string has no closing `\"`" },
  RS1003: { severity: "error", title: "unterminated comment", template: "this `/*` comment is never closed" },
  RS1004: { severity: "error", title: "syntax error", template: "{message}" },
  RS1005: { severity: "error", title: "invalid number", template: "`{raw}` is not a finite number" },
  RS1006: { severity: "error", title: "invalid escape", template: "unknown escape `{escape}` in string" },
  RS1007: { severity: "error", title: "spec name not first", template: "`spec {name}` must be the first declaration of the file" },
  RS1008: { severity: "error", title: "duplicate spec name", template: "the file already names its spec `{name}`" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** Fills a template's `{name}` placeholders; unknown placeholders are left visible to be noticed. */
export function formatTemplate(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? String(args[key]) : whole));
}
