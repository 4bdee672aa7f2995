// The generated IR attribute types: committed file up to date, and every example spec's IR (its
// blocks and every experiment cell's) has exactly the key sets those types promise.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { diskHost } from "../../src/cli/host.js";
import { compileSpec } from "../../src/compiler/compile.js";
import {
  ATTRIBUTE_NAMES,
  blockProblems,
  evaluationProblems,
  isBlock,
  typed,
  validateIr,
  type IR,
  type IRBlock,
  type SequentialAttributes,
  type TrainAttributes,
  type TypedBlock,
} from "../../src/ir/index.js";
import { generatedTypes } from "../../scripts/build-ir-types.js";

const SPECS = readdirSync("specs")
  .filter((f) => f.endsWith(".recspec"))
  .sort();

function irOf(spec: string): IR {
  const result = compileSpec(`specs/${spec}`, diskHost);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.ir!;
}

describe("generated IR types", () => {
  it("src/ir/attributes.generated.ts is up to date (npm run build:ir)", () => {
    expect(readFileSync("src/ir/attributes.generated.ts", "utf8")).toBe(generatedTypes());
  });

  for (const spec of SPECS) {
    it(`${spec}: every block and evaluation, at the top and in every cell, has its type's keys`, () => {
      const ir = irOf(spec);
      const all = [{ blocks: ir.blocks, evaluations: ir.evaluations }, ...ir.experiments.flatMap((x) => x.cells)];
      for (const { blocks, evaluations } of all) {
        for (const block of blocks) {
          expect(blockProblems(block), block.name).toEqual([]);
          expect(typed(block).kind).toBe(block.kind);
        }
        evaluations.forEach((e, i) => expect(evaluationProblems(e, `evaluation ${i}`)).toEqual([]));
      }
    });
  }

  it("the key check descends into options, train and distillation students", () => {
    const ir = irOf("distill.recspec");
    const teacher = ir.blocks.find((b) => b.name === "teacher")!;
    const student = ir.blocks.find((b) => b.kind === "distill")!;
    const encoder = teacher.attributes.encoder as Record<string, unknown>;
    const broken: IRBlock = { ...teacher, attributes: { ...teacher.attributes, encoder: { ...encoder, width: 3 } as never, extra: 1 } };
    delete (broken.attributes as Record<string, unknown>).positions;
    expect(blockProblems(broken)).toEqual([
      "teacher.attributes: missing positions",
      "teacher.attributes: unexpected extra",
      "teacher.attributes.encoder: unexpected width",
    ]);
    expect(() => typed(broken)).toThrow(/does not match its model type `sequential`/);
    expect(blockProblems({ ...teacher, train: null })).toEqual(["teacher.train: missing"]);
    const { seed: _seed, ...train } = teacher.train!;
    expect(blockProblems({ ...teacher, train })).toEqual(["teacher.train: missing seed"]);
    const s = student.attributes.student as { attributes: Record<string, unknown> };
    const noLoss = { ...s, attributes: { ...s.attributes, loss: { type: "softmax" } } };
    expect(blockProblems({ ...student, attributes: { ...student.attributes, student: noLoss as never } })).toEqual([
      `${student.name}.attributes.student.attributes.loss: missing label_smoothing`,
    ]);
    expect(blockProblems({ ...teacher, type: "sasrec" })).toEqual(["teacher.attributes: no model constructor `sasrec`"]);
  });

  it("narrows loose blocks to their generated types", () => {
    const ir = irOf("quickstart.recspec");
    const sasrec = ir.blocks.find((b) => b.name === "sasrec")!;
    expect(isBlock(sasrec, "model", "sequential")).toBe(true);
    expect(isBlock(sasrec, "model", "two_tower")).toBe(false);
    if (!isBlock(sasrec, "model", "sequential")) throw new Error("unreachable");
    // These only compile if the narrowing gives the generated types: derived widths are numbers.
    const attributes: SequentialAttributes = sasrec.attributes;
    const train: TrainAttributes = sasrec.train;
    const width: number = attributes.encoder.d_model;
    expect([width, attributes.encoder.head_dim, train.epochs]).toEqual([64, 64, 10]);
    const block: TypedBlock = typed(sasrec);
    if (block.kind === "model" && block.type === "sequential") expect(block.attributes.positions).toBe("all");
    // A typed block is still an IRBlock, so typed data flows into code written for loose blocks.
    const loose: IRBlock = block;
    expect(loose.name).toBe("sasrec");
  });

  it("the public entry reaches no compiler code, so the runtime may import it", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const [, spec] of text.matchAll(/from "(\.[^"]+)"/g)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/compiler/);
        const target = join(dirname(file), spec);
        visit(existsSync(target.replace(/\.js$/, ".ts")) ? target.replace(/\.js$/, ".ts") : target);
      }
    };
    visit("src/ir/index.ts");
    expect([...seen].every((f) => f.startsWith("src/ir/"))).toBe(true);
    expect(seen.size).toBeGreaterThan(5);
  });

  it("lists every constructor's attributes in signature order", () => {
    expect(ATTRIBUTE_NAMES.model.sequential).toEqual(["data", "embedding", "encoder", "loss", "positions"]);
    expect(ATTRIBUTE_NAMES.encoder.transformer).toContain("head_dim");
  });

  it("the schema rejects null where lowering always derives a value", () => {
    const ir = irOf("quickstart.recspec");
    const blocks = ir.blocks.map((b) =>
      b.name === "sasrec" ? { ...b, attributes: { ...b.attributes, encoder: { ...(b.attributes.encoder as object), head_dim: null } } } : b,
    );
    expect(validateIr({ ...ir, blocks }).valid).toBe(false);
  });
});
