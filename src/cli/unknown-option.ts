// What to say about an option the command does not take: the nearest option it does take
// (`--backnd` → `--backend`), or, when the spec's blocks have an attribute of that name, the `--set`
// that changes it (`--epochs 3` → `--set sasrec.train.epochs=3`). Takes the raw arguments and the
// command's option table; gives one message for a usage error.
import { parseArgs } from "node:util";
import type { Block } from "../compiler/ast.js";
import { attributeTargets } from "../compiler/check/overrides.js";
import { loadProgram } from "../compiler/check/program.js";
import { suggest } from "../compiler/check/suggest.js";
import { diskHost } from "./host.js";

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

export function unknownOptionMessage(args: readonly string[], options: Options): string | undefined {
  const found = firstUnknown(args, options ?? {});
  if (!found) return undefined;
  const { flag, value } = found;
  const name = flag.replace(/^-+/, "");
  // An attribute of the spec's blocks is the likelier meaning than a near option (`--seed` is not `--set`).
  const targets = specAttributeTargets(args, options ?? {}, name.replace(/-/g, "_"));
  if (targets.length > 0) {
    const uses = targets.map((t) => `\`--set ${t}=${value ?? "VALUE"}\``);
    return `unknown option \`${flag}\`; ${uses.length === 1 ? "use" : "use one of"} ${uses.join(", ")}`;
  }
  const near = name.length > 1 ? suggest(name, Object.keys(options ?? {})) : undefined;
  if (near !== undefined) return `unknown option \`${flag}\`; did you mean \`--${near}\`?`;
  return `unknown option \`${flag}\`; run \`recspec --help\` for the options`;
}

/** The first option not in the table, with the value written after it (`--epochs 3`, `--epochs=3`). */
function firstUnknown(args: readonly string[], options: NonNullable<Options>): { flag: string; value?: string } | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return undefined;
    if (!arg.startsWith("-") || arg === "-") continue;
    const [flag, inline] = splitOnce(arg);
    const name = flag.replace(/^-+/, "");
    const known = flag.startsWith("--") ? options[name] : Object.values(options).find((o) => o.short === name);
    if (known) {
      if (known.type === "string" && inline === undefined) i++;
      continue;
    }
    const next = args[i + 1];
    const value = inline ?? (next !== undefined && !next.startsWith("-") && !next.endsWith(".recspec") ? next : undefined);
    return { flag, value };
  }
  return undefined;
}

function splitOnce(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

/** Paths in the command's spec (its first `.recspec` argument) at which `name` is an attribute. */
function specAttributeTargets(args: readonly string[], options: NonNullable<Options>, name: string): string[] {
  const spec = args.find((a, i) => a.endsWith(".recspec") && !(i > 0 && options[args[i - 1].replace(/^-+/, "")]?.type === "string"));
  if (spec === undefined) return [];
  const program = loadProgram(spec, diskHost);
  const blocks = program.files.flatMap((f) => f.ast.items.filter((item): item is Block => item.kind === "Block"));
  return attributeTargets(name, blocks);
}
