// What may be written at a position: a declaration keyword, a constructor of a block kind, an
// attribute of the current block or call, a value of a type, a member after a dot. Takes the text
// and an offset (the text need not parse: only the tokens of the declaration up to the position
// are read) and a resolver of block names; gives the context and where the word being typed starts.
import type { IToken } from "chevrotain";
import type { Signature, TypeSpec } from "../compiler/check/types.js";
import {
  At,
  Colon,
  Comma,
  Dot,
  Equals,
  keywordTokens as kw,
  lex,
  LBracket,
  LParen,
  UnterminatedComment,
  UnterminatedString,
  type BlockKind,
} from "../compiler/lexer.js";
import { splitDeclarations } from "../compiler/parse.js";
import { expectedType, isName, isType, positionals, referenceBefore, scan, type Resolver } from "./scan.js";
import { elementType } from "./signature-path.js";

export type CompletionContext =
  | { readonly kind: "none" }
  | { readonly kind: "declaration" }
  | { readonly kind: "constructor"; readonly blockKind: BlockKind }
  | {
      readonly kind: "attribute";
      readonly sig: Signature;
      readonly set: ReadonlySet<string>;
      readonly style: "body" | "call";
      /** In a call: the type of the positional argument that may come here. */
      readonly positional?: TypeSpec;
      /** In an experiment's body: `vary` may start an item. */
      readonly vary: boolean;
    }
  | { readonly kind: "value"; readonly type: TypeSpec | undefined }
  /**
   * After `name.`: `expected` is the type of the value the reference is (a split after `on`);
   * `key` is set where the path names an attribute to change (`vary beauty.cold_start`).
   */
  | { readonly kind: "member"; readonly path: readonly string[]; readonly expected?: TypeSpec; readonly key?: boolean }
  | { readonly kind: "keyword"; readonly words: readonly string[] }
  | { readonly kind: "vary-target" };

export interface Located {
  readonly context: CompletionContext;
  /** Offset of the start of the word the cursor is in (the cursor itself when there is none). */
  readonly wordStart: number;
}

const NONE: CompletionContext = { kind: "none" };
const SLICE: TypeSpec = { kind: "option", family: "slice" };

export function completionContext(text: string, offset: number, resolver: Resolver): Located {
  const before = text.slice(0, offset);
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  const wordStart = word ? word.index : offset;
  const located = (context: CompletionContext): Located => ({ context, wordStart });
  // `1e` is a number being written, not a name.
  if (/[0-9]$/.test(text.slice(0, wordStart))) return located(NONE);

  const { tokens, comments } = lex(text.slice(0, wordStart));
  const lastComment = comments[comments.length - 1];
  const inLineComment = lastComment !== undefined && lastComment.image.startsWith("//") && lastComment.startOffset + lastComment.image.length === wordStart;
  const lastToken = tokens[tokens.length - 1];
  if (inLineComment || isType(lastToken, UnterminatedString) || isType(lastToken, UnterminatedComment)) return located(NONE);

  const good = tokens.filter((t) => !isType(t, UnterminatedString) && !isType(t, UnterminatedComment));
  const chunks = splitDeclarations(good);
  const chunk = chunks[chunks.length - 1] ?? [];
  const lineStart = text.lastIndexOf("\n", wordStart - 1) + 1;
  const lineBlank = text.slice(lineStart, wordStart).trim() === "";
  return located(decide(chunk, lineBlank, resolver));
}

function decide(chunk: readonly IToken[], lineBlank: boolean, resolver: Resolver): CompletionContext {
  if (chunk.length === 0) return { kind: "declaration" };
  const { stack, blockKind } = scan(chunk, resolver);
  const last = chunk[chunk.length - 1];
  const n = chunk.length;
  const frame = stack[stack.length - 1];

  if (isType(last, Dot)) {
    const path = referenceBefore(chunk, n - 1);
    const before = chunk[n - 2 * path.length - 1];
    if (isType(before, kw.on)) return { kind: "member", path, expected: { kind: "split" } };
    if (isType(before, kw.vary)) return { kind: "member", path, key: true };
    const inValue = isType(before, Equals) || isType(before, Colon) || isType(before, LBracket) || isType(before, Comma) || isType(before, LParen);
    return { kind: "member", path, expected: inValue ? elementType(expectedType(frame)) : undefined };
  }
  if (isType(last, kw.by)) return { kind: "value", type: SLICE };
  if (isType(last, At)) return NONE;

  if (frame === undefined) {
    const first = chunk[0];
    if (blockKind) {
      if (n === 3 && isType(last, Equals)) return { kind: "constructor", blockKind };
      return lineBlank && n > 3 ? { kind: "declaration" } : NONE;
    }
    if (isType(first, kw.evaluate)) {
      if (n === 1) return { kind: "value", type: { kind: "ref", blockKinds: ["model", "distill"] } };
      if (n === 2 && isName(last) && !lineBlank) return { kind: "keyword", words: ["on"] };
      if (isType(last, kw.on)) return { kind: "value", type: { kind: "split" } };
    }
    if (isType(last, Equals)) return isType(first, kw.param) ? { kind: "value", type: undefined } : NONE;
    return lineBlank && n > 1 ? { kind: "declaration" } : NONE;
  }

  if (frame.kind === "body") {
    if (isType(last, Equals)) return { kind: "value", type: expectedType(frame) };
    if (isType(last, kw.vary)) return { kind: "vary-target" };
    if (lineBlank && frame.sig) return { kind: "attribute", sig: frame.sig, set: frame.set, style: "body", vary: frame.sig.of === "experiment" };
    return NONE;
  }
  if (frame.kind === "call") {
    if (isType(last, Colon)) return { kind: "value", type: expectedType(frame) };
    if (isType(last, LParen) || isType(last, Comma)) {
      const slot = positionals(frame.sig)[frame.positional];
      const positional = slot === undefined || frame.set.has(slot) ? undefined : frame.sig?.attributes.find((a) => a.name === slot)?.type;
      if (!frame.sig) return { kind: "value", type: undefined };
      return { kind: "attribute", sig: frame.sig, set: frame.set, style: "call", positional, vary: false };
    }
    return NONE;
  }
  if (isType(last, LBracket) || isType(last, Comma)) return { kind: "value", type: frame.elem };
  return NONE;
}
