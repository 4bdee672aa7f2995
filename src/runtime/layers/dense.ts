// A fully connected layer. Takes x [..., inDim] (rank ≥ 2) and a ParamStore scope holding
// "kernel" [inDim, outDim] and "bias" [outDim]; gives activation(x·W + b) [..., outDim].
// Inputs of rank > 2 are flattened to 2-D for a plain matMul (the fast path on every backend)
// and reshaped back. The bias, and a relu, ride on the matmul (tf.fused.matMul): one kernel that
// adds the bias in its epilogue instead of a broadcasting Add over the whole output; with the native
// addon a relu's gradient is one pass too (fused-dense-relu.ts).
import * as tf from "@tensorflow/tfjs-core";
import { activation as lookup, type Activation, type ActivationName } from "./activations.js";
import { fusedDenseRelu } from "./fused-dense-relu.js";
import { glorotUniform, zeros, type Init } from "./initializers.js";
import type { ParamStore } from "./params.js";

export interface DenseOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
  /** Applied to the output (default linear). */
  activation?: ActivationName | Activation | null;
  /** Kernel initialiser (default Glorot uniform); the bias starts at zero. */
  kernelInit?: Init;
}

export function dense(x: tf.Tensor, params: ParamStore, inDim: number, outDim: number, options: DenseOptions = {}): tf.Tensor {
  if (x.rank < 2) throw new Error(`dense: input must have rank ≥ 2, got shape [${x.shape}]`);
  if (x.shape[x.rank - 1] !== inDim) {
    throw new Error(`dense: input last dim ${x.shape[x.rank - 1]} ≠ inDim ${inDim}`);
  }
  const kernel = params.get("kernel", [inDim, outDim], options.kernelInit ?? glorotUniform());
  const bias = (options.bias ?? true) ? params.get("bias", [outDim], zeros()) : null;
  const act = lookup(options.activation);
  return tf.tidy(() => {
    const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inDim]) as tf.Tensor2D);
    const name = options.activation ?? "linear";
    const fused = name === "linear" || name === "relu" ? name : null;
    const native = fused === "relu" ? fusedDenseRelu(flat, kernel as tf.Tensor2D, bias) : undefined;
    let y: tf.Tensor = native ?? tf.fused.matMul({ a: flat, b: kernel as tf.Tensor2D, bias: bias ?? undefined, activation: fused ?? "linear" });
    if (fused === null) y = act(y);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
  });
}
