// Where a position is in a declaration, from the tokens before it: works on text that does not parse
// (the text an editor holds while the user types). Takes the tokens of one declaration up to a
// position and a way to find a block's signature by name; gives the stack of open brackets, each
// with the signature it belongs to, the attributes already set there and the attribute whose value
// is being written. Completion and hover read their context from it.
import { tokenMatcher, type IToken } from "chevrotain";
import { ALL_SIGNATURES, evaluateSignature, experimentSignature, NESTED_SIGNATURES, signatureOf } from "../compiler/check/signatures/index.js";
import type { Signature, TypeSpec } from "../compiler/check/types.js";
import {
  BLOCK_KINDS,
  Colon,
  Comma,
  Dot,
  Equals,
  keywordTokens as kw,
  LBrace,
  LBracket,
  LParen,
  Name,
  RBrace,
  RBracket,
  RParen,
  type BlockKind,
} from "../compiler/lexer.js";
import { attributeAt, elementType } from "./signature-path.js";

/** `{ … }`: a block's body, a nested `train { … }`, an evaluate or experiment body, or an override. */
export interface BodyFrame {
  readonly kind: "body";
  readonly sig: Signature | undefined;
  readonly set: Set<string>;
  /** The target of the last `=` (`encoder.layers`), whose value follows it. */
  current?: string[];
  /** The type of the values of the `vary` being written (after its `in`). */
  varyType?: TypeSpec;
}

/** `f( … )`: a block's constructor arguments or an option's. */
export interface CallFrame {
  readonly kind: "call";
  readonly sig: Signature | undefined;
  readonly set: Set<string>;
  /** The name of the argument being written, when it is named. */
  current?: string;
  /** Positional arguments before the current one. */
  positional: number;
  /** Tokens of the current argument so far. */
  tokens: number;
}

/** `[ … ]`, with the type of its elements when known. */
export interface ListFrame {
  readonly kind: "list";
  readonly elem: TypeSpec | undefined;
}

export type Frame = BodyFrame | CallFrame | ListFrame;

export interface Resolver {
  /** The signature of the block declared as `name`, if any. */
  blockSignature(name: string): Signature | undefined;
}

export interface Scan {
  /** Innermost last. Empty: in the declaration's header (`model x = f`, `evaluate m on d.test`). */
  readonly stack: Frame[];
  readonly tokens: readonly IToken[];
  /** The declaration's block kind when it is a block. */
  readonly blockKind: BlockKind | undefined;
}

export const isName = (t: IToken | undefined): boolean => t !== undefined && tokenMatcher(t, Name);
export const isType = (t: IToken | undefined, type: { name: string }): boolean => t !== undefined && t.tokenType.name === type.name;

/** The positional attributes of a signature, in order. */
export function positionals(sig: Signature | undefined): string[] {
  return (sig?.attributes ?? []).filter((a) => a.positional).map((a) => a.name);
}

/** The type expected where the innermost frame's value is being written. */
export function expectedType(frame: Frame | undefined): TypeSpec | undefined {
  if (!frame) return undefined;
  if (frame.kind === "list") return frame.elem;
  if (frame.kind === "call") {
    const name = frame.current ?? positionals(frame.sig)[frame.positional];
    return frame.sig?.attributes.find((a) => a.name === name)?.type;
  }
  if (frame.varyType) return frame.varyType;
  return frame.sig && frame.current ? attributeAt(frame.sig, frame.current)?.attribute?.type : undefined;
}

/** The reference written just before index `end` (exclusive): `a.b.c` as ["a", "b", "c"]. */
export function referenceBefore(tokens: readonly IToken[], end: number): string[] {
  const parts: string[] = [];
  let j = end - 1;
  while (isName(tokens[j])) {
    parts.unshift(tokens[j].image);
    if (!isType(tokens[j - 1], Dot)) break;
    j -= 2;
  }
  return parts;
}

/** An option constructor by name: in the family expected here, else in any family. */
function optionSignature(name: string, expected: TypeSpec | undefined): Signature | undefined {
  const type = elementType(expected);
  if (type?.kind === "option") return signatureOf(type.family, name);
  return ALL_SIGNATURES.find((s) => s.name === name && !(BLOCK_KINDS as readonly string[]).includes(s.of));
}

