// Makes ASTs comparable across layouts: takes any AST value and gives a copy without `span` fields,
// with each comment reduced to its kind and text (line comments without trailing blanks, which the
// formatter drops). Two files mean the same when their comparable ASTs are deeply equal.
import type { Comment } from "../../src/compiler/ast.js";

export function comparableAst(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparableAst);
  if (value === null || typeof value !== "object") return value;
  const node = value as Record<string, unknown>;
  if (node.kind === "Comment") {
    const c = node as unknown as Comment;
    return { kind: "Comment", block: c.block, text: c.block ? c.text : c.text.trimEnd() };
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) if (key !== "span") out[key] = comparableAst(child);
  return out;
}
