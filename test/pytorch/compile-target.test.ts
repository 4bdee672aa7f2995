// `recspec compile SPEC --target pytorch`: the package's files for the quickstart spec, with the
// spec's settings in its Python (checked to compile where a python3 exists), lines of at most 99
// characters; a family the target does not cover is exit 1 naming it and what is covered; an
// unknown target is a usage error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandIO } from "../../src/cli/io.js";
import { main } from "../../src/cli.js";

const out = mkdtempSync(join(tmpdir(), "pytorch-target-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, cwd: process.cwd() };
  const status = await main(args, io);
  return { status, stdout, stderr };
}

const spec = (name: string) => resolve(import.meta.dirname, "../../specs", name);

describe("recspec compile --target pytorch", () => {
  it("writes model.py, data.py, train.py, evaluate.py and README.md with the spec's graph and settings", async () => {
    const dir = join(out, "quickstart");
    const r = await cli(["compile", spec("quickstart.recspec"), "--target", "pytorch", "--out", dir]);
    expect(r.stderr).toContain(`wrote ${dir}/: model.py, data.py, train.py, evaluate.py, run_record.py, trained_weights.py, ir.json, README.md`);
    expect(r.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["README.md", "data.py", "evaluate.py", "ir.json", "model.py", "run_record.py", "train.py", "trained_weights.py"]);
    const model = readFileSync(join(dir, "model.py"), "utf8");
    expect(model).toContain("class SasrecModel(nn.Module):");
    expect(model).toContain("self.item_embedding = nn.Embedding(num_items + 1, 64)");
    expect(model).toContain("self.positions = nn.Embedding(512, 64)");
    expect(model).toMatch(/d_ff=64,\s+activation="gelu",\s+dropout=0\.5,\s+norm="pre",\s+\)\s+for _ in range\(1\)/);
    // The quickstart's full softmax, summed over positions: train.py divides by the batch weighing's mean.
    expect(model).toContain("# Full softmax over the catalogue.");
    expect(model).toContain('loss = F.cross_entropy(logits, following, reduction="sum", label_smoothing=0.0)');
    expect(model).not.toContain("torch.randint");
    expect(model).toContain("history_length = 50");
    expect(model).toContain("bias = attention_bias(mask, causal=True)  # [B, 1, L, L]");
    expect(model).toContain("x = self.encoder.final_norm(x)  # [B, L, 64]");
    const train = readFileSync(join(dir, "train.py"), "utf8");
    expect(train).toContain('"optimizer": {"type": "adam", "lr": 0.003, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},');
    expect(train).toContain('"early_stop": {"metric": "ndcg", "k": 10},');
    expect(train).toMatch(/WEIGH_BATCHES: dict\[str, bool\] = \{\s+"sasrec": True,\s+\}/);
    expect(train).toContain('dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")');
    const evaluate = readFileSync(join(dir, "evaluate.py"), "utf8");
    expect(evaluate).toContain('"slices": [{"type": "all"}, {"type": "popularity", "head": 0.2}],');
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("torchrun --nproc_per_node=2 PKG/train.py --data prepared/quickstart");
    for (const file of ["model.py", "data.py", "train.py", "evaluate.py", "run_record.py", "trained_weights.py"]) {
      const long = readFileSync(join(dir, file), "utf8")
        .split("\n")
        .filter((line) => line.length > 99 && line !== spec("quickstart.recspec")); // the banner names the spec on a line as long as its path
      expect(long, file).toEqual([]);
    }
    const python = spawnSync(
      "python3",
      ["-m", "py_compile", ...["model", "data", "train", "evaluate", "run_record", "trained_weights"].map((f) => join(dir, `${f}.py`))],
      { encoding: "utf8" },
    );
    if (python.error === undefined) expect(python.stderr).toBe("");
    else console.log("no python3: the generated files were not byte-compiled");
  });

  it("is exit 1 for a setting it does not cover, naming the block and what is covered", async () => {
    const r = await cli(["compile", spec("mur_idw.recspec"), "--target", "pytorch", "--out", join(out, "tt"), "--set", "items.layers=[16]"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: tower `items` has an MLP: the PyTorch target covers id towers with side features summed (no `layers`) so far");
    expect(() => readdirSync(join(out, "tt"))).toThrow();
  });

  it("is exit 1 for IDW with drawn negatives, naming the model", async () => {
    const loss = "mur.loss=sampled_softmax(negatives: uniform, count: 20)";
    // Early stopping on a ranking metric, so the drawn negatives' loss is not what is refused.
    const sets = ["--set", loss, "--set", "mur.train.early_stop=hr@10"];
    const r = await cli(["compile", spec("mur_idw.recspec"), "--target", "pytorch", "--out", join(out, "idw-drawn"), ...sets]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "error: model `mur` weights its examples with idw(...) and draws uniform negatives: the PyTorch target covers IDW with in-batch negatives or the full softmax so far",
    );
    expect(() => readdirSync(join(out, "idw-drawn"))).toThrow();
  });

  it("is a usage error for an unknown target", async () => {
    const r = await cli(["compile", spec("quickstart.recspec"), "--target", "jax"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--target takes `typescript` or `pytorch`, not `jax`");
  });
});
