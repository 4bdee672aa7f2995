// Printing values. Takes an expression, the comment attachments, the current line's indentation and
// column, and gives its text: on one line when it has no comments and fits the width, otherwise
// broken at its outermost brackets, one element or argument per line.
import type { Argument, Call, Expr, ListExpr, Reference } from "../ast.js";
import type { Attachments } from "./attach-comments.js";
import { commentText, INDENT, lastLineLength, WIDTH, withTrailing } from "./layout.js";
import { flatBody, printBody } from "./print-body.js";

export function printReference(ref: Reference): string {
  return ref.parts.map((p) => p.name).join(".");
}

/** True when any comment is attached to a container's elements or its end: it must be broken. */
function hasComments(att: Attachments, key: object, elements: readonly object[]): boolean {
  return att.head.has(key) || att.dangling.has(key) || elements.some((e) => att.leading.has(e) || att.trailing.has(e));
}

/** The one-line text of `e`, or null when it holds comments or something always multi-line. */
export function flatExpr(att: Attachments, e: Expr): string | null {
  switch (e.kind) {
    case "Number":
      return e.raw;
    case "String":
      return e.raw;
    case "Bool":
      return e.value ? "true" : "false";
    case "Reference":
      return printReference(e);
    case "Metric":
      return `${e.name.name}@${e.k.raw}`;
    case "List": {
      if (hasComments(att, e, e.items)) return null;
      const items = e.items.map((item) => flatExpr(att, item));
      return items.every((s) => s !== null) ? `[${items.join(", ")}]` : null;
    }
    case "Call": {
      const args = flatArgs(att, e, e.args);
      return args === null ? null : printReference(e.callee) + args;
    }
    case "Override": {
      const base = flatExpr(att, e.base);
      const body = flatBody(att, e.body);
      return base === null || body === null ? null : `${base} ${body}`;
    }
    case "By": {
      const value = flatExpr(att, e.value);
      const by = flatExpr(att, e.by);
      return value === null || by === null ? null : `${value} by ${by}`;
    }
  }
}

/** `(a, k: v)` on one line, or null when a comment or a multi-line value is inside. */
export function flatArgs(att: Attachments, key: object, args: readonly Argument[]): string | null {
  if (hasComments(att, key, args)) return null;
  const parts = args.map((a) => {
    const value = flatExpr(att, a.value);
    return value === null ? null : (a.name ? `${a.name.name}: ` : "") + value;
  });
  return parts.every((s) => s !== null) ? `(${parts.join(", ")})` : null;
}

/**
 * Prints `e` starting at column `col` of a line indented by `indent`; `tail` counts the characters
 * that will follow it on its last line (a `,` or ` {`), so they are kept within the width too.
 */
export function printExpr(att: Attachments, e: Expr, indent: string, col: number, tail: number): string {
  const flat = flatExpr(att, e);
  if (flat !== null && col + flat.length + tail <= WIDTH) return flat;
  switch (e.kind) {
    case "List":
      return printList(att, e, indent);
    case "Call":
      return printCall(att, e, indent, col, tail);
    case "Override": {
      const base = printExpr(att, e.base, indent, col, tail + 2);
      const bodyCol = (base.includes("\n") ? lastLineLength(base) : col + base.length) + 1;
      const inline = flatBody(att, e.body);
      const body = inline !== null && bodyCol + inline.length + tail <= WIDTH ? inline : printBody(att, e.body, indent);
      return `${base} ${body}`;
    }
    case "By": {
      const byFlat = flatExpr(att, e.by);
      const value = printExpr(att, e.value, indent, col, 4 + (byFlat?.length ?? 0) + tail);
      const byCol = (value.includes("\n") ? lastLineLength(value) : col + value.length) + 4;
      return `${value} by ${printExpr(att, e.by, indent, byCol, tail)}`;
    }
    default:
      // Literals, references and metrics have no place to break.
      return flat ?? "";
  }
}

function printList(att: Attachments, list: ListExpr, indent: string): string {
  const inner = indent + INDENT;
  return printSequence(att, "[", "]", list, list.items, indent, (item, tail) => printExpr(att, item, inner, inner.length, tail));
}

function printCall(att: Attachments, call: Call, indent: string, col: number, tail: number): string {
  const callee = printReference(call.callee);
  return callee + printArgs(att, call, call.args, indent, col + callee.length, tail);
}

/** An argument list at `col`: `(a, k: v)` when it fits, else one argument per line. */
export function printArgs(att: Attachments, key: object, args: readonly Argument[], indent: string, col: number, tail: number): string {
  const flat = flatArgs(att, key, args);
  if (flat !== null && col + flat.length + tail <= WIDTH) return flat;
  const inner = indent + INDENT;
  return printSequence(att, "(", ")", key, args, indent, (arg, argTail) => {
    const name = arg.name ? `${arg.name.name}: ` : "";
    return name + printExpr(att, arg.value, inner, inner.length + name.length, argTail);
  });
}

/** Broken layout shared by lists and argument lists: one element per line, comments around them. */
function printSequence<T extends object>(
  att: Attachments,
  open: string,
  close: string,
  key: object,
  elements: readonly T[],
  indent: string,
  printElement: (element: T, tail: number) => string,
): string {
  const inner = indent + INDENT;
  const lines: string[] = [];
  elements.forEach((element, i) => {
    for (const c of att.leading.get(element) ?? []) lines.push(inner + commentText(c));
    const last = i === elements.length - 1;
    const text = printElement(element, last ? 0 : 1) + (last ? "" : ",");
    lines.push(inner + withTrailing(text, att.trailing.get(element)));
  });
  for (const c of att.dangling.get(key) ?? []) lines.push(inner + commentText(c));
  const opening = withTrailing(open, att.head.get(key));
  if (lines.length === 0 && opening === open) return open + close;
  return `${opening}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}${indent}${close}`;
}
