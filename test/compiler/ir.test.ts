// The IR of every example spec: a golden file each, schema-valid, and a schema that rejects broken IR.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diskHost } from "../../src/cli/host.js";
import { compileSpec } from "../../src/compiler/compile.js";
import type { IR } from "../../src/ir/index.js";
import { validateIr } from "../../src/ir/index.js";

const SPECS = readdirSync("specs")
  .filter((f) => f.endsWith(".recspec"))
  .sort();

function irOf(spec: string): IR {
  const result = compileSpec(`specs/${spec}`, diskHost);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(result.ir).not.toBeNull();
  return result.ir!;
}

describe("IR of the example specs", () => {
  for (const spec of SPECS) {
    it(`${spec} lowers to schema-valid IR matching its golden`, async () => {
      const ir = irOf(spec);
      expect(validateIr(ir)).toEqual({ valid: true, errors: [] });
      const golden = join(import.meta.dirname, "..", "fixtures", "ir", spec.replace(".recspec", ".ir.json"));
      await expect(`${JSON.stringify(ir, null, 2)}\n`).toMatchFileSnapshot(golden);
    });
  }

  it("fills every default explicitly and derives widths (the paper's TIGER configuration)", () => {
    const paper = ["layers=4", "heads=6", "head_dim=64", "d_model=128", "d_ff=1024", "steps=200_000", "warmup=10_000"];
    const ir = compileSpec("specs/tiger_beauty.recspec", diskHost, { set: paper }).ir!;
    const tiger = ir.blocks.find((b) => b.name === "tiger")!;
    const encoder = tiger.attributes.encoder as Record<string, unknown>;
    expect(encoder).toMatchObject({ type: "transformer", layers: 4, heads: 6, head_dim: 64, d_model: 128, d_ff: 1024, max_positions: 512 });
    // 1 user token + 20 history items × (3 levels + collision suffix) tokens.
    expect(tiger.shapes.source).toEqual(["batch", 81]);
    // 3 levels × 256 codes + 2000 user buckets + 3 special tokens, plus the collision suffix's codes.
    expect(tiger.shapes.token_embedding).toEqual([`${3 * 256 + 2000 + 3}+suffix(sid)`, 128]);
    expect(tiger.train).toMatchObject({ steps: 200_000, epochs: null, batch: 256 });
    expect(ir.blocks.map((b) => b.name)).toEqual(["beauty", "content", "sid", "random_sid", "lsh_sid", "tiger", "sasrec"]);
  });

  it("applies --set to params and to nested attributes", () => {
    const result = compileSpec("specs/tiger_beauty.recspec", diskHost, { set: ["steps=1000", "tiger.encoder.layers=3", "sid.train.epochs=3"] });
    expect(result.diagnostics).toEqual([]);
    const blocks = new Map(result.ir!.blocks.map((b) => [b.name, b]));
    expect(blocks.get("tiger")!.train!.steps).toBe(1000);
    expect((blocks.get("tiger")!.attributes.encoder as Record<string, unknown>).layers).toBe(3);
    expect((blocks.get("tiger")!.attributes.decoder as Record<string, unknown>).layers).toBe(2);
    expect(blocks.get("sid")!.train!.epochs).toBe(3);
  });

  it("reaches into the option the spec chose, not the family's default, for a dotted --set", () => {
    // mur's weighting is idw(...) and its loss sampled_softmax(...): the defaults (none, softmax)
    // have neither attribute, so a lookup in the default constructor refuses both.
    const idw = compileSpec("specs/mur_idw.recspec", diskHost, { set: ["mur.weighting.iterations=1"] });
    expect(idw.diagnostics).toEqual([]);
    const weighting = idw.ir!.blocks.find((b) => b.name === "mur")!.attributes.weighting as Record<string, unknown>;
    expect([weighting.type, weighting.iterations, weighting.momentum]).toEqual(["idw", 1, 0.8]);
    const sampled = compileSpec("specs/mur_idw.recspec", diskHost, { set: ["mur.loss.count=1024"] });
    expect(sampled.diagnostics).toEqual([]);
    expect((sampled.ir!.blocks.find((b) => b.name === "mur")!.attributes.loss as Record<string, unknown>).count).toBe(1024);
    const wrong = compileSpec("specs/mur_idw.recspec", diskHost, { set: ["mur.loss.label_smoothing=0.1"] });
    expect(wrong.diagnostics.map((d) => d.message)).toEqual(["`sampled_softmax` has no attribute `label_smoothing`"]);
  });

  it("derives the distillation student from its overrides", () => {
    const ir = irOf("distill.recspec");
    const student = ir.blocks.find((b) => b.name === "student")!.attributes.student as { overrides: unknown; attributes: Record<string, unknown> };
    expect(student.overrides).toEqual({ embedding: 16, "encoder.layers": 1 });
    expect(student.attributes.embedding).toBe(16);
    // d_ff stays as the teacher wrote it; d_model and head_dim follow the new embedding.
    expect(student.attributes.encoder).toMatchObject({ layers: 1, d_model: 16, head_dim: 8, d_ff: 256 });
  });
});

describe("IR schema", () => {
  const valid = irOf("quickstart.recspec");
  // The mutations reach into the IR as plain JSON, whatever its types say.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const broken: [string, (ir: any) => void][] = [
    ["a missing irVersion", (ir) => delete ir.irVersion],
    ["a wrong irVersion", (ir) => (ir.irVersion = 2)],
    ["an unknown constructor", (ir) => (ir.blocks[1].type = "sequentail")],
    ["a negative width", (ir) => (ir.blocks[1].attributes.embedding = -4)],
    ["a string where a number belongs", (ir) => (ir.blocks[1].attributes.encoder.dropout = "0.2")],
    ["an unknown attribute", (ir) => (ir.blocks[0].attributes.histroy = 3)],
    ["a missing default", (ir) => delete ir.blocks[1].train.batch],
    ["an unknown metric", (ir) => (ir.evaluations[0].metrics[0].metric = "recal")],
    ["a fractional shape", (ir) => (ir.blocks[1].shapes.history[1] = 1.5)],
  ];
  for (const [what, mutate] of broken) {
    it(`rejects IR with ${what}`, () => {
      const ir = structuredClone(valid);
      mutate(ir);
      const result = validateIr(ir);
      expect(result.valid).toBe(false);
      expect(result.errors.length).toBeGreaterThan(0);
    });
  }
});
