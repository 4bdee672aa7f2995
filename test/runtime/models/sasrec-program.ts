// Compiles a tiny `sequential` spec (SASRec over a synthetic data set of history 10, the settings a
// test asks for) and builds the class its model.ts defines, so runtime tests exercise SASRec exactly
// as generated programs hold it. Takes the settings and the prepared data; gives the model, and the
// block's IR attributes and layers-library encoder config for tests that build on it (distillation).
import { isBlock, type SequentialAttributes } from "../../../src/ir/index.js";
import { resolvedEncoder } from "../../../src/compiler/codegen/blocks/encoder.js";
import type { SequenceNetwork } from "../../../src/runtime/distill/sequence-network.js";
import type { TransformerConfig } from "../../../src/runtime/layers/transformer.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { importGeneratedModel } from "../../helpers/generated-model.js";

export interface SasrecSettings {
  /** The model's name (checkpoints, logs; its class is `<Name>Model`); default `sasrec`. */
  name?: string;
  /** Default 16. */
  embedding?: number;
  /** Default 1. */
  layers?: number;
  /** Default 0. */
  dropout?: number;
  /** Default true. */
  causal?: boolean;
  /** The loss option as written in a spec; default `softmax`. */
  loss?: string;
  /** Default `all`. */
  positions?: "all" | "last";
  /** The training seed the parameters start from; default 0. */
  seed?: number;
}

export interface GeneratedSasrec {
  readonly model: SequenceNetwork;
  readonly attributes: SequentialAttributes;
  /** The encoder as the generated class holds it (a distillation's `teacherEncoder`). */
  readonly encoder: TransformerConfig;
}

export function sasrecSpec(s: SasrecSettings): string {
  return [
    "spec tiny_sasrec",
    "dataset tiny = synthetic { history = 10 }",
    `model ${s.name ?? "sasrec"} = sequential(tiny) {`,
    `  embedding = ${s.embedding ?? 16}`,
    `  encoder = transformer(layers: ${s.layers ?? 1}, heads: 2, d_ff: 32, dropout: ${s.dropout ?? 0}, causal: ${s.causal ?? true}, max_positions: 64)`,
    `  loss = ${s.loss ?? "softmax"}`,
    `  positions = ${s.positions ?? "all"}`,
    `  train { seed = ${s.seed ?? 0} }`,
    "}",
  ].join("\n");
}

/** The generated SASRec of these settings over `data` (whose history must be 10). */
export async function generatedSasrec(data: PreparedData, settings: SasrecSettings = {}): Promise<GeneratedSasrec> {
  const name = settings.name ?? "sasrec";
  const { exports, ir } = await importGeneratedModel("tiny_sasrec.recspec", sasrecSpec(settings));
  const cls = exports[`${name[0].toUpperCase()}${name.slice(1)}Model`] as new (data: PreparedData) => SequenceNetwork;
  const block = ir.blocks.find((b) => b.name === name)!;
  if (!isBlock(block, "model", "sequential")) throw new Error(`${name} is not a sequential model`);
  const attributes = block.attributes;
  return { model: new cls(data), attributes, encoder: resolvedEncoder(attributes.encoder, attributes.embedding).config as TransformerConfig };
}

/** Just the model. */
export async function sasrec(data: PreparedData, settings: SasrecSettings = {}): Promise<SequenceNetwork> {
  return (await generatedSasrec(data, settings)).model;
}
