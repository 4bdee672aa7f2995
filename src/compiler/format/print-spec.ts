// Printing a whole file. Takes a SpecFile (and, optionally, the source it was parsed from, which
// tells same-line trailing comments from comments on their own line) and gives the canonical text
// described in ../format.ts.
import type { SpecFile, TopItem } from "../ast.js";
import { attachComments, type Attachments } from "./attach-comments.js";
import { commentText, withTrailing } from "./layout.js";
import { printBody } from "./print-body.js";
import { printArgs, printExpr, printReference } from "./print-expr.js";

function printItem(att: Attachments, item: TopItem): string {
  switch (item.kind) {
    case "SpecName":
      return `spec ${item.name.name}`;
    case "Import":
      return `import ${item.path.raw}`;
    case "Param": {
      const head = `param ${item.name.name} = `;
      return head + printExpr(att, item.value, "", head.length, 0);
    }
    case "Block": {
      const head = `${item.blockKind} ${item.name.name} = ${item.constructorName.name}`;
      const bodyTail = item.body ? 2 : 0;
      const args = item.args ? printArgs(att, item, item.args, "", head.length, bodyTail) : "";
      return head + args + (item.body ? ` ${printBody(att, item.body, "")}` : "");
    }
    case "Evaluate": {
      const head = `evaluate ${printReference(item.model)} on ${printReference(item.split)}`;
      return head + (item.body ? ` ${printBody(att, item.body, "")}` : "");
    }
    case "Experiment":
      return `experiment ${item.name.name} ${printBody(att, item.body, "")}`;
  }
}

/** Imports sit together, and so do params; every other pair of neighbours has a blank line between. */
function separator(prev: TopItem, next: TopItem): string {
  const grouped = prev.kind === next.kind && (next.kind === "Import" || next.kind === "Param");
  return grouped ? "\n" : "\n\n";
}

export function printSpec(ast: SpecFile, source?: string): string {
  const att = attachComments(ast, source);
  let out = "";
  ast.items.forEach((item, i) => {
    if (i > 0) out += separator(ast.items[i - 1], item);
    for (const c of att.leading.get(item) ?? []) out += commentText(c) + "\n";
    out += withTrailing(printItem(att, item), att.trailing.get(item));
  });
  const end = att.dangling.get(ast) ?? [];
  if (end.length > 0) {
    if (out !== "") out += "\n\n";
    out += end.map(commentText).join("\n");
  }
  return out === "" ? "" : out + "\n";
}
