// Bounds on what the parser accepts, so that any input (a binary file, a generated monster, a fuzzer's
// output) costs time and memory in proportion to its size and never overflows the stack. Takes the
// text or its tokens; gives the first place a bound is broken, for parse.ts to report.
import type { IToken, TokenType } from "chevrotain";
import { LBrace, LBracket, LParen, RBrace, RBracket, RParen } from "./lexer.js";

/** Brackets (`[`, `(`, `{` together) may nest this deep; real specs nest 4 or 5 levels. */
export const MAX_NESTING = 64;
/** A spec larger than this is not a spec (the examples are under 5 KB); lexing this much takes ~0.3 s. */
export const MAX_SPEC_CHARS = 256 * 1024;
/** Syntax diagnostics kept per file; the rest are counted in one last diagnostic. */
export const MAX_SYNTAX_DIAGNOSTICS = 100;

/** Share of replacement or control characters above which a text is taken for binary data. */
export const BINARY_SHARE = 0.05;
export const BINARY_SAMPLE = 4096;

export interface TextProblem {
  readonly offset: number;
  readonly reason: string;
}

/**
 * Why `text` cannot be a spec at all: a NUL character (no text file has one), bytes that were not
 * UTF-8 or control characters in a large share of its start, or a size beyond MAX_SPEC_CHARS.
 */
export function textProblem(text: string): TextProblem | undefined {
  const nul = text.indexOf("\u0000");
  if (nul >= 0) return { offset: nul, reason: "it contains a NUL byte" };
  if (text.length > MAX_SPEC_CHARS) {
    return { offset: 0, reason: `it has ${text.length} characters, more than the ${MAX_SPEC_CHARS} a spec may have` };
  }
  const sample = Math.min(text.length, BINARY_SAMPLE);
  let odd = 0;
  let first = -1;
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i);
    // U+FFFD is what a UTF-8 decoder leaves for bytes that are not UTF-8.
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) {
      odd++;
      if (first < 0) first = i;
    }
  }
  if (odd > 0 && odd >= sample * BINARY_SHARE) {
    return { offset: first, reason: `${odd} of its first ${sample} characters are control characters or bytes that are not UTF-8` };
  }
  return undefined;
}

const OPENERS = new Set<TokenType>([LBrace, LParen, LBracket]);
const CLOSERS = new Set<TokenType>([RBrace, RParen, RBracket]);

/** The first bracket that opens a level deeper than MAX_NESTING, if any. */
export function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (OPENERS.has(t.tokenType)) {
      depth++;
      if (depth > MAX_NESTING) return t;
    } else if (CLOSERS.has(t.tokenType)) depth = Math.max(0, depth - 1);
  }
  return undefined;
}
