// `--set key=value` from the command line: parsed like spec values, aimed at a param (`steps`) or at
// any attribute (`tiger.train.steps`, `sasrec.encoder.layers`), and checked like an attribute
// written in the spec. Diagnostics point into the `--set` text itself.
import type { Expr, Reference, Span } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../parse.js";
import type { Value } from "./types.js";

export interface Override {
  /** The pseudo-file diagnostics name, e.g. `--set tiger.train.steps=1000`. */
  readonly file: string;
  readonly text: string;
  readonly path: Reference;
  readonly value: Expr;
}

const PREFIX = "param __set = ";

/** Parses `key=value`; the returned override's spans are offsets into `text`. */
export function parseOverride(text: string, diagnostics: Diagnostic[]): Override | undefined {
  const file = `--set ${text}`;
  const eq = text.indexOf("=");
  const key = eq < 0 ? "" : text.slice(0, eq).trim();
  if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(key)) {
    diagnostics.push(
      diagnostic("RS4007", file, { start: 0, end: text.length }, { text, reason: "expected `name=value` or `block.attribute=value`" }),
    );
    return undefined;
  }
  const valueText = text.slice(eq + 1);
  const parsed = parse(PREFIX + valueText, file);
  const item = parsed.ast.items[0];
  if (parsed.diagnostics.length > 0 || parsed.ast.items.length !== 1 || item?.kind !== "Param") {
    diagnostics.push(
      diagnostic("RS4007", file, { start: eq + 1, end: text.length }, { text, reason: "the value is not a valid recspec value" }),
    );
    return undefined;
  }
  const delta = eq + 1 - PREFIX.length;
  const value = shiftSpans(item.value, delta);
  let offset = 0;
  const parts = key.split(".").map((name) => {
    const start = text.indexOf(name, offset);
    offset = start + name.length;
    return { kind: "Identifier" as const, name, span: { start, end: start + name.length } };
  });
  return { file, text, path: { kind: "Reference", parts, span: { start: 0, end: eq } }, value };
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
