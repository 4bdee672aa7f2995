// Layer normalisation over the last axis. Takes x [..., dim] and a scope holding "gamma" and
// "beta" [dim]; gives (x − mean) / sqrt(var + eps) · gamma + beta, statistics per position. On the
// wasm backend with the native addon, forward and backward are one kernel each
// (backend/native-layer-norm-kernels.ts).
import * as tf from "@tensorflow/tfjs-core";
import { nativeLayerNorm } from "../backend/native-layer-norm-kernels.js";
import { ones, zeros } from "./initializers.js";
import type { ParamStore } from "./params.js";

export interface LayerNormOptions {
  /** Added to the variance (default 1e-6). */
  eps?: number;
}

export function layerNorm(x: tf.Tensor, params: ParamStore, dim: number, options: LayerNormOptions = {}): tf.Tensor {
  if (x.shape[x.rank - 1] !== dim) {
    throw new Error(`layerNorm: input last dim ${x.shape[x.rank - 1]} ≠ dim ${dim}`);
  }
  const gamma = params.get("gamma", [dim], ones());
  const beta = params.get("beta", [dim], zeros());
  const eps = options.eps ?? 1e-6;
  const native = nativeLayerNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps);
  if (native !== undefined) return native;
  return tf.tidy(() => {
    // Population variance (divide by dim), as in the original paper and every framework.
    const { mean, variance } = tf.moments(x, x.rank - 1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, gamma), beta);
  });
}
