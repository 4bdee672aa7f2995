// `recspec init [DIR]`: writes a small commented starter spec (starter-spec.ts) into DIR (default:
// the working folder), creating DIR if needed, and says how to run it. Never overwrites a file.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { EXIT, InputError, parseOptions, UsageError, type CommandIO } from "./io.js";
import { STARTER_FILE, STARTER_SPEC } from "./starter-spec.js";

export async function initCommand(args: string[], io: CommandIO): Promise<number> {
  const { positionals } = parseOptions(args, {});
  if (positionals.length > 1) throw new UsageError("give at most one folder");
  const dir = resolve(io.cwd, positionals[0] ?? ".");
  const target = join(dir, STARTER_FILE);
  const shown = relative(io.cwd, target) || STARTER_FILE;
  if (existsSync(target)) throw new InputError(`${shown} already exists; nothing was written (remove it, or give another folder: \`recspec init DIR\`)`);
  mkdirSync(dir, { recursive: true });
  // `wx`: fails rather than overwrite a file that appeared since the check.
  writeFileSync(target, STARTER_SPEC, { flag: "wx" });
  io.stderr(`wrote ${shown}\nnext: recspec run ${shown}\n`);
  return EXIT.ok;
}
