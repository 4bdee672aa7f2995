// `recspec compile SPEC --target pytorch` for the SID-ranking and distillation example specs: the
// package spells out each family's graph with the spec's sizes (the ranker's item rows and MLP, the
// student network, its distillation class and transform), every generated line fits 99
// characters, and python3 byte-compiles the files where it exists; a ranking student, which the
// target does not cover yet, is exit 1 naming it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/io.js";
import { main } from "../../src/cli.js";

const out = mkdtempSync(join(tmpdir(), "pytorch-families-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stderr = "";
  const io: CommandIO = { stdout: () => undefined, stderr: (t) => void (stderr += t), color: false, cwd: process.cwd() };
  const status = await main(args, io);
  return { status, stderr };
}

const spec = (name: string) => resolve(import.meta.dirname, "../../specs", name);
const FILES = ["model", "data", "train", "evaluate"];

/** Compiles a spec to a package; its model.py, after checking line widths and byte-compiling. */
async function compiled(name: string): Promise<string> {
  const dir = join(out, name);
  const r = await cli(["compile", spec(`${name}.recspec`), "--target", "pytorch", "--out", dir]);
  expect(r.stderr).toContain(`wrote ${dir}/`);
  expect(r.status).toBe(0);
  for (const file of FILES) {
    const long = readFileSync(join(dir, `${file}.py`), "utf8")
      .split("\n")
      .filter((line) => line.length > 99 && line !== spec(`${name}.recspec`));
    expect(long, file).toEqual([]);
  }
  const python = spawnSync("python3", ["-m", "py_compile", ...FILES.map((f) => join(dir, `${f}.py`))], { encoding: "utf8" });
  if (python.error === undefined) expect(python.stderr).toBe("");
  return readFileSync(join(dir, "model.py"), "utf8");
}

describe("recspec compile --target pytorch: SID ranking and distillation", () => {
  it("writes the ranker of specs/sid_ranking.recspec: prepared item rows, the MLP, 4 negatives", async () => {
    const model = await compiled("sid_ranking");
    expect(model).toContain("class RankerModel(nn.Module):");
    expect(model).toContain("Items: semantic_id(sid, ngram(n: 2, rows: 32768)),");
    expect(model).toContain("self.item = nn.Embedding(table_rows, 64)");
    expect(model).toMatch(/nn\.Linear\(192, 256\),\s+nn\.Linear\(256, 128\),\s+nn\.Linear\(128, 1\),/);
    expect(model).toContain("candidates_per_example = 5");
    expect(model).toContain("ids = histories[:, -20 :]  # [B, 20]");
    expect(readFileSync(join(out, "sid_ranking", "evaluate.py"), "utf8")).toContain(
      '"candidates": {"type": "sampled", "negatives": 99, "sampling": "uniform"},',
    );
  });

  it("writes the teacher, the student network and its distillation class of specs/distill.recspec", async () => {
    const model = await compiled("distill");
    expect(model).toContain("class TeacherModel(nn.Module):");
    expect(model).toContain("class StudentNetwork(nn.Module):");
    expect(model).toContain("class StudentModel(StudentNetwork):");
    expect(model).toContain("self.item_embedding = nn.Embedding(num_items + 1, 16)");
    expect(model).toContain("temperature = 4\n    alpha = 0.9");
    expect(model).toContain("return self.teacher_probabilities(histories, rows)");
    expect(model).toContain("loss = hard * (1 - self.alpha) + soft * (self.alpha * self.temperature**2)");
  });

  it("is exit 1 for a ranking student, naming it", async () => {
    const text = readFileSync(spec("sid_ranking.recspec"), "utf8").replace(
      /\nevaluate ranker/,
      "\ndistill small = distill(teacher: ranker, student: ranker { layers = [32] }) {\n  temperature = 2\n  alpha = 0.5\n}\n\nevaluate ranker",
    );
    const file = join(out, "ranking_student.recspec");
    writeFileSync(file, text.replace("spec sid_ranking", "spec ranking_student").replace('"data/amazon-beauty"', `"${resolve("data/amazon-beauty")}"`));
    const r = await cli(["compile", file, "--target", "pytorch", "--out", join(out, "rs")]);
    expect(r.stderr).toContain("distill `small` has a ranking student: the PyTorch target distils into sequential students so far");
    expect(r.status).toBe(1);
  });
});
