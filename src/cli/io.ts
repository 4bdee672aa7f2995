// What every subcommand shares: where output goes, exit statuses, usage errors, option parsing and
// reading spec files (phases never read files; the CLI does, and reports unreadable ones).
import { readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { unknownOptionMessage } from "./unknown-option.js";

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** ANSI colour in diagnostics: only on a TTY and never with NO_COLOR. */
  color: boolean;
  cwd: string;
}

export const EXIT = { ok: 0, diagnostics: 1, usage: 2, internal: 2 } as const;

/** Bad command-line use: printed as one line, exit status 2. */
export class UsageError extends Error {}

/** A mistake in what the command was given (a missing spec file): `error: …`, exit status 1. */
export class InputError extends Error {}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** node's parseArgs, strict, with its errors turned into UsageErrors. */
export function parseOptions<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? unknownOptionMessage(args, options) : undefined;
    throw new UsageError(unknown ?? (error instanceof Error ? error.message : String(error)));
  }
}

/** What is at `path`: nothing, a folder, or a file (anything else counts as a file). */
function pathKind(path: string): "none" | "dir" | "file" {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return "none";
  }
}

/** The spec file a command was given must be there: its absence is the user's mistake, said as such. */
export function requireSpecFile(path: string): void {
  const kind = pathKind(path);
  if (kind === "none") throw new InputError(`cannot read the spec file \`${path}\`: no such file`);
  if (kind === "dir") throw new InputError(`\`${path}\` is a folder, not a spec file`);
}

/** `--out` and `--runs` name folders; an existing file there is a mistake, caught before any work. */
export function requireFolderOption(option: "out" | "runs", path: string | undefined): void {
  if (path === undefined || pathKind(path) !== "file") return;
  const why = option === "out" ? "it names the folder the generated program is written to" : "it names the folder runs are kept in";
  throw new UsageError(`--${option} \`${path}\` is an existing file, not a folder: ${why}`);
}

export function diagnosticFormat(value: unknown): "text" | "json" {
  if (value === undefined || value === "text") return "text";
  if (value === "json") return "json";
  throw new UsageError(`--format must be \`text\` or \`json\`, not \`${String(value)}\``);
}

/** Reads a spec file, or returns the reason it cannot be read. */
export function readSpec(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(error);
    return { error: `cannot read \`${path}\`: ${reason}` };
  }
}
