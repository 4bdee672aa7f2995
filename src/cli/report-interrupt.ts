// What `recspec run|train` prints when Ctrl-C or SIGTERM stopped training (TrainingInterrupted):
// where the checkpoint is and the exact command that continues the run — the same arguments with
// `--resume` — and the exit status, 130 for SIGINT and 143 for SIGTERM as a shell reports a process
// that the signal ended, so scripts can tell an interrupted run from a failed one (1).
import type { TrainingInterrupted } from "../runtime/train/interrupt.js";
import type { CommandIO } from "./io.js";

export function reportInterrupt(error: TrainingInterrupted, command: string, args: readonly string[], io: CommandIO): number {
  const block = error.context.block !== undefined ? `${error.context.block}: ` : "";
  io.stderr(`${block}${error.message}\n`);
  if (error.checkpoint !== null) io.stderr(`resume with: ${resumeCommand(command, args)}\n`);
  return error.exitCode;
}

/** `recspec COMMAND SPEC --resume OPTIONS…`: the arguments given, quoted for a POSIX shell, once `--resume`. */
export function resumeCommand(command: string, args: readonly string[]): string {
  const rest = args.filter((a) => a !== "--resume");
  // The spec (exec: the program folder) is the one positional; it goes first, then --resume, then
  // the options as given.
  const specIndex = firstPositional(rest);
  const spec = specIndex === -1 ? [] : [rest[specIndex]];
  const options = rest.filter((_, i) => i !== specIndex);
  return ["recspec", command, ...spec, "--resume", ...options].map(shellQuote).join(" ");
}

/** Options of run/train/exec that take a value (`--runs DIR`), so their value is not the spec. */
const WITH_VALUE = new Set(["--out", "--runs", "--backend", "--experiment", "--format", "--set", "--stage"]);

function firstPositional(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    if (WITH_VALUE.has(args[i])) i++;
    else if (!args[i].startsWith("-")) return i;
  }
  return -1;
}

export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
