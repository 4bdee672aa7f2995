// The memory estimate (src/compiler/check/memory-estimate.ts) against byte counts worked out by hand
// from the shapes each block allocates, and the checks built on it (memory-check.ts): a tensor over
// 2^31 − 1 values on any machine, a total over the limit, reported where the size was given.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/compiler/check/index.js";
import { estimateMemory, formatBytes, optimizerSlots, type Allocation } from "../../src/compiler/check/memory-estimate.js";
import { memoryLimits, parseSize } from "../../src/compiler/check/memory-limit.js";
import { loadProgram } from "../../src/compiler/check/program.js";
import { compileSpec } from "../../src/compiler/compile.js";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";

/** The derived blocks of a spec text, by name, and a lookup the estimate can use. */
function derive(text: string) {
  const diagnostics: Diagnostic[] = [];
  const program = loadProgram("t.recspec", { readFile: () => undefined }, text);
  const analysis = analyze(program, diagnostics, [], { tensors: Infinity, tensorsFrom: "test", heap: Infinity });
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const byName = new Map(analysis.blocks.map((b) => [b.block.name, b]));
  const estimate = (name: string) => estimateMemory(byName.get(name)!, (n) => byName.get(n));
  return { estimate };
}

const total = (list: Allocation[], memory: "tensors" | "heap" = "tensors") => list.filter((a) => a.memory === memory).reduce((s, a) => s + a.bytes, 0);
const find = (list: Allocation[], what: string) => list.find((a) => a.what === what)!;

const SYNTHETIC = `
dataset data = synthetic {
  users = 1000
}
`;

describe("memory estimate", () => {
  it("counts synthetic data: 48 B per interaction, 128 B per user and item, 4 B per interest", () => {
    const { estimate } = derive(SYNTHETIC);
    const e = estimate("data");
    expect(e.partial).toBe(false);
    // 1000 × 20 × 48 + (1000 + 5 × 10) × 128 + 1000 × 3 × 4
    expect(total(e.allocations, "heap")).toBe(960_000 + 134_400 + 12_000);
    // histories [1000 × 50] int32
    expect(find(e.allocations, "histories").bytes).toBe(200_000);
    // each item's cluster and rank: 2 × [50 + 1] int32
    expect(find(e.allocations, "item arrays").bytes).toBe(2 * 51 * 4);
  });

  it("counts a sequential model's weights with Adam's two slots, and one step's activations", () => {
    const { estimate } = derive(`${SYNTHETIC}
model m = sequential(data) {
  embedding = 64
  encoder   = transformer(layers: 2, heads: 2, d_ff: 256, causal: true)
  train { epochs = 1 }
}`);
    const e = estimate("m");
    expect(e.partial).toBe(false);
    const a = e.allocations;
    // 50 items + padding = 51 rows × 64, × 4 bytes × (1 + 2 Adam slots)
    expect(find(a, "item embedding table").bytes).toBe(51 * 64 * 4 * 3);
    // q, k, v per layer: 6 × [64 × 64]; outputs 2 × [64 × 64]; feed-forward 4 × [64 × 256]; positions [512 × 64]
    expect(find(a, "attention projections").bytes).toBe(6 * 64 * 64 * 4 * 3);
    expect(find(a, "attention outputs").bytes).toBe(2 * 64 * 64 * 4 * 3);
    expect(find(a, "feed-forward layers").bytes).toBe(4 * 64 * 256 * 4 * 3);
    expect(find(a, "position table").bytes).toBe(512 * 64 * 4 * 3);
    // activations, once: scores [1 × 2 × 50 × 50] per layer, a batch of histories, logits [1 × 50 × 51]
    expect(find(a, "attention scores").bytes).toBe(2 * 2 * 50 * 50 * 4);
    expect(find(a, "input histories of a batch").bytes).toBe(256 * 50 * 4);
    expect(find(a, "logits over the catalogue").bytes).toBe(50 * 51 * 4);
    expect(total(a)).toBe(1_713_432);
  });

  it("uses the optimizer's slots and an explicit micro_batch", () => {
    const { estimate } = derive(`${SYNTHETIC}
model m = sequential(data) {
  embedding = 8
  encoder   = transformer(layers: 1, heads: 1, d_ff: 8, max_positions: 64, causal: true)
  positions = last
  train {
    optimizer   = sgd(lr: 0.1)
    batch       = 32
    micro_batch = 16
    epochs      = 1
  }
}`);
    const a = estimate("m").allocations;
    expect(find(a, "item embedding table").bytes).toBe(51 * 8 * 4);
    expect(find(a, "logits over the catalogue").shape).toEqual([16, 1, 51]);
    expect(find(a, "attention scores").bytes).toBe(16 * 1 * 50 * 50 * 4);
    expect(find(a, "logits over the catalogue").attribute).toBe("train.micro_batch");
  });

  it("counts a ranking model's hashed table and scoring MLP (3 × embedding wide)", () => {
    const { estimate } = derive(`${SYNTHETIC}
model r = ranking(data) {
  embedding = 16
  item      = random_id(buckets: 1000)
  layers    = [32]
  train { optimizer = adagrad  epochs = 1 }
}`);
    const a = estimate("r").allocations;
    expect(find(a, "hashed item table").bytes).toBe(1000 * 16 * 4 * 2);
    const mlp = a.filter((x) => x.what === "scoring layers").map((x) => x.shape);
    expect(mlp).toEqual([
      [48, 32],
      [32, 1],
    ]);
    expect(total(a)).toBe((1000 * 16 + 48 * 32 + 32) * 4 * 2);
  });

  it("counts a two-tower model's towers under their own blocks, and the in-batch logits", () => {
    const { estimate } = derive(`${SYNTHETIC}
tower users = sequence_encoder(data) {
  embedding = 16
  encoder   = transformer(layers: 1, heads: 2, d_ff: 32, max_positions: 50)
}
tower items = item_tower(data) { embedding = 16 }
model tt = two_tower(users, items) {
  train { batch = 64  epochs = 1 }
}`);
    const a = estimate("tt").allocations;
    const tables = a.filter((x) => x.what === "item embedding table");
    expect(tables.map((t) => t.block)).toEqual(["users", "items"]);
    expect(tables.every((t) => t.bytes === 51 * 16 * 4 * 3)).toBe(true);
    expect(find(a, "in-batch logits").bytes).toBe(64 * 64 * 4);
    // the catalogue embedded once for evaluation: [50 × 16], no optimizer slots
    expect(find(a, "catalogue vectors").bytes).toBe(50 * 16 * 4);
    expect(find(a, "position table").bytes).toBe(50 * 16 * 4 * 3);
  });

  it("counts matrix factorization's user and item factors (row 0 shared by unseen users)", () => {
    const { estimate } = derive(`${SYNTHETIC}
model mf = matrix_factorization(data) {
  dim = 32
  train { epochs = 1 }
}`);
    const a = estimate("mf").allocations;
    expect(find(a, "user factors").bytes).toBe(1001 * 32 * 4 * 3);
    expect(find(a, "item factors").bytes).toBe(51 * 32 * 4 * 3);
  });

  it("is a lower bound over a real catalogue, whose size only the data knows", () => {
    const { estimate } = derive(`
dataset beauty = amazon("data/amazon-beauty")
model m = sequential(beauty) { train { epochs = 1 } }`);
    const e = estimate("m");
    expect(e.partial).toBe(true);
    expect(e.allocations.some((a) => a.what === "item embedding table")).toBe(false);
    expect(find(e.allocations, "attention projections").shape).toEqual([64, 64]);
  });

  it("knows each optimizer's slots", () => {
    expect(optimizerSlots({ type: "adam" })).toBe(2);
    expect(optimizerSlots({ type: "adamw" })).toBe(2);
    expect(optimizerSlots({ type: "adagrad" })).toBe(1);
    expect(optimizerSlots({ type: "sgd", momentum: 0 })).toBe(0);
    expect(optimizerSlots({ type: "sgd", momentum: 0.9 })).toBe(1);
  });

  it("formats and parses sizes", () => {
    expect(formatBytes(6_400_000_000)).toBe("6.4 GB");
    expect(formatBytes(200_000_000)).toBe("200 MB");
    expect(formatBytes(1_500)).toBe("2 kB");
    expect(formatBytes(2.5e12)).toBe("2.5 TB");
    expect(parseSize("16GB")).toBe(16e9);
    expect(parseSize("512 MiB")).toBe(512 * 2 ** 20);
    expect(parseSize("2e9")).toBe(2e9);
    expect(parseSize("lots")).toBeUndefined();
    expect(parseSize("0")).toBeUndefined();
  });

  it("takes the limit from the option, then RECSPEC_MEMORY_LIMIT, then the machine", () => {
    expect(memoryLimits(1e9).tensors).toBe(1e9);
    expect(memoryLimits(undefined, { RECSPEC_MEMORY_LIMIT: "3GB" }).tensors).toBe(3e9);
    expect(memoryLimits(undefined, {}).tensorsFrom).toBe("this machine's memory");
    expect(memoryLimits(undefined, {}).heap).toBeGreaterThan(0);
  });
});

