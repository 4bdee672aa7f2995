// Phase 1, parse: text → AST and syntax diagnostics (1xxx). Lexes, drops tokens that are errors in
// themselves (stray characters, unterminated strings and comments) into diagnostics, parses with
// recovery, builds the AST. Never throws on user input.
import type { IRecognitionException, IToken } from "chevrotain";
import type { Span, SpecFile } from "./ast.js";
import { AstBuilder } from "./build-ast.js";
import { diagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { lex, StringLiteral, UnterminatedComment, UnterminatedString } from "./lexer.js";
import { parseTokens } from "./parser.js";

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

  const { cst, errors } = parseTokens(good);
  diagnostics.push(...syntaxErrors(errors, text, file));

  const builder = new AstBuilder(file);
  const ast = builder.build(cst, comments, text.length);
  diagnostics.push(...builder.diagnostics, ...specNameRules(ast, file));
  return { ast, diagnostics: sortDiagnostics(diagnostics) };
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

/** One diagnostic per syntax error; errors the parser raised at the same token are one mistake. */
function syntaxErrors(errors: IRecognitionException[], text: string, file: string): Diagnostic[] {
  const seen = new Set<number>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const span = errorSpan(e.token, text);
    if (seen.has(span.start)) continue;
    seen.add(span.start);
    out.push(diagnostic("RS1004", file, span, { message: e.message }));
  }
  return out;
}

function errorSpan(token: IToken, text: string): Span {
  if (!Number.isFinite(token.startOffset)) {
    // End of file: point just past the last non-blank character.
    const end = text.trimEnd().length;
    return { start: end, end: end + 1 };
  }
  return { start: token.startOffset, end: token.startOffset + Math.max(1, token.image.length) };
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
