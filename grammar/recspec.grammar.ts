// The TextMate grammar for `.recspec` files, as a typed object built from the lexer's own keyword
// and token lists and the checker's metric table. Takes nothing, gives `recspecGrammar`;
// grammar/build.ts prints it to JSON. Words, metric names and number/name patterns are imported, not
// retyped, so the highlighter cannot drift from the compiler: a new keyword fails the type check
// below until someone decides how it is highlighted, and a new metric is highlighted once rebuilt.
import { METRICS } from "../src/compiler/check/values.js";
import { BLOCK_KINDS, Identifier, KEYWORDS, NumberLiteral, type BlockKind, type Keyword } from "../src/compiler/lexer.js";

/** A capture's scope. */
export interface TmCapture {
  name: string;
}

/** One TextMate rule: a single-line `match`, a `begin`/`end` region, or an `include`. */
export interface TmRule {
  comment?: string;
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, TmCapture>;
  beginCaptures?: Record<string, TmCapture>;
  endCaptures?: Record<string, TmCapture>;
  patterns?: TmRule[];
  include?: string;
}

export interface TmGrammar {
  information_for_contributors: string[];
  name: string;
  scopeName: string;
  fileTypes: string[];
  patterns: TmRule[];
  repository: Record<string, TmRule>;
}

export const SCOPE_NAME = "source.recspec";

/**
 * Where each non-block keyword is a keyword. `top`: between declarations; `body`: inside `{ … }`;
 * `value`: anywhere a value can stand (these words are never names, so they are always keywords).
 * Block kinds are handled apart, from BLOCK_KINDS.
 */
type KeywordPlace = "top" | "body" | "value";
interface KeywordClass {
  place: KeywordPlace;
  scope: "keyword.control" | "constant.language.boolean";
}

export const KEYWORD_CLASSES: Record<Exclude<Keyword, BlockKind>, KeywordClass> = {
  spec: { place: "top", scope: "keyword.control" },
  import: { place: "top", scope: "keyword.control" },
  param: { place: "top", scope: "keyword.control" },
  evaluate: { place: "top", scope: "keyword.control" },
  on: { place: "top", scope: "keyword.control" },
  experiment: { place: "top", scope: "keyword.control" },
  vary: { place: "body", scope: "keyword.control" },
  in: { place: "body", scope: "keyword.control" },
  by: { place: "value", scope: "keyword.control" },
  true: { place: "value", scope: "constant.language.boolean" },
  false: { place: "value", scope: "constant.language.boolean" },
};

/** The type check above forbids missing and extra entries; this catches a word both ways. */
function checkKeywordCoverage(): void {
  const classified = new Set<string>([...BLOCK_KINDS, ...Object.keys(KEYWORD_CLASSES)]);
  const missing = KEYWORDS.filter((k) => !classified.has(k));
  const extra = [...classified].filter((k) => !(KEYWORDS as readonly string[]).includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`grammar keywords out of step with the lexer: missing ${missing}, extra ${extra}`);
  }
}

function sourceOf(pattern: unknown): string {
  if (!(pattern instanceof RegExp)) throw new Error("expected a RegExp token pattern");
  return pattern.source;
}

/** The lexer's patterns: plain enough that JavaScript and Oniguruma read them alike. */
const NAME = sourceOf(Identifier.PATTERN);
const NUMBER = sourceOf(NumberLiteral.PATTERN);
/** Numbers never start inside a word (`layer2`) — the lexer would read that as one name. */
const NUMBER_START = String.raw`(?<![A-Za-z0-9_])`;

/** `\b(a|b|c)\b` for a list of plain words. */
function words(list: readonly string[]): string {
  for (const w of list) if (!/^\w+$/.test(w)) throw new Error(`not a plain word: ${w}`);
  return String.raw`\b(${list.join("|")})\b`;
}

function wordsAt(place: KeywordPlace, scope: KeywordClass["scope"]): string[] {
  return Object.entries(KEYWORD_CLASSES)
    .filter(([, c]) => c.place === place && c.scope === scope)
    .map(([w]) => w);
}

/**
 * Unclosed brackets are common while typing; a declaration keyword at the start of a line cannot
 * occur inside a body, argument list or list, so it ends them and the rest of the file recovers.
 */
