// The recspec lexer: turns spec text into chevrotain tokens. The same keyword and token lists feed
// the editor grammar (grammar/) and its test, which checks that every keyword is highlighted.
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";

/** Any word usable as a name: identifiers and every keyword (keys like `model = …` stay legal). */
export const Name = createToken({ name: "Name", pattern: Lexer.NA });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
});

/** Words that cannot be names: they begin or join values, where a name would be ambiguous. */
const VALUE_WORDS = new Set(["true", "false", "by"]);

function keyword(word: string): TokenType {
  return createToken({
    name: word[0].toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: VALUE_WORDS.has(word) ? [] : [Name],
    label: `\`${word}\``,
  });
}

/** Block kinds that introduce `KIND NAME = CONSTRUCTOR(...) { ... }` declarations. */
export const BLOCK_KINDS = ["dataset", "features", "tower", "quantizer", "model", "distill"] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** Every reserved word of the language, in the order the lexer tries them. */
export const KEYWORDS = ["spec", "import", "param", ...BLOCK_KINDS, "evaluate", "on", "experiment", "vary", "in", "by", "true", "false"] as const;
export type Keyword = (typeof KEYWORDS)[number];

export const keywordTokens = Object.fromEntries(KEYWORDS.map((k) => [k, keyword(k)])) as Record<Keyword, TokenType>;
export const BlockKindToken = createToken({ name: "BlockKindToken", pattern: Lexer.NA });
for (const kind of BLOCK_KINDS) {
  const token = keywordTokens[kind];
  token.CATEGORIES!.push(BlockKindToken);
}

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
  line_breaks: true,
});
/** A `/*` with no closing `*\/`: lexed as one token so the error can say exactly that. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  line_breaks: true,
});
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/,
  label: "a string",
});
/** A string that reaches the end of its line without a closing quote. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n\r]|\\.)*/,
});
/** Numbers: `42`, `-1`, `200_000`, `1e-3`, `0.25`. Underscores separate digit groups. */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?\d(?:_?\d)*(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d+)?/,
  label: "a number",
});
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "`=`" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "`:`" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "`.`" });
export const At = createToken({ name: "At", pattern: /@/, label: "`@`" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "`(`" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "`)`" });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "`{`" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "`}`" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "`[`" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "`]`" });

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  ...KEYWORDS.map((k) => keywordTokens[k]),
  Identifier,
  Name,
  BlockKindToken,
  Equals,
  Colon,
  Comma,
  Dot,
  At,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
];

export const specLexer = new Lexer(allTokens, {
  positionTracking: "full",
  ensureOptimizations: false,
});

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  /** Characters no token matches: offset and length of each run. */
  invalid: { offset: number; length: number }[];
}

/** Splits text into tokens and comments; never throws. */
export function lex(text: string): LexResult {
  const result = specLexer.tokenize(text);
  return {
    tokens: result.tokens,
    comments: result.groups.comments ?? [],
    invalid: result.errors.map((e) => ({ offset: e.offset, length: e.length })),
  };
}
