// Compiles a tiny `two_tower` spec (a synthetic data set of history 10, the towers and settings a
// test asks for) and imports the class its model.ts defines, so runtime tests exercise a two-tower
// model exactly as generated programs hold it. Takes the settings; gives the class
// (constructor(data)), typed as tests use it.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as tf from "@tensorflow/tfjs-core";
import { expect } from "vitest";
import { generate } from "../../../src/compiler/codegen/index.js";
import { compileSpec } from "../../../src/compiler/compile.js";
import type { ForwardContext } from "../../../src/runtime/layers/dropout.js";
import type { RecModel } from "../../../src/runtime/models/rec-model.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { WeightedModel } from "../../../src/runtime/weighting/weighted-model.js";

export interface TwoTowerSettings {
  /** The model's name (its class is `<Name>Model`); default `retrieval`. */
  name?: string;
  /** The user tower's constructor call; default a multi-interest tower of 16 with one interest, one attention layer. */
  user?: string;
  /** The item tower's constructor call; default an item-ID embedding of 16. */
  item?: string;
  score?: "dot" | "max_interest";
  /** Default `sampled_softmax(negatives: in_batch, count: 10, logq: false, temperature: 1)`. */
  loss?: string;
  /** Default `none`. */
  weighting?: string;
  seed?: number;
}

/** The multi-interest user tower of `interests` vectors of `embedding`, one self-attention layer. */
export function multiInterest(interests: number, embedding = 16, extra = ""): string {
  return `multi_interest(tiny) { embedding = ${embedding}  interests = ${interests}  attention = self_attention(layers: 1, heads: 1, dropout: 0) ${extra}}`;
}

export type GeneratedTwoTower = RecModel & {
  readonly targetCounts: Int32Array;
  readonly user: { vectors(histories: Int32Array, count: number, ctx: ForwardContext): tf.Tensor3D };
  itemVectors(ids: tf.Tensor1D): tf.Tensor2D;
};

function specText(s: TwoTowerSettings): string {
  return [
    "spec tiny_two_tower",
    "dataset tiny = synthetic { history = 10 }",
    `tower users = ${s.user ?? multiInterest(1)}`,
    `tower items = ${s.item ?? "item_tower(tiny) { embedding = 16 }"}`,
    `model ${s.name ?? "retrieval"} = two_tower(users, items) {`,
    `  score = ${s.score ?? "max_interest"}`,
    `  loss = ${s.loss ?? "sampled_softmax(negatives: in_batch, count: 10, logq: false, temperature: 1)"}`,
    `  weighting = ${s.weighting ?? "none"}`,
    `  train { seed = ${s.seed ?? 0} }`,
    "}",
  ].join("\n");
}

/** The error diagnostics of the spec these settings make (empty when it compiles). */
export function twoTowerErrors(settings: TwoTowerSettings): string[] {
  const result = compileSpec("tiny_two_tower.recspec", { readFile: () => undefined }, { entryText: specText(settings) });
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
}

let root: string | null = null;
let serial = 0;

/** The generated class of these settings. */
export async function twoTowerClass(settings: TwoTowerSettings = {}): Promise<new (data: PreparedData) => GeneratedTwoTower> {
  const result = compileSpec("tiny_two_tower.recspec", { readFile: () => undefined }, { entryText: specText(settings) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const model = (await generate(result.ir!)).find((f) => f.name === "model.ts")!.text;
  root ??= mkdtempSync(join(tmpdir(), "two-tower-program-"));
  const dir = join(root, String(serial++));
  mkdirSync(dir);
  const runtime = pathToFileURL(resolve("src/runtime/index.ts")).href;
  writeFileSync(join(dir, "model.ts"), model.replace(/from "recspec\/runtime"/g, `from ${JSON.stringify(runtime)}`));
  const mod = (await import(pathToFileURL(join(dir, "model.ts")).href)) as Record<string, unknown>;
  const name = settings.name ?? "retrieval";
  const cls = mod[`${name[0].toUpperCase()}${name.slice(1)}Model`];
  if (typeof cls !== "function") throw new Error(`no ${name} model class in the generated model.ts`);
  return cls as new (data: PreparedData) => GeneratedTwoTower;
}

/** The generated class of an `idw(…)`-weighted model: it takes per-item weights between phases. */
export async function weightedTwoTowerClass(settings: TwoTowerSettings): Promise<new (data: PreparedData) => GeneratedTwoTower & WeightedModel> {
  const cls = await twoTowerClass(settings);
  if (typeof (cls.prototype as Partial<WeightedModel>).setItemWeights !== "function")
    throw new Error("the model takes no item weights: use weighting = idw(…)");
  return cls as new (data: PreparedData) => GeneratedTwoTower & WeightedModel;
}
