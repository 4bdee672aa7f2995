// The outline (document symbols): each declaration of a file with its kind, and inside a block the
// attributes of its body and its nested blocks. Takes the parsed file and a span → range function;
// gives LSP DocumentSymbols.
import { SymbolKind, type DocumentSymbol, type Range } from "vscode-languageserver";
import type { Body, Span, SpecFile, TopItem } from "../compiler/ast.js";

type ToRange = (span: Span) => Range;

export function documentSymbols(ast: SpecFile, range: ToRange): DocumentSymbol[] {
  return ast.items.flatMap((item) => {
    const symbol = topSymbol(item, range);
    return symbol ? [symbol] : [];
  });
}

function topSymbol(item: TopItem, range: ToRange): DocumentSymbol | undefined {
  const make = (name: string, detail: string, kind: SymbolKind, selection: Span, body: Body | null): DocumentSymbol => ({
    name,
    detail,
    kind,
    range: range(item.span),
    selectionRange: range(selection),
    children: body ? bodySymbols(body, range) : [],
  });
  switch (item.kind) {
    case "Block":
      return make(
        item.name.name,
        `${item.blockKind} = ${item.constructorName.name}`,
        item.blockKind === "dataset" ? SymbolKind.Struct : SymbolKind.Class,
        item.name.span,
        item.body,
      );
    case "Param":
      return make(item.name.name, "param", SymbolKind.Constant, item.name.span, null);
    case "Experiment":
      return make(item.name.name, "experiment", SymbolKind.Event, item.name.span, item.body);
    case "Evaluate": {
      const name = `evaluate ${item.model.parts.map((p) => p.name).join(".")} on ${item.split.parts.map((p) => p.name).join(".")}`;
      return make(name, "evaluate", SymbolKind.Function, item.model.span, item.body);
    }
    case "SpecName":
      return make(item.name.name, "spec", SymbolKind.File, item.name.span, null);
    default:
      return undefined;
  }
}

function bodySymbols(body: Body, range: ToRange): DocumentSymbol[] {
  return body.items.map((item) => {
    if (item.kind === "NestedBlock") {
      return {
        name: item.name.name,
        kind: SymbolKind.Namespace,
        range: range(item.span),
        selectionRange: range(item.name.span),
        children: bodySymbols(item.body, range),
      };
    }
    const name = item.target.parts.map((p) => p.name).join(".");
    return { name: item.kind === "Vary" ? `vary ${name}` : name, kind: SymbolKind.Property, range: range(item.span), selectionRange: range(item.target.span) };
  });
}
