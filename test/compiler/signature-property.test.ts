// Property: any spec that checks clean lowers to IR the schema accepts. Specs are generated from the
// signature tables themselves: every block kind, random constructors, random subsets of attributes
// with values mostly in range and sometimes out of it, references to blocks of the right and wrong kinds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSpec } from "../../src/compiler/compile.js";
import { constructorsOf, signatureOf } from "../../src/compiler/check/signatures/index.js";
import type { Attribute, Signature, TypeSpec } from "../../src/compiler/check/types.js";
import { validateIr } from "../../src/ir/index.js";

type Gen = fc.GeneratorValue;

/** Names of the skeleton's blocks by kind, for references. */
const NAMES: Record<string, string[]> = { dataset: ["d"], features: ["f"], quantizer: ["q"], tower: ["it", "ut"], model: ["m"] };
/** A tower is built for one side of a two-tower model: mostly the right one, now and then the other. */
const TOWER_SIDES: Record<string, string> = { user: "ut", item: "it" };

function pick<T>(g: Gen, items: readonly T[]): T {
  return g(fc.constantFrom, ...items);
}

function value(g: Gen, type: TypeSpec, depth: number, attribute?: string): string {
  const wild = g(fc.integer, { min: 0, max: 199 }) === 0; // 0.5%: something of the wrong type
  const edge = g(fc.integer, { min: 0, max: 29 }) === 0 ? 1 : 0; // ~3%: one step outside the range
  if (wild) return pick(g, ["3", '"x"', "true", "[1]", "nothing", "d", "recall@10"]);
  switch (type.kind) {
    case "int": {
      // No user could be long enough for a large `min_length` (RS5002): keep it mostly small.
      if (attribute === "min_length" && g(fc.integer, { min: 0, max: 3 }) > 0) return "1";
      const min = type.min ?? -5;
      const max = Math.min(type.max ?? min + 300, min + 300);
      return String(g(fc.integer, { min: min - edge, max: Math.min(max, min + 40) + edge }));
    }
    case "number": {
      // Split shares summing to 1 or more leave nothing to train on (RS4009): keep them mostly small.
      if ((attribute === "valid_share" || attribute === "test_share") && g(fc.integer, { min: 0, max: 3 }) > 0) return "0.2";
      const min = (type.min ?? -2) + (type.minExclusive ? 0.001 : 0);
      const max = (type.max ?? min + 10) - (type.maxExclusive ? 0.001 : 0);
      return String(Math.min(max, Math.max(min, Math.round(g(fc.double, { min, max, noNaN: true }) * 1000) / 1000)) + (edge ? (g(fc.boolean) ? 1 : -1) : 0));
    }
    case "string":
      // A file's format is told by its extension (RS5003): paths mostly have one.
      if (attribute === "path" && g(fc.integer, { min: 0, max: 3 }) > 0) return '"data/x.csv"';
      return pick(g, ['"data/x"', '"Beauty"', '"a b"']);
    case "bool":
      // A non-causal encoder cannot train every position (RS3012): mostly causal.
      if (attribute === "causal" && g(fc.integer, { min: 0, max: 3 }) > 0) return "true";
      return pick(g, ["true", "false"]);
    case "enum":
      return pick(g, type.values);
    case "ref": {
      const kind = pick(g, type.blockKinds);
      const side = kind === "tower" && attribute !== undefined ? TOWER_SIDES[attribute] : undefined;
      const name = side !== undefined && g(fc.integer, { min: 0, max: 9 }) > 0 ? side : pick(g, NAMES[kind] ?? ["d"]);
      return type.member ? `${name}.${type.member}` : name;
    }
    case "option": {
      const sig = pick(g, [...constructorsOf(type.family).values()]);
      return depth > 2 ? sig.name : call(g, sig, depth + 1);
    }
    case "list": {
      const n = g(fc.integer, { min: type.minLength ?? 0, max: 3 });
      return `[${Array.from({ length: n }, () => value(g, type.of, depth + 1)).join(", ")}]`;
    }
    case "metric":
      return pick(g, ["recall@10", "ndcg@5", "hr@20", "mrr", "auc", "ndcg@10", ...(type.allowLoss ? ["loss"] : [])]);
    case "report":
      return pick(g, ["recall@10", "ndcg@10 by popularity(head: 0.2)", "hr@10 by cold_start"]);
    case "split":
      return "d.test";
    case "model_or_override":
      return pick(g, ["m", "m", "m { embedding = 16 }", "m { train = 3 }"]);
  }
}

