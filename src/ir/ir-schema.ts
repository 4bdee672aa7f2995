// Builds ir.schema.json from the signature tables, so the schema, the checker and the docs cannot
// disagree. The schema is the contract codegen relies on; scripts/build-ir-schema.ts writes it and
// compiles an ajv validator ahead of time. Takes the signature tables and derived-attributes.ts
// (nulls lowering never leaves); gives the schema object. Not part of src/ir's public entry: it
// reads compiler tables, and only build scripts and tests call it.
import { METRICS } from "../compiler/check/values.js";
import { ALL_SIGNATURES, constructorsOf, trainSignature } from "../compiler/check/signatures/index.js";
import type { Attribute, Signature, TypeSpec } from "../compiler/check/types.js";
import { BLOCK_KINDS } from "../compiler/lexer.js";
import { IR_VERSION } from "./ir.js";
import { isDerived } from "./derived-attributes.js";

type Schema = Record<string, unknown>;

const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: "null" }] });

function typeSchema(type: TypeSpec): Schema {
  switch (type.kind) {
    case "int":
    case "number": {
      const s: Schema = { type: type.kind === "int" ? "integer" : "number" };
      const t = type as { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean };
      if (t.min !== undefined) s[t.minExclusive ? "exclusiveMinimum" : "minimum"] = t.min;
      if (t.max !== undefined) s[t.maxExclusive ? "exclusiveMaximum" : "maximum"] = t.max;
      return s;
    }
    case "string":
      return { type: "string" };
    case "bool":
      return { type: "boolean" };
    case "enum":
      return { enum: [...type.values] };
    case "ref":
      return object({ ref: { type: "string" }, ...(type.member ? { member: { const: type.member } } : {}) });
    case "option":
      return { $ref: `#/definitions/option_${type.family}` };
    case "list":
      return { type: "array", items: typeSchema(type.of), ...(type.minLength ? { minItems: type.minLength } : {}) };
    case "metric":
      return { $ref: "#/definitions/metric" };
    case "report":
      return object({ metric: { type: "string" }, k: nullable({ type: "integer", minimum: 1 }), by: nullable({ $ref: "#/definitions/option_slice" }) });
    case "split":
      return object({ dataset: { type: "string" }, split: { enum: ["train", "valid", "test"] } });
    case "model_or_override":
      return object({ model: { type: "string" }, type: { type: "string" }, overrides: { type: "object" }, attributes: { type: "object" } });
  }
}

function object(properties: Record<string, Schema>): Schema {
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

/** Null ("not set") is allowed where the default is null, unless lowering always derives a value. */
function attributeSchema(sig: Signature, a: Attribute): Schema {
  return a.default === null && !isDerived(sig.of, sig.name, a.name) ? nullable(typeSchema(a.type)) : typeSchema(a.type);
}

function attributesSchema(sig: Signature): Schema {
  return object(Object.fromEntries(sig.attributes.map((a) => [a.name, attributeSchema(sig, a)])));
}

function blockSchema(sig: Signature): Schema {
  const dim = { anyOf: [{ type: "integer", minimum: 0 }, { type: "string" }] };
  return object({
    name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_.]*$" },
    kind: { const: sig.of },
    type: { const: sig.name },
    attributes: attributesSchema(sig),
    train: sig.nested?.includes("train") ? { $ref: "#/definitions/train" } : { type: "null" },
    dataset: { type: "string" },
    shapes: { type: "object", additionalProperties: { type: "array", items: dim } },
    dependsOn: { type: "array", items: { type: "string" } },
  });
}

export function buildIrSchema(): Schema {
  const families = [...new Set(ALL_SIGNATURES.map((s) => s.of))].filter(
    (of) => !(BLOCK_KINDS as readonly string[]).includes(of) && !["train", "evaluate", "experiment"].includes(of),
  );
  const definitions: Record<string, Schema> = {
    metric: object({ metric: { enum: [...Object.keys(METRICS), "loss"] }, k: nullable({ type: "integer", minimum: 1 }) }),
    train: attributesSchema(trainSignature),
  };
  for (const family of families) {
    definitions[`option_${family}`] = {
      anyOf: [...constructorsOf(family as never).values()].map((sig) =>
        object({ type: { const: sig.name }, ...Object.fromEntries(sig.attributes.map((a) => [a.name, attributeSchema(sig, a)])) }),
      ),
    };
  }
  const blocks = ALL_SIGNATURES.filter((s) => (BLOCK_KINDS as readonly string[]).includes(s.of));
  // Blocks and evaluations appear at the top and again in every experiment cell.
  definitions.block = { anyOf: blocks.map(blockSchema) };
  definitions.evaluation = object({
    model: { type: "string" },
    dataset: { type: "string" },
    split: { enum: ["train", "valid", "test"] },
    metrics: { type: "array", items: { $ref: "#/definitions/metric" }, minItems: 1 },
    slices: { type: "array", items: { $ref: "#/definitions/option_slice" } },
    candidates: { $ref: "#/definitions/option_candidates" },
    exclude_history: { type: "boolean" },
    baseline: { type: "boolean" },
    baselines: { anyOf: [{ type: "null" }, { type: "array", items: { $ref: "#/definitions/option_baseline" } }] },
    bootstrap: { type: "integer", minimum: 0 },
  });
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://recspec.dev/ir.schema.json",
    title: "recspec IR",
    description: "The lowered, fully defaulted, shape-annotated form of a .recspec program. Generated from the signature tables; do not edit.",
    definitions,
    ...object({
      irVersion: { const: IR_VERSION },
      spec: { type: "string" },
      source: { type: "string" },
      params: { type: "object", additionalProperties: { type: ["number", "string", "boolean"] } },
      blocks: { type: "array", items: { $ref: "#/definitions/block" } },
      evaluations: { type: "array", items: { $ref: "#/definitions/evaluation" } },
      experiments: {
        type: "array",
        items: object({
          name: { type: "string" },
          vary: {
            type: "array",
            items: object({ target: { type: "string" }, values: { type: "array" }, texts: { type: "array", items: { type: "string" } } }),
          },
          seeds: { type: "integer", minimum: 1 },
          report: { type: "array", items: typeSchema({ kind: "report" }) },
          evaluate_on: nullable(typeSchema({ kind: "split" })),
          cells: {
            type: "array",
            items: object({
              index: { type: "integer", minimum: 0 },
              seed: { type: "integer", minimum: 0 },
              config: { type: "object", additionalProperties: { type: "string" } },
              sets: { type: "array", items: { type: "string" } },
              blocks: { type: "array", items: { $ref: "#/definitions/block" } },
              evaluations: { type: "array", items: { $ref: "#/definitions/evaluation" } },
            }),
          },
        }),
      },
    }),
  };
}
