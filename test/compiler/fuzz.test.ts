// Fuzz: mutated example specs run through the whole compiler (byte flips, deletions, duplications, truncations, token splices) must
// always yield a result with diagnostics; an exception escaping the front end is a bug.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSpec } from "../../src/compiler/compile.js";
import { Rng } from "../../src/runtime/random.js";

const SPECS = join(import.meta.dirname, "..", "..", "specs");
const seeds = readdirSync(SPECS)
  .filter((f) => f.endsWith(".recspec"))
  .map((f) => readFileSync(join(SPECS, f), "utf8"));

const SPLICES = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "=",
  ":",
  ",",
  ".",
  "@",
  '"',
  "/*",
  "//",
  "\\",
  "\n",
  "-",
  "1e",
  "_",
  "model",
  "on",
  "by",
  "vary",
  "spec",
  "é",
  "\u0000",
];

function mutate(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  const len = 1 + rng.int(40);
  switch (rng.int(5)) {
    case 0: // flip one byte to a random printable character or a control character
      return text.slice(0, at) + String.fromCharCode(rng.int(2) ? 32 + rng.int(95) : rng.int(32)) + text.slice(at + 1);
    case 1: // delete a range
      return text.slice(0, at) + text.slice(at + len);
    case 2: // duplicate a range
      return text.slice(0, at + len) + text.slice(at, at + len) + text.slice(at + len);
    case 3: // truncate
      return text.slice(0, at);
    default: // splice in a token that matters to the grammar
      return text.slice(0, at) + SPLICES[rng.int(SPLICES.length)] + text.slice(at);
  }
}

describe("front-end fuzzing", () => {
  it("survives 10,000 mutated specs with well-formed diagnostics", () => {
    const rng = new Rng(2026);
    let withErrors = 0;
    for (let i = 0; i < 10_000; i++) {
      let text = seeds[i % seeds.length];
      const rounds = 1 + rng.int(3);
      for (let r = 0; r < rounds; r++) text = mutate(text, rng);
      let result;
      try {
        // The whole pipeline: parse, check, lower, and schema validation of any IR produced.
        result = compileSpec("fuzz.recspec", { readFile: () => undefined }, { entryText: text });
      } catch (error) {
        throw new Error(`case ${i} threw ${String(error)} on input:\n${text}`);
      }
      for (const d of result.diagnostics) {
        if (!(d.span.start >= 0 && d.span.end <= text.length + 1 && d.span.start <= d.span.end)) {
          throw new Error(`case ${i}: span ${JSON.stringify(d.span)} outside the text (${text.length})`);
        }
        expect(d.message.length).toBeGreaterThan(0);
      }
      if (result.diagnostics.length > 0) withErrors++;
    }
    // Most mutations break something; if none were reported, the parser accepts everything.
    expect(withErrors).toBeGreaterThan(5_000);
  });
});