/** Required attributes always (as named arguments), optional ones at random. */
function chosen(g: Gen, sig: Signature): Attribute[] {
  // `min_rating` is refused on data without ratings (RS5005): given only now and then.
  const picked = sig.attributes.filter(
    (a) => (a.default === undefined || g(fc.boolean)) && (a.name !== "min_rating" || g(fc.integer, { min: 0, max: 3 }) === 0),
  );
  // Mutually exclusive pairs are given together only now and then.
  const clash = (sig.exclusive ?? []).some(([a, b]) => picked.some((p) => p.name === a) && picked.some((p) => p.name === b));
  return clash && g(fc.integer, { min: 0, max: 9 }) > 0 ? picked.filter((p) => p.name !== sig.exclusive![0][1]) : picked;
}

function call(g: Gen, sig: Signature, depth: number): string {
  const attrs = chosen(g, sig);
  if (attrs.length === 0 && g(fc.boolean)) return sig.name;
  return `${sig.name}(${attrs.map((a) => `${a.name}: ${value(g, a.type, depth, a.name)}`).join(", ")})`;
}

function block(g: Gen, kind: string, name: string, ctors: string[]): string {
  const sig = signatureOf(kind as never, pick(g, ctors))!;
  const attrs = chosen(g, sig);
  const body = attrs.map((a) => `  ${a.name} = ${value(g, a.type, 1, a.name)}`).join("\n");
  const trainSig = signatureOf("train", "train")!;
  const train =
    sig.nested?.includes("train") && g(fc.boolean)
      ? `\n  train {\n${chosen(g, trainSig)
          .map((a) => `    ${a.name} = ${value(g, a.type, 1)}`)
          .join("\n")}\n  }`
      : "";
  return `${kind} ${name} = ${sig.name} {\n${body}${train}\n}`;
}

function spec(g: Gen): string {
  return [
    "spec prop",
    block(g, "dataset", "d", ["synthetic", "amazon", "movielens", "interactions"]),
    block(g, "features", "f", ["content_vectors", "vectors"]),
    block(g, "quantizer", "q", ["rqvae", "random_ids", "lsh"]),
    block(g, "tower", "it", ["item_tower"]),
    block(g, "tower", "ut", ["multi_interest", "sequence_encoder"]),
    block(g, "model", "m", ["sequential", "two_tower", "generative", "ranking"]),
    block(g, "distill", "k", ["distill"]),
    `evaluate m on d.test { metrics = [${value(g, { kind: "metric" }, 1)}] }`,
  ].join("\n\n");
}

describe("specs generated from the signature tables", () => {
  it("check clean only when they lower to schema-valid IR, and never crash", () => {
    let clean = 0;
    const histogram = new Map<string, number>();
    let runs = 0;
    fc.assert(
      fc.property(fc.gen(), (g) => {
        runs++;
        const text = spec(g);
        const result = compileSpec("prop.recspec", { readFile: () => undefined }, { entryText: text });
        const errors = result.diagnostics.filter((d) => d.severity === "error");
        if (errors.length === 0) {
          clean++;
          expect(result.ir).not.toBeNull();
          expect(validateIr(result.ir)).toEqual({ valid: true, errors: [] });
        } else {
          expect(result.ir).toBeNull();
          // Syntax is always valid here: every error is a checker error with a code from 2xxx–5xxx.
          for (const d of errors) expect(d.code).toMatch(/^RS[2345]\d{3}$/);
          if (process.env.PROP_DEBUG)
            for (const d of errors) histogram.set(`${d.code} ${d.message.slice(0, 60)}`, (histogram.get(`${d.code} ${d.message.slice(0, 60)}`) ?? 0) + 1);
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
    if (process.env.PROP_DEBUG) console.log([...histogram].sort((a, b) => b[1] - a[1]).slice(0, 25));
    // The property is only meaningful if a fair share of generated specs are legal. The checker
    // refuses every spec the runtime cannot run, which most random combinations are: about 0.5%
    // check clean (fewer as the tables grow), hence the 2000 runs.
    expect(clean).toBeGreaterThan(runs * 0.003);
  });
});
