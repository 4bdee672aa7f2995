// Compiles a tiny `generative` spec (TIGER over a synthetic data set of history 10) and imports the
// class its model.ts defines, so runtime tests exercise the model exactly as generated programs
// hold it. Takes the settings tests vary; gives the class (constructor(data, quantizer)).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { generate } from "../../../src/compiler/codegen/index.js";
import { compileSpec } from "../../../src/compiler/compile.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { Quantizer } from "../../../src/runtime/quantizers/quantizer.js";
import type { RecModel } from "../../../src/runtime/models/rec-model.js";
import type { SemanticIdLayout } from "../../../src/runtime/models/generative.js";
import type { SemanticIdRetrieval, Seq2SeqDecoding } from "../../../src/runtime/decode/semantic-id-retrieval.js";
import type { SemanticIdTable } from "../../../src/runtime/quantizers/semantic-id-table.js";

export interface TigerSettings {
  layers?: number;
  norm?: "pre" | "post";
  width?: number;
  constrain?: "trie" | "none";
  coldStartShare?: number;
  seed?: number;
}

export type TigerModel = RecModel &
  Seq2SeqDecoding & {
    readonly layout: SemanticIdLayout;
    readonly retrieval: SemanticIdRetrieval;
    scoreItems(histories: Int32Array, count: number, users?: Int32Array): Promise<import("@tensorflow/tfjs-core").Tensor2D>;
  };

function specText(s: TigerSettings): string {
  const stack = `transformer(layers: ${s.layers ?? 1}, heads: 2, head_dim: 8, d_model: 24, d_ff: 48, dropout: 0, norm: ${s.norm ?? "pre"}, max_positions: 64)`;
  return [
    "spec tiny_tiger",
    "dataset synth = synthetic { history = 10 }",
    "quantizer sid = random_ids(synth.items) { levels = 2  codebook = 10 }",
    "model tiger = generative(synth, ids: sid) {",
    `  encoder = ${stack}`,
    `  decoder = ${stack}`,
    "  user = hashed(buckets: 16)",
    `  decode = beam(width: ${s.width ?? 10}, constrain: ${s.constrain ?? "trie"})`,
    `  cold_start_share = ${s.coldStartShare ?? 0.1}`,
    `  train { steps = 10  batch = 64  seed = ${s.seed ?? 0} }`,
    "}",
  ].join("\n");
}

let root: string | null = null;
let serial = 0;

/** A model of the generated class over `table` (wrapped as the quantizer `sid`). */
export async function generatedTiger(data: PreparedData, table: SemanticIdTable, settings: TigerSettings = {}): Promise<TigerModel> {
  const result = compileSpec("tiny_tiger.recspec", { readFile: () => undefined }, { entryText: specText(settings) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const model = (await generate(result.ir!)).find((f) => f.name === "model.ts")!.text;
  root ??= mkdtempSync(join(tmpdir(), "tiger-program-"));
  const dir = join(root, String(serial++));
  mkdirSync(dir);
  const runtime = pathToFileURL(resolve("src/runtime/index.ts")).href;
  writeFileSync(join(dir, "model.ts"), model.replace(/from "recspec\/runtime"/g, `from ${JSON.stringify(runtime)}`));
  const mod = (await import(pathToFileURL(join(dir, "model.ts")).href)) as { TigerModel: new (data: PreparedData, sid: Quantizer) => TigerModel };
  return new mod.TigerModel(data, { name: "sid", table } as unknown as Quantizer);
}