export function scan(tokens: readonly IToken[], resolver: Resolver): Scan {
  const stack: Frame[] = [];
  const first = tokens[0];
  const blockKind = first ? BLOCK_KINDS.find((k) => first.tokenType === kw[k]) : undefined;
  // Named arguments and body assignments set the same attributes of a block.
  const headerSet = new Set<string>();
  const headerSig = (): Signature | undefined => {
    if (blockKind) return tokens[3] && isName(tokens[3]) ? signatureOf(blockKind, tokens[3].image) : undefined;
    if (isType(first, kw.evaluate)) return evaluateSignature;
    if (isType(first, kw.experiment)) return experimentSignature;
    return undefined;
  };
  const top = () => stack[stack.length - 1];

  tokens.forEach((t, i) => {
    const frame = top();
    const prev = tokens[i - 1];
    if (frame?.kind === "call" && !isType(t, Comma) && !isType(t, RParen)) frame.tokens++;
    if (isType(t, LParen)) {
      const sig = frame === undefined ? headerSig() : isName(prev) ? calleeSignature(tokens, i, frame) : undefined;
      stack.push({ kind: "call", sig, set: frame === undefined ? headerSet : new Set(), positional: 0, tokens: 0 });
    } else if (isType(t, LBrace)) {
      stack.push(openBody(tokens, i, frame, headerSig, headerSet, resolver));
    } else if (isType(t, LBracket)) {
      stack.push({ kind: "list", elem: elementType(expectedType(frame)) });
    } else if (isType(t, RParen) || isType(t, RBrace) || isType(t, RBracket)) {
      const closed = stack.pop();
      if (closed?.kind === "call" && isType(t, RParen)) endArgument(closed);
      const outer = top();
      if (outer?.kind === "call") outer.tokens++;
    } else if (isType(t, Equals) && frame?.kind === "body") {
      const target = referenceBefore(tokens, i);
      frame.current = target;
      frame.varyType = undefined;
      if (target[0] !== undefined) frame.set.add(target[0]);
    } else if (isType(t, Colon) && frame?.kind === "call" && isName(prev)) {
      frame.current = prev.image;
      frame.set.add(prev.image);
    } else if (isType(t, Comma) && frame?.kind === "call") {
      endArgument(frame);
    } else if (isType(t, kw.in) && frame?.kind === "body") {
      frame.varyType = varyType(referenceBefore(tokens, i), resolver);
    }
  });
  return { stack, tokens, blockKind };
}

/** At the end of an argument: a positional one has set its attribute. */
function endArgument(frame: CallFrame): void {
  if (frame.current === undefined && frame.tokens > 0) {
    const name = positionals(frame.sig)[frame.positional];
    if (name !== undefined) frame.set.add(name);
    frame.positional++;
  }
  frame.current = undefined;
  frame.tokens = 0;
}

/** The signature of the call opened at `tokens[i]`: a slice after `by`, else an option of the expected family. */
function calleeSignature(tokens: readonly IToken[], i: number, frame: Frame): Signature | undefined {
  const name = tokens[i - 1].image;
  if (isType(tokens[i - 2], kw.by)) return signatureOf("slice", name);
  return optionSignature(name, expectedType(frame));
}

function openBody(
  tokens: readonly IToken[],
  i: number,
  frame: Frame | undefined,
  headerSig: () => Signature | undefined,
  headerSet: Set<string>,
  resolver: Resolver,
): BodyFrame {
  if (frame === undefined) return { kind: "body", sig: headerSig(), set: headerSet };
  const prev = tokens[i - 1];
  const beforeName = tokens[i - 2];
  // `train {` at the start of a body item is a nested block; after `=`, `:` or `[` it is an override.
  if (frame.kind === "body" && isName(prev) && !isType(beforeName, Equals) && !isType(beforeName, Dot)) {
    frame.set.add(prev.image);
    return { kind: "body", sig: NESTED_SIGNATURES[prev.image], set: new Set() };
  }
  const base = referenceBefore(tokens, i);
  return { kind: "body", sig: base.length === 1 ? resolver.blockSignature(base[0]) : undefined, set: new Set() };
}

/** The type of each value of `vary block.attr in [ … ]`. */
function varyType(target: string[], resolver: Resolver): TypeSpec | undefined {
  const sig = target.length > 1 ? resolver.blockSignature(target[0]) : undefined;
  return sig ? attributeAt(sig, target.slice(1))?.attribute?.type : undefined;
}
