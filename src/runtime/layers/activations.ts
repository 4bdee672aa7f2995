// Elementwise activation functions over tfjs-core ops, and lookup by name. Takes a tensor, gives a
// tensor of the same shape. tfjs-core has no gelu, so both common forms are built here from ops
// that have gradients on every backend (Erf, Tanh, Sigmoid, Elu).
import * as tf from "@tensorflow/tfjs-core";
import { nativeGelu } from "../backend/native-gelu-kernels.js";

export type Activation = (x: tf.Tensor) => tf.Tensor;

export const ACTIVATION_NAMES = ["linear", "relu", "gelu", "gelu_tanh", "elu", "silu", "tanh", "sigmoid"] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

export function relu(x: tf.Tensor): tf.Tensor {
  return tf.relu(x);
}

/** Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (PyTorch's default form); one native kernel each way
 * on the wasm backend with the addon (backend/native-gelu-kernels.ts). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return nativeGelu(x) ?? tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (BERT / GPT-2). */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner)));
  });
}

/** ELU with α = 1: x for x > 0, exp(x) − 1 otherwise. */
export function elu(x: tf.Tensor): tf.Tensor {
  return tf.elu(x);
}

/** SiLU / swish: x·sigmoid(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

const TABLE: Record<ActivationName, Activation> = {
  linear: (x) => x,
  relu,
  gelu,
  gelu_tanh: geluTanh,
  elu,
  silu,
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
};

/** The activation called `name`; a function passes through, undefined/null mean linear. */
export function activation(name: ActivationName | Activation | null | undefined): Activation {
  if (name === undefined || name === null) return TABLE.linear;
  if (typeof name === "function") return name;
  const fn = TABLE[name];
  if (fn === undefined) {
    throw new Error(`unknown activation '${name}' (known: ${ACTIVATION_NAMES.join(", ")})`);
  }
  return fn;
}