const DECLARATION_AHEAD = String.raw`(?=^\s*${words([...BLOCK_KINDS, ...wordsAt("top", "keyword.control").filter((w) => w !== "on")])}\s+[A-Za-z_"])`;

/** Metrics the checker accepts with a cut-off (`recall@10`) and bare (`auc`), from its own table. */
export const CUTOFF_METRICS = Object.keys(METRICS).filter((m) => METRICS[m] !== "no-k");
export const BARE_METRICS = Object.keys(METRICS).filter((m) => METRICS[m] !== "k");

const scope = (name: string) => `${name}.recspec`;
const cap = (name: string): TmCapture => ({ name: scope(name) });

function keywordRule(list: string[], scopeBase: string): TmRule {
  return { match: words(list), name: scope(`${scopeBase}.$1`) };
}

function buildRepository(): Record<string, TmRule> {
  return {
    comments: {
      patterns: [
        {
          name: scope("comment.line.double-slash"),
          match: "(//).*$",
          captures: { "1": cap("punctuation.definition.comment") },
        },
        {
          comment: "An unterminated block comment runs to the end of the file, as in the lexer.",
          name: scope("comment.block"),
          begin: String.raw`/\*`,
          end: String.raw`\*/`,
          beginCaptures: { "0": cap("punctuation.definition.comment.begin") },
          endCaptures: { "0": cap("punctuation.definition.comment.end") },
        },
      ],
    },
    string: {
      comment: "Strings cannot span lines: an unterminated one ends at the end of its line.",
      name: scope("string.quoted.double"),
      begin: '"',
      end: '"|$',
      beginCaptures: { "0": cap("punctuation.definition.string.begin") },
      endCaptures: { "0": cap("punctuation.definition.string.end") },
      patterns: [{ name: scope("constant.character.escape"), match: String.raw`\\.` }],
    },
    number: {
      name: scope("constant.numeric"),
      match: NUMBER_START + NUMBER,
    },
    metric: {
      comment: "Metric names, from the checker's table: a cut-off where one is taken, bare where that is allowed.",
      patterns: [
        {
          comment: "`recall@10`, `ndcg @ 5`, `mrr@1` (the K is optional while typing).",
          name: scope("constant.other.metric"),
          match: String.raw`${words(CUTOFF_METRICS)}\s*(@)\s*(${NUMBER})?`,
          captures: {
            "1": cap("support.constant.metric"),
            "2": cap("punctuation.separator.metric"),
            "3": cap("constant.numeric"),
          },
        },
        {
          comment: "`auc`, `mrr` without a cut-off, unless the word is a key, a call or a reference's head.",
          name: scope("constant.other.metric"),
          match: String.raw`${words(BARE_METRICS)}(?!\s*[@.(:=])`,
          captures: { "1": cap("support.constant.metric") },
        },
        {
          comment: "Any other `name@K` is not a metric the checker knows (`recal@10`) or takes no cut-off (`auc@10`).",
          match: String.raw`\b(${NAME})\s*(@)\s*(${NUMBER})?`,
          captures: {
            "1": cap("invalid.illegal.metric"),
            "2": cap("punctuation.separator.metric"),
            "3": cap("constant.numeric"),
          },
        },
      ],
    },
    "value-keywords": {
      patterns: [
        keywordRule(wordsAt("value", "keyword.control"), "keyword.control"),
        { match: words(wordsAt("value", "constant.language.boolean")), name: scope("constant.language.boolean") },
      ],
    },
    "named-argument": {
      match: String.raw`\b(${NAME})\s*(:)`,
      captures: {
        "1": cap("variable.parameter"),
        "2": cap("punctuation.separator.key-value"),
      },
    },
    call: {
      comment: "Every callable is built in: constructors, optimizers, schedules, layers.",
      match: String.raw`\b(${NAME})(?=\s*\()`,
      captures: { "1": cap("support.function") },
    },
    member: {
      comment: "`.name` after a reference; matched from the dot so a keyword there stays a name.",
      match: String.raw`(\.)(?:\s*(${NAME}))?`,
      captures: {
        "1": cap("punctuation.accessor"),
        "2": cap("variable.other.property"),
      },
    },
    reference: {
      match: String.raw`\b${NAME}\b`,
      name: scope("variable.other"),
    },
    arguments: {
      name: scope("meta.arguments"),
      begin: String.raw`\(`,
      end: String.raw`\)|${DECLARATION_AHEAD}`,
      beginCaptures: { "0": cap("punctuation.section.parens.begin") },
      endCaptures: { "0": cap("punctuation.section.parens.end") },
      patterns: [{ include: "#values" }],
    },
    list: {
      name: scope("meta.list"),
      begin: String.raw`\[`,
      end: String.raw`\]|${DECLARATION_AHEAD}`,
      beginCaptures: { "0": cap("punctuation.section.brackets.begin") },
      endCaptures: { "0": cap("punctuation.section.brackets.end") },
      patterns: [{ include: "#values" }],
    },
    body: {
      name: scope("meta.block"),
      begin: String.raw`\{`,
      end: String.raw`\}|${DECLARATION_AHEAD}`,
      beginCaptures: { "0": cap("punctuation.section.block.begin") },
      endCaptures: { "0": cap("punctuation.section.block.end") },
      patterns: [
        { include: "#comments" },
        {
          comment: "Attribute keys, dotted ones too: `encoder.layers = 1`. Keys may be keywords (`model = …`).",
          match: String.raw`\b(${NAME})(?=\s*(?:\.\s*${NAME}\s*)*=)`,
          captures: { "1": cap("variable.other.property") },
        },
        {
          comment: "Nested blocks: `train { … }`.",
          match: String.raw`\b(${NAME})(?=\s*\{)`,
          captures: { "1": cap("entity.name.section") },
        },
        keywordRule(wordsAt("body", "keyword.control"), "keyword.control"),
        { include: "#values" },
      ],
    },
    values: {
      patterns: [
        { include: "#comments" },
        { include: "#string" },
        { include: "#value-keywords" },
        { include: "#metric" },
        { include: "#number" },
        { include: "#named-argument" },
        { include: "#call" },
        { include: "#member" },
        { include: "#reference" },
        { include: "#arguments" },
        { include: "#list" },
        { include: "#body" },
        { include: "#punctuation" },
        { include: "#invalid" },
      ],
    },
    declarations: {
      patterns: [
        {
          comment: "`KIND NAME = CONSTRUCTOR`: the constructor may itself be a kind word (`distill small = distill(…)`).",
          match: String.raw`${words(BLOCK_KINDS)}(?:\s+(${NAME})\b(?:\s*(=)(?:\s*(${NAME})\b)?)?)?`,
          captures: {
            "1": cap("storage.type.$1"),
            "2": cap("entity.name.type"),
            "3": cap("keyword.operator.assignment"),
            "4": cap("support.function.constructor"),
          },
        },
        {
          match: String.raw`\b(spec)\b(?:\s+(${NAME})\b)?`,
          captures: { "1": cap("keyword.control.spec"), "2": cap("entity.name.namespace") },
        },
        {
          match: String.raw`\b(param)\b(?:\s+(${NAME})\b)?`,
          captures: { "1": cap("keyword.control.param"), "2": cap("variable.other.constant") },
        },
        {
          match: String.raw`\b(experiment)\b(?:\s+(${NAME})\b)?`,
          captures: { "1": cap("keyword.control.experiment"), "2": cap("entity.name.type") },
        },
        keywordRule(wordsAt("top", "keyword.control"), "keyword.control"),
      ],
    },
    punctuation: {
      patterns: [
        { match: "=", name: scope("keyword.operator.assignment") },
        { match: ":", name: scope("punctuation.separator.key-value") },
        { match: ",", name: scope("punctuation.separator.comma") },
      ],
    },
    invalid: {
      comment: "Last in every list: a closer that closes nothing, or a character no token starts with.",
      patterns: [
        { match: String.raw`[)\]}]`, name: scope("invalid.illegal.stray-bracket") },
        { match: String.raw`[^\sA-Za-z0-9_"=:,.(){}\[\]]`, name: scope("invalid.illegal.character") },
      ],
    },
  };
}

function buildGrammar(): TmGrammar {
  checkKeywordCoverage();
  return {
    information_for_contributors: ["Generated from grammar/recspec.grammar.ts by grammar/build.ts: do not edit, rebuild instead."],
    name: "recspec",
    scopeName: SCOPE_NAME,
    fileTypes: ["recspec"],
    patterns: [{ include: "#comments" }, { include: "#declarations" }, { include: "#values" }],
    repository: buildRepository(),
  };
}

export const recspecGrammar: TmGrammar = buildGrammar();
