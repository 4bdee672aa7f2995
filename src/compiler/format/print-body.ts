// Printing bodies `{ … }`. Takes a Body, the comment attachments and the indentation of the line the
// body opens on, and gives its text: one item per line (a blank line before a nested block), `=` aligned across each run of consecutive
// one-line assignments (and `in` across consecutive one-line `vary` items); or, for an override's
// body, the one-line `{ a = 1  b = 2 }` form when it holds only plain assignments.
import type { Body, BodyItem } from "../ast.js";
import type { Attachments } from "./attach-comments.js";
import { commentText, INDENT, withTrailing } from "./layout.js";
import { flatExpr, printExpr, printReference } from "./print-expr.js";

/** The inline form of an override body, or null when it must be multi-line. */
export function flatBody(att: Attachments, body: Body): string | null {
  if (att.head.has(body) || att.dangling.has(body)) return null;
  const items: string[] = [];
  for (const item of body.items) {
    if (item.kind !== "Assignment" || att.leading.has(item) || att.trailing.has(item)) return null;
    const value = flatExpr(att, item.value);
    if (value === null) return null;
    items.push(`${printReference(item.target)} = ${value}`);
  }
  return items.length === 0 ? "{}" : `{ ${items.join("  ")} }`;
}

/** An item split where alignment pads it (`left` is padded before `op`), or printed whole. */
type Rendered =
  | { readonly align: "Assignment" | "Vary"; readonly left: string; readonly op: string; readonly right: string }
  | { readonly align: null; readonly text: string };

function render(att: Attachments, item: BodyItem, inner: string): Rendered {
  switch (item.kind) {
    case "Assignment": {
      const left = printReference(item.target);
      const right = printExpr(att, item.value, inner, inner.length + left.length + 3, 0);
      return { align: "Assignment", left, op: " = ", right };
    }
    case "Vary": {
      const left = `vary ${printReference(item.target)}`;
      const right = printExpr(att, item.values, inner, inner.length + left.length + 4, 0);
      return { align: "Vary", left, op: " in ", right };
    }
    case "NestedBlock":
      return { align: null, text: `${item.name.name} ${printBody(att, item.body, inner)}` };
  }
}

/** The multi-line form; an empty body without comments is `{}`. */
export function printBody(att: Attachments, body: Body, indent: string): string {
  const inner = indent + INDENT;
  const rendered = body.items.map((item) => render(att, item, inner));
  // Only one-line items align: padding a multi-line value would shift its first line alone.
  const runKind = (r: Rendered) => (r.align !== null && !r.right.includes("\n") ? r.align : null);
  const widths = new Array<number>(rendered.length).fill(0);
  for (let i = 0; i < rendered.length;) {
    const kind = runKind(rendered[i]);
    let j = i + 1;
    while (kind !== null && j < rendered.length && runKind(rendered[j]) === kind) j++;
    const width = Math.max(...rendered.slice(i, j).map((r) => (r.align !== null ? r.left.length : 0)));
    widths.fill(width, i, j);
    i = j;
  }

  const lines: string[] = [];
  body.items.forEach((item, i) => {
    // A nested block (`train { … }`) stands apart from the attributes before it.
    if (item.kind === "NestedBlock" && i > 0) lines.push("");
    for (const c of att.leading.get(item) ?? []) lines.push(inner + commentText(c));
    const r = rendered[i];
    const text = r.align === null ? r.text : r.left.padEnd(widths[i]) + r.op + r.right;
    lines.push(inner + withTrailing(text, att.trailing.get(item)));
  });
  for (const c of att.dangling.get(body) ?? []) lines.push(inner + commentText(c));
  const opening = withTrailing("{", att.head.get(body));
  if (lines.length === 0 && opening === "{") return "{}";
  return `${opening}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}${indent}}`;
}
