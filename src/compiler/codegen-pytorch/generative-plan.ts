// What the PyTorch package holds for a `generative` (TIGER) model, decided before any Python is
// printed. Takes the IR and the block's name; gives its widths (encoder and decoder through the
// TypeScript target's own resolvedEncoder, the decoder causal as there), user buckets, beam settings
// and train settings, or a PytorchTargetError for what the target does not cover. The token layout
// itself depends on the fitted quantizer, so it comes from `recspec prepare`, not from here.
import type { IR, TrainAttributes } from "../../ir/index.js";
import { blockOf, typed } from "../../ir/narrow.js";
import { refName } from "../codegen/blocks/block-code.js";
import { resolvedEncoder, type ResolvedEncoder } from "../codegen/blocks/encoder.js";
import { pyClass } from "./python.js";

export interface PyGenerative {
  readonly family: "generative";
  readonly name: string;
  /** The nn.Module class (`TigerModel`). */
  readonly cls: string;
  readonly dataset: string;
  /** The quantizer whose Semantic IDs the model decodes. */
  readonly quantizer: string;
  /** History length T: the source holds the last T items' tokens. */
  readonly history: number;
  /** Width of the token table, the positions and both stacks. */
  readonly dModel: number;
  readonly encoder: ResolvedEncoder;
  readonly decoder: ResolvedEncoder;
  /** Hashed user buckets (0: no user token). */
  readonly buckets: number;
  readonly width: number;
  readonly constrained: boolean;
  readonly coldStartShare: number;
  readonly train: TrainAttributes;
}

/** Thrown for what the target does not cover; the caller's error type, so the CLI reports it. */
type TargetError = new (message: string) => Error;

export function generativePlan(ir: IR, name: string, TargetError: TargetError): PyGenerative {
  const block = blockOf(
    ir.blocks.find((b) => b.name === name)!,
    "model",
    "generative",
  );
  const a = block.attributes;
  const train = typed(block).train;
  if (train === null) throw new Error(`internal: model ${name} has no train settings`);
  const optimizer = train.optimizer.type;
  if (optimizer !== "adam" && optimizer !== "adamw" && optimizer !== "sgd") {
    throw new TargetError(`model \`${name}\` uses the ${optimizer} optimizer: the PyTorch target covers adam, adamw and sgd so far`);
  }
  const d = a.encoder.d_model;
  const encoder = resolvedEncoder(a.encoder, d);
  // As the TypeScript target builds it: the decoder is causal whatever the option says.
  const decoder = resolvedEncoder({ ...a.decoder, causal: true }, d);
  if (decoder.config.dModel !== d) {
    throw new TargetError(
      `model \`${name}\`: the decoder's d_model ${decoder.config.dModel} differs from the encoder's ${d}; the tied token table needs one width`,
    );
  }
  const data = ir.blocks.find((b) => b.name === refName(a.data))!;
  return {
    family: "generative",
    name,
    cls: pyClass(name, "Model"),
    dataset: data.name,
    quantizer: refName(a.ids),
    history: Number(data.attributes.history),
    dModel: d,
    encoder,
    decoder,
    buckets: a.user.type === "hashed" ? a.user.buckets : 0,
    width: a.decode.width,
    constrained: a.decode.constrain === "trie",
    coldStartShare: a.cold_start_share,
    train,
  };
}
