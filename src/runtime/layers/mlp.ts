// A multi-layer perceptron. Takes x [..., inDim] and layer sizes; gives [..., sizes.at(-1)].
// Layers live in scopes "layer0", "layer1", ...; the activation and dropout sit between layers,
// and after the last only when `activateLast` is set (towers ending in an embedding stay linear).
import * as tf from "@tensorflow/tfjs-core";
import type { Activation, ActivationName } from "./activations.js";
import { dense } from "./dense.js";
import { dropout, INFERENCE, type ForwardContext } from "./dropout.js";
import type { ParamStore } from "./params.js";

export interface MlpOptions {
  inDim: number;
  /** Output size of each layer, the last one being the MLP's output size. */
  sizes: readonly number[];
  activation?: ActivationName | Activation;
  /** Dropout rate after each hidden activation (default 0). */
  dropout?: number;
  /** Apply the activation (and dropout) after the last layer too (default false). */
  activateLast?: boolean;
  bias?: boolean;
}

export function mlp(x: tf.Tensor, params: ParamStore, options: MlpOptions, ctx: ForwardContext = INFERENCE): tf.Tensor {
  if (options.sizes.length === 0) throw new Error("mlp: needs at least one layer size");
  const act = options.activation ?? "relu";
  const rate = options.dropout ?? 0;
  return tf.tidy(() => {
    let h = x;
    let inDim = options.inDim;
    options.sizes.forEach((outDim, i) => {
      const last = i === options.sizes.length - 1;
      const activate = !last || options.activateLast === true;
      h = dense(h, params.scope(`layer${i}`), inDim, outDim, {
        bias: options.bias,
        activation: activate ? act : null,
      });
      if (activate) h = dropout(h, rate, ctx);
      inDim = outDim;
    });
    return h;
  });
}
