// Where a JSON text first goes wrong. Takes text that JSON.parse rejected; gives the character
// offset and a short reason. V8's messages carry a position only for some errors, and a data error
// must name line and column, so this small validating scanner finds it for all of them. It runs
// only after JSON.parse has failed: the fast path stays native. The same scanner lists the keys of
// a top-level object with their offsets, which JSON.parse cannot (it keeps the last of a
// duplicate key silently).

export interface JsonProblem {
  readonly offset: number;
  readonly reason: string;
}

/** The first syntax error in text, or undefined when text is valid JSON. */
export function locateJsonError(text: string): JsonProblem | undefined {
  const scan = new Scanner(text);
  try {
    scan.space();
    scan.value(0);
    scan.space();
    if (scan.pos < text.length) scan.fail("unexpected text after the JSON value");
    return undefined;
  } catch (err) {
    if (err instanceof Problem) return { offset: err.offset, reason: err.reason };
    throw err;
  }
}

/** A key of the top-level object of valid JSON text, decoded, with the offsets of its opening quote
 * and of its value's first character. */
export interface JsonKey {
  readonly key: string;
  readonly offset: number;
  readonly valueOffset: number;
}

/** The keys of text's top-level object in order, repeats included ([] when it is not an object). */
export function topLevelKeys(text: string): JsonKey[] {
  const scan = new Scanner(text);
  scan.keys = [];
  try {
    scan.space();
    scan.value(0);
  } catch (err) {
    if (err instanceof Problem) return [];
    throw err;
  }
  return scan.keys;
}

class Problem {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const MAX_DEPTH = 10_000;

class Scanner {
  pos = 0;
  /** When set, the keys of the depth-0 object are collected here. */
  keys: JsonKey[] | undefined;
  constructor(private readonly text: string) {}

  fail(reason: string, at = this.pos): never {
    throw new Problem(at, reason);
  }

  space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  private describe(): string {
    if (this.pos >= this.text.length) return "unexpected end of input";
    return `unexpected character ${JSON.stringify(this.text[this.pos])}`;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail("nested too deeply");
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail(`${this.describe()} where a value was expected`);
  }

  private object(depth: number): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail(`${this.describe()} where a property name was expected`);
      const start = this.pos;
      this.string();
      const keyEnd = this.pos;
      this.space();
      if (this.text[this.pos] !== ":") this.fail(`expected ':' after a property name, found ${this.describe().replace("unexpected ", "")}`);
      this.pos++;
      this.space();
      if (depth === 0 && this.keys !== undefined) {
        this.keys.push({ key: JSON.parse(this.text.slice(start, keyEnd)) as string, offset: start, valueOffset: this.pos });
      }
      this.value(depth + 1);
      this.space();
      const c = this.text[this.pos];
      if (c === "}") {
        this.pos++;
        return;
      }
      if (c !== ",") this.fail(`expected ',' or '}' after a property value, found ${this.describe().replace("unexpected ", "")}`);
      this.pos++;
      this.space();
    }
  }

  private array(depth: number): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.space();
      const c = this.text[this.pos];
      if (c === "]") {
        this.pos++;
        return;
      }
      if (c !== ",") this.fail(`expected ',' or ']' after an array element, found ${this.describe().replace("unexpected ", "")}`);
      this.pos++;
      this.space();
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c < 0x20) this.fail("control character inside a string");
      if (c === 0x5c) {
        const e = t[this.pos + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) this.fail("bad \\u escape");
          this.pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.pos += 2;
        else this.fail("bad escape in a string");
      } else this.pos++;
    }
    this.fail("unterminated string", start);
  }

  private number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) this.fail("malformed number");
    this.pos += m[0].length;
  }
}
