// Completion items for a context (completion-context.ts): declaration keywords, the constructors of
// a block kind, the attributes not yet set (type and default in the detail, the meaning in the
// documentation), enum values, option constructors, metric names, blocks of the kinds a reference
// takes, splits, members and params. Takes the context, the program's names and the range the
// item replaces; gives LSP completion items.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Range } from "vscode-languageserver";
import { constructorsOf } from "../compiler/check/signatures/index.js";
import type { Signature, TypeSpec } from "../compiler/check/types.js";
import { METRICS } from "../compiler/check/values.js";
import { BLOCK_KINDS, type BlockKind } from "../compiler/lexer.js";
import type { CompletionContext } from "./completion-context.js";
import { attributeDetail, attributeMarkdown, ownerWords, signatureMarkdown } from "./describe.js";
import { memberSignature } from "./signature-path.js";
import type { Declared, SymbolIndex } from "./symbol-index.js";

const DECLARATIONS: readonly [string, string, string][] = [
  ["spec", "spec ${1:name}", "the spec's name (first in the file)"],
  ["import", 'import "${1:other.recspec}"', "the declarations of another spec file"],
  ["param", "param ${1:name} = ${2:value}", "a named value, changeable with --set"],
  ...BLOCK_KINDS.map((k): [string, string, string] => [k, `${k} \${1:name} = \${2}`, `a ${k} block`]),
  ["evaluate", "evaluate ${1:model} on ${2:data}.test {\n  metrics = [${3:recall@10}]\n}", "evaluation of a model on a split"],
  ["experiment", "experiment ${1:name} {\n  vary ${2:target} in [${3}]\n}", "a sweep over configurations and seeds"],
];

export function completionItems(context: CompletionContext, index: SymbolIndex, range: Range): CompletionItem[] {
  const items = itemsFor(context, index);
  return items.map((item) => ({ ...item, textEdit: { range, newText: item.insertText ?? item.label } }));
}

function itemsFor(context: CompletionContext, index: SymbolIndex): CompletionItem[] {
  switch (context.kind) {
    case "none":
      return [];
    case "declaration":
      return DECLARATIONS.map(([label, snippet, detail]) => ({
        label,
        kind: CompletionItemKind.Keyword,
        detail,
        insertText: snippet,
        insertTextFormat: InsertTextFormat.Snippet,
      }));
    case "constructor":
      return [...constructorsOf(context.blockKind).values()].map((sig) => constructorItem(sig));
    case "attribute":
      return attributeItems(context, index);
    case "value":
      return valueItems(context.type, index);
    case "member":
      return memberItems(context.path, index, context.expected, context.key === true);
    case "keyword":
      return context.words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword }));
    case "vary-target":
      return [...index.declarations.values()]
        .filter((d) => d.node.kind !== "Experiment")
        .map((d) => ({
          label: d.name,
          kind: d.node.kind === "Param" ? CompletionItemKind.Variable : CompletionItemKind.Class,
          detail: declarationDetail(d.node),
        }));
  }
}

function constructorItem(sig: Signature): CompletionItem {
  return {
    label: sig.name,
    kind: CompletionItemKind.Constructor,
    detail: ownerWords(sig),
    documentation: { kind: MarkupKind.Markdown, value: signatureMarkdown(sig) },
  };
}

function attributeItems(context: Extract<CompletionContext, { kind: "attribute" }>, index: SymbolIndex): CompletionItem[] {
  const separator = context.style === "body" ? " = " : ": ";
  const items: CompletionItem[] = context.sig.attributes
    .filter((a) => !context.set.has(a.name))
    .map((a, i) => ({
      label: a.name,
      kind: CompletionItemKind.Property,
      detail: attributeDetail(a),
      documentation: { kind: MarkupKind.Markdown, value: attributeMarkdown(context.sig, a) },
      insertText: `${a.name}${separator}`,
      // Required attributes first, then the table's order, which is the reference's.
      sortText: `${a.default === undefined ? "0" : "1"}${String(i).padStart(3, "0")}`,
    }));
  if (context.style === "body") {
    for (const nested of context.sig.nested ?? []) {
      if (!context.set.has(nested))
        items.push({
          label: nested,
          kind: CompletionItemKind.Module,
          detail: `${nested} { … }`,
          insertText: `${nested} {\n  $0\n}`,
          insertTextFormat: InsertTextFormat.Snippet,
        });
    }
  }
  if (context.vary) items.push({ label: "vary", kind: CompletionItemKind.Keyword, detail: "vary TARGET in [values]", insertText: "vary " });
  if (context.positional) items.push(...valueItems(context.positional, index));
  return items;
}

