// Phase 1, parse: text → AST and syntax diagnostics (1xxx). Lexes, drops tokens that are errors in
// themselves (stray characters, unterminated strings and comments) into diagnostics, parses with
// recovery, builds the AST. Never throws on user input.
import { EOF, tokenMatcher, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type { Span, SpecFile, TopItem } from "./ast.js";
import { AstBuilder } from "./build-ast.js";
import { diagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import {
  At,
  BLOCK_KINDS,
  Colon,
  Comma,
  Dot,
  Equals,
  keywordTokens as kw,
  LBrace,
  LBracket,
  LParen,
  lex,
  Name,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
  UnterminatedComment,
  UnterminatedString,
} from "./lexer.js";
import { parseTokens, RULE_DESCRIPTIONS } from "./parser.js";

export interface ParseOutput {
  ast: SpecFile;
  diagnostics: Diagnostic[];
}

export function parse(text: string, file: string): ParseOutput {
  const diagnostics: Diagnostic[] = [];
  const { tokens, comments, invalid } = lex(text);

  for (const bad of invalid) {
    const char = text.slice(bad.offset, bad.offset + bad.length);
    diagnostics.push(
      diagnostic("RS1001", file, { start: bad.offset, end: bad.offset + bad.length }, { char: char.trim() || char }),
    );
  }
  const good: IToken[] = [];
  for (const t of tokens) {
    const span = { start: t.startOffset, end: t.startOffset + t.image.length };
    if (t.tokenType === UnterminatedString) diagnostics.push(diagnostic("RS1002", file, span));
    else if (t.tokenType === UnterminatedComment) diagnostics.push(diagnostic("RS1003", file, span));
    else {
      if (t.tokenType === StringLiteral) checkEscapes(t, file, diagnostics);
      good.push(t);
    }
  }

  // Each declaration is parsed on its own, so a mistake in one never swallows the next.
  const builder = new AstBuilder(file);
  const items: TopItem[] = [];
  const chunks = splitDeclarations(good);
  const lexErrorLines = new Set(invalid.map((bad) => lineOf(text, bad.offset)));
  chunks.forEach((chunk, index) => {
    const { cst, errors } = parseTokens(chunk);
    const next = chunks[index + 1]?.[0];
    for (const d of syntaxErrors(errors, chunk, next, text, file)) {
      // A stray character already explains the rest of its line; don't pile errors on it.
      if (!lexErrorLines.has(lineOf(text, d.span.start))) diagnostics.push(d);
    }
    items.push(...builder.build(cst, [], text.length).items);
  });
  const ast: SpecFile = { ...builder.build(parseTokens([]).cst, comments, text.length), items };
  diagnostics.push(...builder.diagnostics, ...specNameRules(ast, file));
  return { ast, diagnostics: sortDiagnostics(dedupe(diagnostics)) };
}

const DECLARATION_KEYWORDS = new Set<TokenType>([
  kw.spec,
  kw.import,
  kw.param,
  ...BLOCK_KINDS.map((k) => kw[k]),
  kw.evaluate,
  kw.experiment,
]);

/**
 * Splits the token stream into declarations. A declaration keyword starts a new one at nesting depth 0,
 * or at column 1 when it is followed by the shape of a declaration (so a missing `}` is reported at
 * the next declaration instead of hiding the rest of the file).
 */
export function splitDeclarations(tokens: IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;
  tokens.forEach((t, i) => {
    const startsDeclaration =
      current.length > 0 &&
      DECLARATION_KEYWORDS.has(t.tokenType) &&
      ((depth === 0 && !CONTINUATIONS.has(tokens[i - 1].tokenType)) ||
        (t.startColumn === 1 && looksLikeDeclaration(tokens, i)));
    if (startsDeclaration) {
      chunks.push(current);
      current = [];
      depth = 0;
    }
    current.push(t);
    if (OPENERS.has(t.tokenType)) depth++;
    else if (CLOSERS.has(t.tokenType)) depth = Math.max(0, depth - 1);
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const OPENERS = new Set<TokenType>([LBrace, LParen, LBracket]);
const CLOSERS = new Set<TokenType>([RBrace, RParen, RBracket]);
/** After these a keyword is a value or a name (`= distill(…)`, `spec distill`), not a declaration. */
const CONTINUATIONS = new Set<TokenType>([Equals, Colon, Dot, Comma, At, kw.on, kw.vary, ...DECLARATION_KEYWORDS]);

function looksLikeDeclaration(tokens: IToken[], i: number): boolean {
  const next = tokens[i + 1];
  const after = tokens[i + 2];
  if (!next) return false;
  const t = tokens[i].tokenType;
  if (t === kw.import) return next.tokenType === StringLiteral;
  const named = tokenMatcher(next, Name);
  if (t === kw.spec || t === kw.evaluate || t === kw.experiment) return named;
  return named && after?.tokenType === Equals;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}:${d.span.start}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkEscapes(t: IToken, file: string, out: Diagnostic[]): void {
  const re = /\\(.)/g;
  for (let m = re.exec(t.image); m; m = re.exec(t.image)) {
    if (!'"\\nrt'.includes(m[1])) {
      const start = t.startOffset + m.index;
      out.push(
        diagnostic("RS1006", file, { start, end: start + 2 }, { escape: m[0] }, {
          help: 'strings know `\\"`, `\\\\`, `\\n`, `\\r` and `\\t`',
        }),
      );
    }
  }
}

/**
 * One diagnostic per syntax error of a declaration; errors the parser raised at the same token are one
 * mistake. The end of a declaration is shown as the next declaration's first token, or end of file.
 */
function syntaxErrors(
  errors: IRecognitionException[],
  chunk: IToken[],
  next: IToken | undefined,
  text: string,
  file: string,
): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const atEnd = e.token.tokenType === EOF || !(e.token.startOffset >= 0);
    const span = atEnd ? endSpan(next, text) : tokenSpan(e.token);
    if (seen.has(span.start)) continue;
    seen.add(span.start);
    let message = e.message;
    if (atEnd && next) message = message.replace(/found end of file$/, `found \`${next.image}\``);
    if (e.context.ruleStack.length <= 1 && /^expected end of file/.test(message)) {
      message = message.replace(/^expected end of file/, `expected ${RULE_DESCRIPTIONS.topItem}`);
    }
    const unclosed = /^expected `\}`/.test(message) ? unclosedBrace(chunk) : undefined;
    out.push(
      diagnostic("RS1004", file, span, { message }, {
        labels: unclosed ? [{ file, span: tokenSpan(unclosed), message: "this `{` is not closed" }] : [],
      }),
    );
  }
  return out;
}

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: token.startOffset + Math.max(1, token.image.length) };
}

function endSpan(next: IToken | undefined, text: string): Span {
  if (next) return tokenSpan(next);
  const end = text.trimEnd().length;
  return { start: end, end };
}

/** The innermost `{` of a declaration left open at its end. */
function unclosedBrace(chunk: IToken[]): IToken | undefined {
  const open: IToken[] = [];
  for (const t of chunk) {
    if (t.tokenType === LBrace) open.push(t);
    else if (t.tokenType === RBrace) open.pop();
  }
  return open[open.length - 1];
}

/** `spec NAME` is optional, but when present it comes first and once. */
function specNameRules(ast: SpecFile, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let seen = false;
  ast.items.forEach((item, index) => {
    if (item.kind !== "SpecName") return;
    if (seen) out.push(diagnostic("RS1008", file, item.span, { name: item.name.name }));
    else if (index > 0) out.push(diagnostic("RS1007", file, item.span, { name: item.name.name }));
    seen = true;
  });
  return out;
}
