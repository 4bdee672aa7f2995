// Every diagnostic recspec reports, in one table: a stable code, a severity, a short title (used in
// docs and by `recspec explain`) and a message template whose `{placeholders}` are filled at report time.
// Groups: 1xxx syntax, 2xxx names, 3xxx shapes and types, 4xxx values and config, 5xxx data.

export type Severity = "error" | "warning";

export interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly template: string;
}

export const CODES = {
  // 1xxx: syntax
  RS1001: { severity: "error", title: "unexpected character", template: "unexpected character `{char}`" },
  RS1002: { severity: "error", title: "unterminated string", template: 'this string has no closing `"`' },
  RS1003: { severity: "error", title: "unterminated comment", template: "this `/*` comment is never closed" },
  RS1004: { severity: "error", title: "syntax error", template: "{message}" },
  RS1005: { severity: "error", title: "invalid number", template: "`{raw}` is not a finite number" },
  RS1006: { severity: "error", title: "invalid escape", template: "unknown escape `{escape}` in string" },
  RS1007: { severity: "error", title: "spec name not first", template: "`spec {name}` must be the first declaration of the file" },
  RS1008: { severity: "error", title: "duplicate spec name", template: "the file already names its spec `{name}`" },
  RS1009: { severity: "error", title: "not a spec text", template: "this is not a spec file: {reason}" },
  RS1010: { severity: "error", title: "nesting too deep", template: "brackets nest more than {max} levels deep here" },
  RS1011: { severity: "error", title: "too many syntax errors", template: "this file has {count} more syntax errors, not shown" },

  // 2xxx: names
  RS2001: { severity: "error", title: "unknown name", template: "cannot find `{name}` in this spec" },
  RS2002: { severity: "error", title: "duplicate name", template: "`{name}` is declared more than once" },
  RS2003: { severity: "error", title: "wrong kind of block", template: "`{name}` is {actual}, {expected} is expected here" },
  RS2004: { severity: "error", title: "import not found", template: "cannot read the {what} `{path}` (looked for `{resolved}`)" },
  RS2005: { severity: "error", title: "import cycle", template: "import cycle: {cycle}" },
  RS2006: { severity: "error", title: "unknown member", template: "`{owner}` has no member `{member}`" },
  RS2007: { severity: "error", title: "unknown constructor", template: "unknown {what} `{name}`" },
  RS2008: { severity: "error", title: "unknown attribute", template: "`{owner}` has no attribute `{name}`" },
  RS2009: { severity: "error", title: "attribute given twice", template: "`{name}` is given more than once" },
  RS2011: { severity: "error", title: "unknown override target", template: "`--set {key}`: {reason}" },

  // 3xxx: shapes and types
  RS3001: { severity: "error", title: "tower dimensions differ", template: "user tower `{user}` outputs {userDim} but item tower `{item}` outputs {itemDim}" },
  RS3002: { severity: "error", title: "heads do not divide d_model", template: "`d_model` {dModel} is not divisible by `heads` {heads}" },
  RS3003: {
    severity: "error",
    title: "max_interest needs a multi-interest tower",
    template: "`score = max_interest` needs a `multi_interest` user tower, but `{tower}` is `{type}`",
  },
  RS3004: {
    severity: "error",
    title: "sequence longer than the position table",
    template: "{what} is {length} tokens long but the position table of `{encoder}` has {positions} rows",
  },
  RS3005: {
    severity: "error",
    title: "quantizer over another data set",
    template: "`{model}` trains on `{modelData}` but its quantizer `{quantizer}` covers the items of `{quantizerData}`",
  },
  RS3006: {
    severity: "error",
    title: "distillation output spaces differ",
    template: "teacher `{teacher}` ranks the items of `{teacherData}` but the student ranks {student}",
  },
  RS3007: {
    severity: "error",
    title: "n-gram longer than the ID",
    template: "`ngram(n: {n})` needs Semantic IDs of at least {n} levels, but `{quantizer}` has {levels}",
  },
  RS3008: { severity: "error", title: "widths differ", template: "{what}: {left} is {leftDim} but {right} is {rightDim}" },
  RS3009: { severity: "error", title: "evaluated on another data set", template: "`{model}` is trained on `{modelData}` but evaluated on `{splitData}`" },
  RS3010: { severity: "error", title: "not a power of two", template: "`{name}` must be a power of two for `{ctor}`, got {value}" },
  RS3011: { severity: "error", title: "unsupported distillation", template: "cannot distil into {student}: {reason}" },
  RS3012: {
    severity: "error",
    title: "every position needs a causal encoder",
    template: "`{model}` trains every position of the history (`positions = all`), but its encoder is not causal",
  },
  RS3013: {
    severity: "error",
    title: "dot score over several interests",
    template: "`score = dot` needs one user vector, but user tower `{tower}` gives {interests} interests",
  },
  RS3014: { severity: "error", title: "loss the model cannot train with", template: "a `{type}` model cannot train with `loss = {loss}`" },
  RS3015: {
    severity: "error",
    title: "Semantic IDs cannot separate the items",
    template: "`{model}` decodes one item per Semantic ID, but `{quantizer}` has {ids} distinct IDs for {items} items",
  },

  // 4xxx: values and configuration
  RS4001: { severity: "error", title: "wrong type", template: "expected {expected}, found {found}" },
  RS4002: { severity: "error", title: "value out of range", template: "`{name}` must be {range}, got {value}" },
  RS4003: { severity: "error", title: "missing attribute", template: "`{owner}` needs `{name}`" },
  RS4004: { severity: "error", title: "mutually exclusive attributes", template: "`{a}` and `{b}` cannot both be set" },
  RS4005: { severity: "error", title: "too many positional arguments", template: "`{owner}` takes {max} positional argument{s}, got {count}" },
  RS4006: { severity: "error", title: "unknown option value", template: "`{value}` is not one of {allowed}" },
  RS4007: { severity: "error", title: "bad --set", template: "`--set {text}`: {reason}" },
  RS4008: { severity: "error", title: "unknown metric", template: "unknown metric `{name}`" },
  RS4009: { severity: "error", title: "inconsistent probabilities", template: "{what}" },
  RS4010: { severity: "error", title: "misplaced item", template: "{what} is not allowed {where}" },
  RS4011: { severity: "error", title: "metric the model cannot compute", template: "`{metric}` cannot be computed for `{model}`, {what}" },
  RS4012: { severity: "error", title: "needs more memory than the limit", template: "`{block}` needs {estimate} of {memory}, more than the limit of {limit}" },
  RS4013: {
    severity: "error",
    title: "tensor too large",
    template: "`{block}` needs a tensor of {elements} values ({what}), more than the {max} one tensor can hold",
  },
  RS4014: {
    severity: "error",
    title: "spec name too long",
    template: "the spec name is {length} characters long; at most {max} fit in the file names made from it",
  },
  RS4015: {
    severity: "error",
    title: "file name unfit as a spec name",
    template: "the spec is named `{name}` after its file, which cannot name the folders made from it",
  },
  RS4101: { severity: "warning", title: "unused block", template: "{kind} `{name}` is never used" },
  RS4102: {
    severity: "warning",
    title: "cut-off larger than the catalogue",
    template: "`{metric}` asks for the top {k} but `{dataset}` has only {items} items",
  },

  // 5xxx: data
  RS5001: { severity: "error", title: "no item content", template: "`{dataset}` is {kind} data set, which has no item {content}" },
  RS5002: {
    severity: "error",
    title: "no user is long enough",
    template: "every user of `{dataset}` has {length} interactions, fewer than `min_length` {minLength}",
  },
  RS5003: { severity: "error", title: "unknown file format", template: "cannot tell the format of `{path}` from its extension" },
  RS5004: { severity: "error", title: "data path not found", template: "`{path}` does not exist" },
  RS5005: {
    severity: "error",
    title: "no ratings to threshold",
    template: "`{dataset}` is {kind} data set, which has no ratings for `min_rating` to threshold",
  },
  RS5006: { severity: "error", title: "split the model cannot evaluate", template: "a `{type}` model cannot be evaluated on `{dataset}`: {reason}" },
  RS5007: { severity: "error", title: "side feature the data set lacks", template: "`{dataset}` ({kind} data) has no {side} feature `{feature}`" },
  RS5008: {
    severity: "error",
    title: "slice the data set cannot give",
    template: "`cluster` slices need item clusters, and `{dataset}` is {kind} data set, which has none",
  },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** Fills a template's `{name}` placeholders; unknown placeholders are left visible to be noticed. */
export function formatTemplate(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? String(args[key]) : whole));
}
