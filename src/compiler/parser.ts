// The recspec parser: chevrotain CstParser over the lexer's tokens, with error recovery so one pass
// reports every syntax error of a file. Takes tokens, gives a CST and the parse errors.
import "./polyfills.js";
import { CstParser, EOF, type CstNode, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import {
  allTokens,
  At,
  BlockKindToken,
  Colon,
  Comma,
  Dot,
  Equals,
  LBrace,
  LBracket,
  LParen,
  Name,
  NumberLiteral,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
  keywordTokens as kw,
} from "./lexer.js";
import { shorten } from "./diagnostics/excerpt.js";

/** What each rule stands for, in words a user understands ("expected a value, found `}`"). */
export const RULE_DESCRIPTIONS: Record<string, string> = {
  file: "a declaration",
  topItem: "a declaration (`spec`, `import`, `param`, `dataset`, `features`, `tower`, `quantizer`, `model`, `distill`, `evaluate` or `experiment`)",
  bodyItem: "an attribute (`name = value`), a nested block (`name { … }`), `vary` or `}`",
  value: "a value",
  primary: "a value (a number, string, name, list or call)",
  argument: "an argument",
  reference: "a name",
};

function tokenText(token: TokenType): string {
  if (token === EOF) return "end of file";
  if (token === Name) return "a name";
  const label = token.LABEL;
  return label ?? `\`${token.name}\``;
}

function found(actual: IToken): string {
  return actual.tokenType === EOF ? "end of file" : `\`${shorten(actual.image)}\``;
}

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenText(expected)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected a declaration, found ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    return `expected ${RULE_DESCRIPTIONS[ruleName] ?? ruleName}, found ${found(actual[0])}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    return `expected ${RULE_DESCRIPTIONS[ruleName] ?? ruleName}, found ${found(actual[0])}`;
  },
};

/** Thrown from inside the parser when a declaration has used up its error budget. */
class TooManyErrors extends Error {}

type SaveError = (this: CstParser, error: IRecognitionException) => IRecognitionException;
const saveError = (CstParser.prototype as unknown as { SAVE_ERROR: SaveError }).SAVE_ERROR;

class SpecParser extends CstParser {
  /** Errors the current parse may still record; chevrotain's recovery costs much per error. */
  errorsLeft = Infinity;

  constructor() {
    super(allTokens, { recoveryEnabled: true, errorMessageProvider: messages, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  public file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.topItem));
  });

  private topItem = this.RULE("topItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.specDecl) },
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.paramDecl) },
      { ALT: () => this.SUBRULE(this.blockDecl) },
      { ALT: () => this.SUBRULE(this.evaluateDecl) },
      { ALT: () => this.SUBRULE(this.experimentDecl) },
    ]);
  });

  private specDecl = this.RULE("specDecl", () => {
    this.CONSUME(kw.spec);
    this.CONSUME(Name);
  });

  private importDecl = this.RULE("importDecl", () => {
    this.CONSUME(kw.import);
    this.CONSUME(StringLiteral);
  });

  private paramDecl = this.RULE("paramDecl", () => {
    this.CONSUME(kw.param);
    this.CONSUME(Name);
    this.CONSUME(Equals);
    this.SUBRULE(this.value);
  });

  private blockDecl = this.RULE("blockDecl", () => {
    this.CONSUME(BlockKindToken);
    this.CONSUME1(Name, { LABEL: "name" });
    this.CONSUME(Equals);
    this.CONSUME2(Name, { LABEL: "ctor" });
    this.OPTION(() => this.SUBRULE(this.args));
    this.OPTION2(() => this.SUBRULE(this.body));
  });

  private evaluateDecl = this.RULE("evaluateDecl", () => {
    this.CONSUME(kw.evaluate);
    this.SUBRULE1(this.reference, { LABEL: "model" });
    this.CONSUME(kw.on);
    this.SUBRULE2(this.reference, { LABEL: "split" });
    this.OPTION(() => this.SUBRULE(this.body));
  });

  private experimentDecl = this.RULE("experimentDecl", () => {
    this.CONSUME(kw.experiment);
    this.CONSUME(Name);
    this.SUBRULE(this.body);
  });

  private body = this.RULE("body", () => {
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.bodyItem));
    this.CONSUME(RBrace);
  });

  private bodyItem = this.RULE("bodyItem", () => {
    this.OR([{ ALT: () => this.SUBRULE(this.vary) }, { ALT: () => this.SUBRULE(this.nestedBlock) }, { ALT: () => this.SUBRULE(this.assignment) }]);
  });

  private vary = this.RULE("vary", () => {
    this.CONSUME(kw.vary);
    this.SUBRULE(this.reference);
    this.CONSUME(kw.in);
    this.SUBRULE(this.list);
  });

  private nestedBlock = this.RULE("nestedBlock", () => {
    this.CONSUME(Name);
    this.SUBRULE(this.body);
  });

  private assignment = this.RULE("assignment", () => {
    this.SUBRULE(this.reference);
    this.CONSUME(Equals);
    this.SUBRULE(this.value);
  });

  private value = this.RULE("value", () => {
    this.SUBRULE1(this.primary, { LABEL: "value" });
    this.OPTION(() => {
      this.CONSUME(kw.by);
      this.SUBRULE2(this.primary, { LABEL: "by" });
    });
  });

  private primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(kw.true) },
      { ALT: () => this.CONSUME(kw.false) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.metric) },
      { ALT: () => this.SUBRULE(this.callOrReference) },
    ]);
  });

  private metric = this.RULE("metric", () => {
    this.CONSUME(Name);
    this.CONSUME(At);
    this.CONSUME(NumberLiteral);
  });

  private callOrReference = this.RULE("callOrReference", () => {
    this.SUBRULE(this.reference);
    this.OPTION(() => this.SUBRULE(this.args));
    this.OPTION2(() => this.SUBRULE(this.body));
  });

  private reference = this.RULE("reference", () => {
    this.CONSUME(Name);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME2(Name);
    });
  });

  private args = this.RULE("args", () => {
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.argument) });
    this.CONSUME(RParen);
  });

  private argument = this.RULE("argument", () => {
    this.OPTION(() => {
      this.CONSUME(Name);
      this.CONSUME(Colon);
    });
    this.SUBRULE(this.value);
  });

  private list = this.RULE("list", () => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(RBracket);
  });

  /** chevrotain records every error here; past the budget the parse is abandoned. */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    if (this.errorsLeft <= 0) throw new TooManyErrors();
    this.errorsLeft--;
    return saveError.call(this, error);
  }
}

/** One shared parser instance: chevrotain parsers are reusable by resetting `input`. */
const parser = new SpecParser();

export interface ParseResult {
  cst: CstNode;
  errors: IRecognitionException[];
  /** True when the parse stopped at `maxErrors` errors: the CST is then empty. */
  abandoned: boolean;
}

/**
 * Parses a token stream into a CST, collecting its syntax errors, at most `maxErrors` of them (the
 * parse stops there: a garbage file costs in proportion to the errors shown); never throws on bad input.
 */
export function parseTokens(tokens: IToken[], maxErrors = Infinity): ParseResult {
  parser.input = tokens;
  parser.errorsLeft = maxErrors;
  try {
    const cst = parser.file();
    return { cst, errors: [...parser.errors], abandoned: false };
  } catch (error) {
    if (!(error instanceof TooManyErrors)) throw error;
    const errors = [...parser.errors];
    parser.input = [];
    return { cst: parser.file(), errors, abandoned: true };
  }
}

/** The parser's grammar, for generating CST type declarations and railroad diagrams. */
export function grammarProductions() {
  return parser.getGAstProductions();
}
