// Python text from IR values for the PyTorch target. Takes numbers, strings, booleans, lists and
// objects; gives Python literals (True/False/None, escaped strings; laid out over lines when long),
// docstring-safe text and class names made only from spec names. Spec names reach Python code only
// as string literals and as those class names (\`SasrecModel\`), which no keyword can be.
import { checkedName, pascal } from "../codegen/names.js";

type Json = number | string | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** A Python literal for a JSON-shaped value (dicts keep their key order). */
export function pyLiteral(value: Json): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pyNumber(value);
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) return `[${value.map((v: Json) => pyLiteral(v)).join(", ")}]`;
  const entries = Object.entries(value as Record<string, Json>).map(([k, v]) => `${pyString(k)}: ${pyLiteral(v)}`);
  return `{${entries.join(", ")}}`;
}

/**
 * pyLiteral laid out for a line \`indent\` spaces in, after \`prefix\` characters of that line (a
 * key): on the line when it fits in \`width\` with \`tail\` after it, else one entry per line at
 * indent + 4, nested the same way, each with a trailing comma (black's layout).
 */
export function pyLiteralBlock(value: Json, indent: number, prefix = 0, tail = ",", width = 99): string {
  const flat = pyLiteral(value);
  if (indent + prefix + flat.length + tail.length <= width || value === null || typeof value !== "object") return flat;
  const inner = indent + 4;
  const entries = Array.isArray(value)
    ? value.map((v: Json) => pyLiteralBlock(v, inner, 0, ",", width))
    : Object.entries(value as Record<string, Json>).map(([k, v]) => `${pyString(k)}: ${pyLiteralBlock(v, inner, pyString(k).length + 2, ",", width)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${entries.map((e) => `${" ".repeat(inner)}${e},`).join("\n")}\n${" ".repeat(indent)}${close}`;
}

/** A number as Python reads it back exactly (JavaScript's shortest round-trip form). */
export function pyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`internal: ${n} has no Python literal here`);
  return String(n);
}

/** A double-quoted Python string: backslashes, quotes and every control or non-ASCII character escaped. */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** Text for a docstring or comment: no quotes that could end it, no line breaks, ASCII only. */
export function pyComment(s: string): string {
  return s
    .replace(/[^\x20-\x7e]/g, "?")
    .replace(/"""/g, "'''")
    .replace(/\\/g, "/");
}

/** A class name for a spec name with a role suffix (`sasrec` → `SasrecModel`). */
export function pyClass(name: string, suffix: string): string {
  return `${pascal(checkedName(name))}${suffix}`;
}