function valueItems(type: TypeSpec | undefined, index: SymbolIndex): CompletionItem[] {
  if (type === undefined) return paramItems(index);
  switch (type.kind) {
    case "enum":
      return type.values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember }));
    case "bool":
      return [...["true", "false"].map((v) => ({ label: v, kind: CompletionItemKind.Keyword })), ...paramItems(index)];
    case "option":
      return [...constructorsOf(type.family).values()].map((sig) => ({ ...constructorItem(sig), kind: CompletionItemKind.Function }));
    case "ref":
      return blockItems(index, type.blockKinds, type.member);
    case "model_or_override":
      return blockItems(index, ["model"]);
    case "split":
      return blockItems(index, ["dataset"]).flatMap((item) =>
        ["test", "valid", "train"].map((split) => ({ ...item, label: `${item.label}.${split}`, insertText: `${item.label}.${split}` })),
      );
    case "metric":
    case "report":
      return metricItems(type.kind === "metric" && type.allowLoss === true);
    case "list":
      return [];
    default:
      return paramItems(index);
  }
}

function metricItems(allowLoss: boolean): CompletionItem[] {
  const items: CompletionItem[] = Object.entries(METRICS).map(([name, cutoff]) => ({
    label: name,
    kind: CompletionItemKind.Value,
    detail: cutoff === "k" ? `${name}@K` : cutoff === "optional-k" ? `${name} or ${name}@K` : name,
    insertText: cutoff === "no-k" ? name : `${name}@\${1:10}`,
    insertTextFormat: InsertTextFormat.Snippet,
  }));
  if (allowLoss) items.push({ label: "loss", kind: CompletionItemKind.Value, detail: "the validation loss" });
  return items;
}

function blockItems(index: SymbolIndex, kinds: readonly BlockKind[], member?: string): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const d of index.declarations.values()) {
    if (d.node.kind !== "Block" || !kinds.includes(d.node.blockKind)) continue;
    const label = member ? `${d.name}.${member}` : d.name;
    items.push({ label, kind: CompletionItemKind.Reference, detail: declarationDetail(d.node), insertText: label });
  }
  return items;
}

function paramItems(index: SymbolIndex): CompletionItem[] {
  return [...index.declarations.values()]
    .filter((d) => d.node.kind === "Param")
    .map((d) => ({ label: d.name, kind: CompletionItemKind.Variable, detail: declarationDetail(d.node) }));
}

/**
 * After `name.`: a data set's members (`beauty.test`; only splits where a split is expected, only
 * the member a reference takes), else the attributes a dotted key may reach.
 */
function memberItems(path: readonly string[], index: SymbolIndex, expected: TypeSpec | undefined, key: boolean): CompletionItem[] {
  let sig = path.length > 0 ? index.blockSignature(path[0]) : undefined;
  if (sig?.members && path.length === 1 && !key) {
    const fits = (name: string) =>
      expected?.kind === "split" ? name !== "items" : expected?.kind === "ref" && expected.member ? name === expected.member : true;
    return Object.entries(sig.members)
      .filter(([name]) => fits(name))
      .map(([name, what]) => ({ label: name, kind: CompletionItemKind.Field, detail: what }));
  }
  for (const part of path.slice(1)) sig = sig && memberSignature(sig, part);
  if (!sig) return [];
  const items: CompletionItem[] = sig.attributes.map((a) => ({ label: a.name, kind: CompletionItemKind.Property, detail: attributeDetail(a) }));
  for (const nested of sig.nested ?? []) items.push({ label: nested, kind: CompletionItemKind.Module, detail: `${nested} { … }` });
  return items;
}

function declarationDetail(node: Declared["node"]): string {
  if (node.kind === "Block") return `${node.blockKind} = ${node.constructorName.name}`;
  if (node.kind === "Param") return `param = ${"raw" in node.value ? node.value.raw : node.value.kind === "Bool" ? String(node.value.value) : "…"}`;
  return "experiment";
}
