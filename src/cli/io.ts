// What every subcommand shares: where output goes, exit statuses, usage errors, option parsing and
// reading spec files (phases never read files; the CLI does, and reports unreadable ones).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

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

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** node's parseArgs, strict, with its errors turned into UsageErrors. */
export function parseOptions<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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
