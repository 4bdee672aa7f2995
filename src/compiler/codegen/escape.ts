// The one way text from outside the compiler (a spec path, a name, a string or number of the spec)
// enters generated code. Takes the text or number; gives it in a form that stays what it is where
// it lands: inside a `/* */` or `//` comment it cannot end the comment or the line, inside a string
// literal it cannot end the string, a number is a plain finite literal. Anything else reaching
// generated code is written by the compiler itself.

/**
 * Characters that could end a comment line or hide text from a reader: C0 controls (NUL, line
 * feed, carriage return, tab …), DEL, C1 controls, the line and paragraph separators JavaScript
 * counts as line ends, bidi controls, the BOM, and lone surrogates (no UTF-8 for them).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|\p{Cs}/gu;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(c: string): string {
  return NAMED[c] ?? `\\u{${c.charCodeAt(0).toString(16)}}`;
}

/**
 * Text for inside a block comment or a `//` comment, on one line: unprintable characters written
 * as escapes (`\n`, `\u{0}`, `\u{2028}`) and a backslash put between every star and slash that
 * would close a block comment, so the comment ends only where the compiler ends it. Applying it
 * twice gives the same text.
 */
export function commentText(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar).replace(/\*\//g, "*\\/");
}

/**
 * A double-quoted JavaScript string literal of `text`: JSON's escaping (quotes, backslashes,
 * control characters, lone surrogates) plus U+2028 and U+2029, which JSON leaves raw. Backticks and
 * `${` are plain characters in such a literal.
 */
export function stringLiteral(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A number literal; NaN and ±Infinity never reach generated code (the IR cannot hold them). */
export function numberLiteral(value: number): string {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`internal: non-finite number ${String(value)} in generated code`);
  return Object.is(value, -0) ? "0" : String(value);
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An object-literal key for `key`: bare when it is identifier-shaped, quoted otherwise, and
 * `__proto__` computed (`["__proto__"]`), the one spelling that makes an own property instead of
 * setting the object's prototype (`__proto__: v` and `"__proto__": v` both set it).
 */
export function propertyKey(key: string): string {
  if (key === "__proto__") return `["__proto__"]`;
  return PLAIN_KEY.test(key) ? key : stringLiteral(key);
}
