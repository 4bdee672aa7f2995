// Prints a RunError the way the compiler prints its diagnostics. Takes the error (and, for people,
// the working folder to shorten paths and whether to colour); gives rustc-style text
// (`error[RS6003]: …`, `--> file:line:col`, a window of the offending data line with a caret under
// the column when the reader kept one, context lines, `= help: …`) or the LSP-shaped object
// `--format json` emits, so an editor or a script reads run failures like check results. Paths are
// printed with control characters escaped: a file name must not rewrite the terminal line.
import { isAbsolute, relative } from "node:path";
import { DataError } from "../data/data-error.js";
import { printable } from "../data/printable.js";
import { RUN_CODES } from "./run-codes.js";
import type { RunContext, RunError } from "./run-error.js";

export interface RunRenderOptions {
  color?: boolean;
  /** Paths under this folder are shown relative to it. */
  cwd?: string;
}

const ansi = (code: string, on: boolean) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

export function renderRunError(error: RunError, options: RunRenderOptions = {}): string {
  const color = options.color ?? false;
  const red = ansi("1;31", color);
  const bold = ansi("1", color);
  const blue = ansi("1;34", color);
  const path = (p: string) => printable(shortPath(p, options.cwd));
  const c = error.context;
  const out = [`${red(`error[${error.code}]`)}${bold(`: ${error.message}`)}`];
  if (c.file !== undefined) out.push(`  ${blue("-->")} ${path(c.file)}${location(c)}`);
  if (error instanceof DataError && error.excerpt !== undefined && error.line !== undefined) {
    const gutter = String(error.line);
    const pad = " ".repeat(gutter.length);
    out.push(` ${pad} ${blue("|")}`, ` ${blue(gutter)} ${blue("|")} ${error.excerpt.text}`);
    if (error.column !== undefined) out.push(` ${pad} ${blue("|")} ${" ".repeat(error.excerpt.caret - 1)}${red("^")}`);
  }
  if (c.spec !== undefined) out.push(`   ${blue("=")} ${bold("spec")}: ${path(c.spec)}`);
  if (c.runDir !== undefined) out.push(`   ${blue("=")} ${bold("run")}: ${path(c.runDir)}`);
  const at = position(c);
  if (at !== "") out.push(`   ${blue("=")} ${bold("at")}: ${at}`);
  if (error.help !== undefined) out.push(`   ${blue("=")} ${bold("help")}: ${error.help}`);
  return `${out.join("\n")}\n`;
}

/** LSP `Diagnostic` shape (0-based positions), like the compiler's toLsp, plus the run context. */
export function runErrorToLsp(error: RunError) {
  const c = error.context;
  const start = { line: Math.max(0, (c.line ?? 1) - 1), character: Math.max(0, (c.column ?? 1) - 1) };
  return {
    uri: c.file ?? c.spec ?? "",
    range: { start, end: start },
    severity: 1,
    code: error.code,
    source: "recspec",
    message: error.help !== undefined ? `${error.message}\nhelp: ${error.help}` : error.message,
    relatedInformation: [],
    data: {
      title: RUN_CODES[error.code].title,
      context: { ...c },
      ...(error instanceof DataError && error.excerpt !== undefined ? { excerpt: error.excerpt.text } : {}),
    },
  };
}

function location(c: RunContext): string {
  if (c.line === undefined) return "";
  return c.column === undefined ? `:${c.line}` : `:${c.line}:${c.column}`;
}

/** "block `seq`, step 12, epoch 1" from the parts that are known. */
function position(c: RunContext): string {
  const parts: string[] = [];
  if (c.block !== undefined) parts.push(`block \`${c.block}\``);
  if (c.step !== undefined) parts.push(`step ${c.step}`);
  if (c.epoch !== undefined) parts.push(`epoch ${c.epoch}`);
  return parts.join(", ");
}

function shortPath(p: string, cwd: string | undefined): string {
  if (cwd === undefined || !isAbsolute(p)) return p;
  const r = relative(cwd, p);
  return r === "" || r.startsWith("..") || isAbsolute(r) ? p : r;
}
