// The input of a ranking model's MLP: each (user, item) pair's [u, v, u ⊙ v]. Takes users and items
// [P, d] (row p is one pair); gives [P, 3·d]. One native pass each way on the wasm backend with the
// addon (backend/native-pair-features-kernels.ts), the same numbers as the concat of ops elsewhere.
import * as tf from "@tensorflow/tfjs-core";
import { nativePairFeatures } from "../backend/native-pair-features-kernels.js";

export function pairFeatures(users: tf.Tensor2D, items: tf.Tensor2D): tf.Tensor2D {
  if (users.shape[0] !== items.shape[0] || users.shape[1] !== items.shape[1]) {
    throw new Error(`pairFeatures: users [${users.shape}] and items [${items.shape}] must have one shape`);
  }
  return nativePairFeatures(users, items) ?? tf.tidy(() => tf.concat([users, items, tf.mul(users, items)], 1) as tf.Tensor2D);
}