describe("memory checks", () => {
  const spec = `${SYNTHETIC}
model m = sequential(data) {
  embedding = 64
  train { epochs = 1 }
}`;
  const compile = (set: string[], memoryLimit?: number) => compileSpec("t.recspec", { readFile: () => undefined }, { entryText: spec, set, memoryLimit });

  it("passes a small model under a small limit", () => {
    expect(compile([], 100e6).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("refuses a total over the limit at the --set that made it, with the estimate and the limit", () => {
    const r = compile(["m.embedding=4096"], 1e9);
    const d = r.diagnostics.find((x) => x.code === "RS4012")!;
    expect(d.file).toBe("--set m.embedding=4096");
    expect(d.message).toMatch(/^`m` needs about [\d.]+ GB of memory for its tensors, more than the limit of 1\.0 GB/);
    expect(d.help).toMatch(/lower `embedding` of `m`/);
    expect(d.notes[0]).toMatch(/^feed-forward layers: 4 × \[4096 × 16384\] \+ 2 optimizer slots each/);
    expect(r.ir).toBeNull();
  });

  it("refuses a tensor over 2^31 − 1 values whatever the limit", () => {
    const r = compile(["m.embedding=100000"], Infinity);
    const d = r.diagnostics.find((x) => x.code === "RS4013")!;
    // d_ff defaults to 4 × d_model, which follows the embedding: the largest tensor is [100000 × 400000].
    expect(d.message).toContain("40,000,000,000 values (feed-forward layers [100000 × 400000])");
    expect(d.file).toBe("--set m.embedding=100000");
  });

  it("refuses generated data beyond the heap share, at `users`", () => {
    const r = compile(["data.users=30000000"], Infinity);
    const d = r.diagnostics.find((x) => x.code === "RS4012")!;
    expect(d.message).toMatch(/JavaScript heap for its generated data/);
    expect(d.notes[0]).toBe("generated interactions: 30000000 users × 20 items, 33.0 GB");
  });
});
