// `recspec examples [DIR]`: copies the example specs bundled with recspec (the package's specs/
// folder, found from this file, not from the working folder) into DIR (default recspec-examples/),
// so the README's first command has an equivalent outside a checkout. Their data paths still resolve
// (a path falls back to the package's data/). Refuses, writing nothing, when any target file exists.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT, InputError, parseOptions, UsageError, type CommandIO } from "./io.js";

/** The package's specs/ folder: src/cli/ → the package root. */
export const BUNDLED_SPECS = fileURLToPath(new URL("../../specs/", import.meta.url));

export async function examplesCommand(args: string[], io: CommandIO): Promise<number> {
  const { positionals } = parseOptions(args, {});
  if (positionals.length > 1) throw new UsageError("give at most one folder");
  const dir = resolve(io.cwd, positionals[0] ?? "recspec-examples");
  const shown = relative(io.cwd, dir) || ".";
  const names = existsSync(BUNDLED_SPECS)
    ? readdirSync(BUNDLED_SPECS)
        .filter((n) => n.endsWith(".recspec"))
        .sort()
    : [];
  if (names.length === 0) throw new InputError(`this recspec installation has no example specs (looked in ${BUNDLED_SPECS})`);
  const taken = names.filter((n) => existsSync(join(dir, n)));
  if (taken.length > 0) {
    throw new InputError(
      `${taken.map((n) => join(shown, n)).join(", ")} already exist${taken.length === 1 ? "s" : ""}; nothing was written (give another folder: \`recspec examples DIR\`)`,
    );
  }
  mkdirSync(dir, { recursive: true });
  for (const name of names) writeFileSync(join(dir, name), readFileSync(join(BUNDLED_SPECS, name)), { flag: "wx" });
  io.stderr(`copied ${names.length} example specs into ${shown}/: ${names.join(", ")}\nnext: recspec run ${join(shown, "quickstart.recspec")}\n`);
  return EXIT.ok;
}
