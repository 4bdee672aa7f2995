// Hover text. Takes a document's text, an offset, the program's names and its analysis; gives
// Markdown: for an attribute key its type, range, default and meaning (describe.ts, from the tables
// of docs/reference.md); for a constructor or option its meaning and attributes; for a name that
// refers to a block or param its declaration and, when the spec checks, its inferred shapes.
import type { IToken } from "chevrotain";
import type { Analysis } from "../compiler/check/index.js";
import { signatureOf } from "../compiler/check/signatures/index.js";
import type { Signature } from "../compiler/check/types.js";
import { Colon, Dot, Equals, keywordTokens as kw, lex, LBrace, LParen } from "../compiler/lexer.js";
import { splitDeclarations } from "../compiler/parse.js";
import { attributeMarkdown, signatureMarkdown } from "./describe.js";
import { expectedType, isName, isType, referenceBefore, scan } from "./scan.js";
import { attributeAt, elementType } from "./signature-path.js";
import type { Declared, SymbolIndex } from "./symbol-index.js";

export interface HoverResult {
  readonly markdown: string;
  readonly start: number;
  readonly end: number;
}

export function hoverAt(
  text: string,
  file: string,
  offset: number,
  index: SymbolIndex,
  analysis: Analysis | null,
  textOf: (file: string) => string | undefined,
): HoverResult | undefined {
  const tokens = lex(text).tokens;
  const at = tokens.findIndex((t) => t.startOffset <= offset && offset < t.startOffset + t.image.length);
  const token = tokens[at];
  if (!token || !isName(token)) return undefined;
  const found = (markdown: string | undefined): HoverResult | undefined =>
    markdown === undefined ? undefined : { markdown, start: token.startOffset, end: token.startOffset + token.image.length };

  const named = index.nameAt(file, offset);
  if (named) {
    const decl = index.declarations.get(named.name);
    if (decl) return found(declarationMarkdown(decl, textOf(decl.file) ?? "", analysis));
  }
  const chunks = splitDeclarations(tokens.slice(0, at + 1));
  const chunk = chunks[chunks.length - 1];
  return found(roleMarkdown(chunk, tokens[at + 1], index));
}

/** What the last token of `chunk` is, from the tokens around it, and its description. */
function roleMarkdown(chunk: IToken[], next: IToken | undefined, index: SymbolIndex): string | undefined {
  const i = chunk.length - 1;
  const token = chunk[i];
  const prev = chunk[i - 1];
  const { stack, blockKind } = scan(chunk.slice(0, i), index);
  const frame = stack[stack.length - 1];
  const path = referenceBefore(chunk, i + 1);
  // A member after a dot: `beauty.test`, in a value or in an evaluate's header.
  if (isType(prev, Dot) && !isType(next, Equals)) {
    const owner = index.blockSignature(path[0]);
    const what = path.length === 2 ? owner?.members?.[token.image] : undefined;
    if (what) return `**${path.join(".")}** — ${what}`;
  }
  if (frame === undefined) {
    const sig = blockKind && i === 3 ? signatureOf(blockKind, token.image) : undefined;
    return sig && signatureMarkdown(sig);
  }
  if (frame.kind === "body" && frame.sig && isKey(chunk, path.length, next)) {
    const first = chunk[i - 2 * (path.length - 1) - 1];
    // `vary tiger.ids in …`: the path starts at a block, not at the body's signature.
    if (isType(first, kw.vary)) {
      const sig = index.blockSignature(path[0]);
      return sig && path.length > 1 ? attributeText(sig, path.slice(1)) : undefined;
    }
    if (isType(next, LBrace) && frame.sig.nested?.includes(token.image) && path.length === 1) {
      const nested = signatureOf(token.image as "train", token.image);
      return nested && signatureMarkdown(nested);
    }
    return attributeText(frame.sig, path);
  }
  if (frame.kind === "call" && isType(next, Colon) && frame.sig) return attributeText(frame.sig, [token.image]);
  // A value: an option's constructor (`softmax`, `adam(…)`), or a slice after `by`.
  const expected = isType(prev, kw.by) ? ({ kind: "option", family: "slice" } as const) : elementType(expectedType(frame));
  if (expected?.kind === "option") {
    const sig = signatureOf(expected.family, token.image);
    return sig && signatureMarkdown(sig);
  }
  return undefined;
}

/** Whether the last `parts` names of `chunk` are a body item's key: followed by `=`, `.` or `{`, not after `=`. */
function isKey(chunk: IToken[], parts: number, next: IToken | undefined): boolean {
  const before = chunk[chunk.length - 2 * parts];
  if (isType(before, Equals) || isType(before, Colon) || isType(before, LParen)) return false;
  return isType(next, Equals) || isType(next, Dot) || isType(next, LBrace) || isType(next, kw.in);
}

function attributeText(sig: Signature, path: string[]): string | undefined {
  const end = attributeAt(sig, path);
  return end?.attribute && attributeMarkdown(end.owner, end.attribute);
}

/** A declaration as written (its header, or a param's whole line), then its shapes from the analysis. */
function declarationMarkdown(decl: Declared, text: string, analysis: Analysis | null): string {
  const node = decl.node;
  const end = node.kind === "Block" && node.body ? node.body.span.start : node.kind === "Experiment" ? node.body.span.start : node.span.end;
  const header = text.slice(node.span.start, end).replace(/\s+/g, " ").trim().slice(0, 300);
  const out = ["```recspec", header, "```"];
  const derived = analysis?.blocks.find((b) => b.block.name === decl.name);
  if (derived) {
    if (derived.facts.output !== undefined)
      out.push("", `output: ${derived.facts.output} per ${node.kind === "Block" && node.blockKind === "features" ? "item" : "vector"}`);
    const shapes = Object.entries(derived.shapes).map(([name, dims]) => `- \`${name}\`: [${dims.join(", ")}]`);
    if (shapes.length > 0) out.push("", "shapes:", ...shapes);
  } else if (node.kind === "Param" && analysis && decl.name in analysis.params) {
    out.push("", `value: ${JSON.stringify(analysis.params[decl.name])}`);
  }
  return out.join("\n");
}
