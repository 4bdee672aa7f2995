// A `transformer(…)` option of the IR as the layers library's TransformerConfig, with every derived
// width worked out at compile time (d_model from the embedding, d_ff = 4·d_model, head_dim =
// d_model / heads) and a one-line summary for doc comments. Takes the IR value; gives both.
import type { Value } from "../../check/types.js";

export interface ResolvedEncoder {
  readonly config: {
    layers: number;
    heads: number;
    headDim: number;
    dModel: number;
    dFF: number;
    dropout: number;
    causal: boolean;
    activation: string;
    norm: string;
  };
  readonly maxPositions: number;
  readonly summary: string;
}

export function resolvedEncoder(value: Value | undefined, embedding: number): ResolvedEncoder {
  const enc = value as Record<string, Value>;
  const dModel = enc.d_model === null ? embedding : Number(enc.d_model);
  const heads = Number(enc.heads);
  const config = {
    layers: Number(enc.layers),
    heads,
    headDim: enc.head_dim === null ? dModel / heads : Number(enc.head_dim),
    dModel,
    dFF: enc.d_ff === null ? 4 * dModel : Number(enc.d_ff),
    dropout: Number(enc.dropout),
    causal: enc.causal === true,
    activation: String(enc.activation),
    norm: String(enc.norm),
  };
  const summary =
    `${config.layers} ${config.norm}-LN transformer layer${config.layers === 1 ? "" : "s"} ` +
    `(${heads} head${heads === 1 ? "" : "s"} of ${config.headDim}, d_model ${dModel}, d_ff ${config.dFF}, ${config.activation}` +
    `${config.causal ? ", causal" : ""}, dropout ${config.dropout})`;
  return { config, maxPositions: Number(enc.max_positions), summary };
}
