// `--set key=value` from the command line: parsed like spec values, aimed at a param (`steps`) or at
// any attribute (`tiger.train.steps`, `sasrec.encoder.layers`), and checked like an attribute
// written in the spec. Diagnostics point into the `--set KEY=VALUE` text as typed (the pseudo-file's
// text is `overrideSource(text)`); a key that is no block or param is answered with the blocks that
// have it as an attribute (`attributeTargets`), which the CLI also uses for `--epochs 3`.
import type { Block, Expr, Reference, Span } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../parse.js";
import type { Declaration } from "./scope.js";
import { constructorsOf, signatureOf, trainSignature } from "./signatures/index.js";
import { didYouMean } from "./suggest.js";
import type { Signature, Value } from "./types.js";

export interface Override {
  /** The pseudo-file diagnostics name, e.g. `--set tiger.train.steps=1000`. */
  readonly file: string;
  readonly text: string;
  readonly path: Reference;
  readonly value: Expr;
}

const PREFIX = "param __set = ";
/** What the user typed before the override, so carets line up under the command line. */
const FLAG = "--set ";

/** The pseudo-file of a `--set`: both its name and its text are the option as typed. */
export function overrideSource(text: string): string {
  return FLAG + text;
}

/** Parses `key=value`; the returned override's spans are offsets into `overrideSource(text)`. */
export function parseOverride(text: string, diagnostics: Diagnostic[]): Override | undefined {
  const file = overrideSource(text);
  const at = FLAG.length;
  const eq = text.indexOf("=");
  const key = eq < 0 ? "" : text.slice(0, eq).trim();
  if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(key)) {
    diagnostics.push(diagnostic("RS4007", file, { start: at, end: at + text.length }, { text, reason: "expected `name=value` or `block.attribute=value`" }));
    return undefined;
  }
  const valueText = text.slice(eq + 1);
  const parsed = parse(PREFIX + valueText, file);
  const item = parsed.ast.items[0];
  if (parsed.diagnostics.length > 0 || parsed.ast.items.length !== 1 || item?.kind !== "Param") {
    diagnostics.push(diagnostic("RS4007", file, { start: at + eq + 1, end: at + text.length }, { text, reason: "the value is not a valid recspec value" }));
    return undefined;
  }
  const value = shiftSpans(item.value, at + eq + 1 - PREFIX.length);
  let offset = 0;
  const parts = key.split(".").map((name) => {
    const start = text.indexOf(name, offset);
    offset = start + name.length;
    return { kind: "Identifier" as const, name, span: { start: at + start, end: at + start + name.length } };
  });
  return { file, text, path: { kind: "Reference", parts, span: { start: at, end: at + eq } }, value };
}

/**
 * Every `block.attribute` path at which the blocks have an attribute called `name`: on the block
 * (`sasrec.embedding`), in its `train` (`sasrec.train.epochs`), or one level into an option
 * (`sasrec.encoder.layers`, `sasrec.train.optimizer.lr`). Options are looked up in their default
 * constructor, the one a dotted `--set` reaches.
 */
export function attributeTargets(name: string, blocks: Iterable<Block>): string[] {
  const found: string[] = [];
  const visit = (sig: Signature, prefix: string) => {
    for (const attribute of sig.attributes) {
      if (attribute.name === name) found.push(`${prefix}.${name}`);
      if (attribute.type.kind !== "option") continue;
      const def = attribute.default as Record<string, Value> | undefined;
      const option = signatureOf(attribute.type.family, String(def?.type ?? [...constructorsOf(attribute.type.family).keys()][0]));
      if (option?.attributes.some((a) => a.name === name)) found.push(`${prefix}.${attribute.name}.${name}`);
    }
  };
  for (const block of blocks) {
    const sig = signatureOf(block.blockKind, block.constructorName.name);
    if (!sig) continue;
    visit(sig, block.name.name);
    if (sig.nested?.includes("train")) visit(trainSignature, `${block.name.name}.train`);
  }
  return found;
}

/**
 * Help for a `--set` whose first name is no block or param: the full paths when it is an attribute
 * some blocks have (`--set epochs=3` → `--set sasrec.train.epochs=3`), else the nearest name.
 */
export function unknownTargetHelp(override: Override, names: ReadonlyMap<string, Declaration>): string | undefined {
  const key = override.path.parts.map((p) => p.name).join(".");
  const blocks = [...names.values()].flatMap((d) => (d.kind === "block" ? [d.node] : []));
  const targets = override.path.parts.length === 1 ? attributeTargets(key, blocks) : [];
  if (targets.length === 0) return didYouMean(override.path.parts[0].name, names.keys());
  const value = override.text.slice(override.text.indexOf("=") + 1);
  const uses = targets.map((t) => `\`--set ${t}=${value}\``);
  return `\`${key}\` is an attribute of ${targets.length === 1 ? "a block" : "several blocks"}, not a param: use ${uses.length === 1 ? "" : "one of "}${uses.join(", ")}`;
}

/** Moves every span of a parsed value by `delta` characters. */
function shiftSpans<T>(node: T, delta: number): T {
  if (Array.isArray(node)) return node.map((x) => shiftSpans(x, delta)) as T;
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "span") {
      const s = v as Span;
      out[k] = { start: s.start + delta, end: s.end + delta };
    } else out[k] = shiftSpans(v, delta);
  }
  return out as T;
}

/** Sets `a.b.c` inside a record of values, copying the objects on the way so shared values stay intact. */
export function setPath(target: Record<string, Value>, path: string, value: Value): void {
  const parts = path.split(".");
  let current = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    current[part] = typeof next === "object" && next !== null && !Array.isArray(next) ? { ...(next as Record<string, Value>) } : {};
    current = current[part] as Record<string, Value>;
  }
  current[parts[parts.length - 1]] = value;
}
