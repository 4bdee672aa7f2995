// Phase 1, parse: text → AST and syntax diagnostics (1xxx). Lexes, drops tokens that are errors in
// themselves (stray characters, unterminated strings and comments) into diagnostics, parses with
// recovery, builds the AST. Never throws on user input, and costs time in proportion to the input:
// binary or huge texts, nesting past MAX_NESTING and errors past MAX_SYNTAX_DIAGNOSTICS are cut short
// (input-limits.ts).
import { EOF, tokenMatcher, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type { Span, SpecFile, TopItem } from "./ast.js";
import { AstBuilder } from "./build-ast.js";
import { diagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { shorten } from "./diagnostics/excerpt.js";
import { SourceText } from "./diagnostics/source.js";
import { MAX_NESTING, MAX_SYNTAX_DIAGNOSTICS, textProblem, tooDeep } from "./input-limits.js";
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
  // Binary data or a huge file: one diagnostic, and no lexing of what cannot be a spec.
  const problem = textProblem(text);
  if (problem) {
    const span = { start: problem.offset, end: Math.min(text.length, problem.offset + 1) };
    const ast = new AstBuilder(file).build(parseTokens([]).cst, [], text.length);
    return { ast, diagnostics: [diagnostic("RS1009", file, span, { reason: problem.reason }, { help: "give recspec a `.recspec` text file (UTF-8)" })] };
  }
  const diagnostics: Diagnostic[] = [];
  const { tokens, comments, invalid } = lex(text);
  const source = new SourceText(file, text);
  const lineOf = (offset: number) => source.position(offset).line;

  // Only the first stray characters can be among the diagnostics kept; the rest are counted.
  const uncounted = Math.max(0, invalid.length - (MAX_SYNTAX_DIAGNOSTICS + 1));
  for (const bad of invalid.slice(0, MAX_SYNTAX_DIAGNOSTICS + 1)) {
    const char = text.slice(bad.offset, bad.offset + bad.length);
    diagnostics.push(diagnostic("RS1001", file, { start: bad.offset, end: bad.offset + bad.length }, { char: shorten(char.trim() || char) }));
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
  const lexErrorLines = new Set(invalid.map((bad) => lineOf(bad.offset)));
  // Parser errors still worth finding: past the diagnostics shown, parsing stops.
  let budget = MAX_SYNTAX_DIAGNOSTICS + 1;
  let incomplete = false;
  chunks.forEach((chunk, index) => {
    if (budget <= 0) {
      incomplete = true;
      return;
    }
    // The parser recurses once per bracket: a declaration nested deeper than any spec is not parsed.
    const deep = tooDeep(chunk);
    if (deep) {
      diagnostics.push(
        diagnostic(
          "RS1010",
          file,
          tokenSpan(deep),
          { max: MAX_NESTING },
          { help: "a spec's values nest a few levels; close the brackets opened before this one" },
        ),
      );
      return;
    }
    const { cst, errors, abandoned } = parseTokens(chunk, budget);
    budget -= errors.length;
    incomplete ||= abandoned;
    const next = chunks[index + 1]?.[0];
    for (const d of syntaxErrors(errors, chunk, next, text, file)) {
      // A stray character already explains the rest of its line; don't pile errors on it.
      if (!lexErrorLines.has(lineOf(d.span.start))) diagnostics.push(d);
    }
    items.push(...builder.build(cst, [], text.length).items);
  });
  const ast: SpecFile = { ...builder.build(parseTokens([]).cst, comments, text.length), items };
  diagnostics.push(...builder.diagnostics, ...specNameRules(ast, file));
  return { ast, diagnostics: capped(sortDiagnostics(dedupe(diagnostics)), file, incomplete, uncounted) };
}

/**
 * The first MAX_SYNTAX_DIAGNOSTICS diagnostics, then one that counts the rest (with `uncounted` stray
 * characters never made diagnostics; "at least" when the parse stopped early, so not every error was found).
 */
function capped(list: Diagnostic[], file: string, incomplete: boolean, uncounted: number): Diagnostic[] {
  if (list.length <= MAX_SYNTAX_DIAGNOSTICS) return list;
  const rest = list.length - MAX_SYNTAX_DIAGNOSTICS + uncounted;
  const kept = list.slice(0, MAX_SYNTAX_DIAGNOSTICS);
  const count = incomplete ? `at least ${rest}` : String(rest);
  kept.push(diagnostic("RS1011", file, list[MAX_SYNTAX_DIAGNOSTICS].span, { count }, { help: "fix the errors above and check again" }));
  return kept;
}

const DECLARATION_KEYWORDS = new Set<TokenType>([kw.spec, kw.import, kw.param, ...BLOCK_KINDS.map((k) => kw[k]), kw.evaluate, kw.experiment]);

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
      ((depth === 0 && !CONTINUATIONS.has(tokens[i - 1].tokenType)) || (t.startColumn === 1 && looksLikeDeclaration(tokens, i)));
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
        diagnostic(
          "RS1006",
          file,
          { start, end: start + 2 },
          { escape: m[0] },
          {
            help: 'strings know `\\"`, `\\\\`, `\\n`, `\\r` and `\\t`',
          },
        ),
      );
    }
  }
}

/**
 * One diagnostic per syntax error of a declaration; errors the parser raised at the same token are one
 * mistake. The end of a declaration is shown as the next declaration's first token, or end of file.
 */
function syntaxErrors(errors: IRecognitionException[], chunk: IToken[], next: IToken | undefined, text: string, file: string): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const atEnd = e.token.tokenType === EOF || !(e.token.startOffset >= 0);
    const span = atEnd ? endSpan(next, text) : tokenSpan(e.token);
    if (seen.has(span.start)) continue;
    seen.add(span.start);
    let message = e.message;
    if (atEnd && next) message = message.replace(/found end of file$/, `found \`${shorten(next.image)}\``);
    if (e.context.ruleStack.length <= 1 && /^expected end of file/.test(message)) {
      message = message.replace(/^expected end of file/, `expected ${RULE_DESCRIPTIONS.topItem}`);
    }
    const unclosed = /^expected `\}`/.test(message) ? unclosedBrace(chunk) : undefined;
    out.push(
      diagnostic(
        "RS1004",
        file,
        span,
        { message },
        {
          labels: unclosed ? [{ file, span: tokenSpan(unclosed), message: "this `{` is not closed" }] : [],
        },
      ),
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
