// The features [u, v, u ⊙ v] of (user, item) pairs on the native addon (native/src/pair_features.c),
// as two wasm kernels tied together by a custom gradient. Takes users and items [P, d]; gives
// [P, 3·d], or undefined where the backend lacks the kernels.
//
// Why: as ops, a product and a concat forward, a three-way split, two products and two sums
// backward, each a pass writing a fresh array; here one pass each way, with the same bits.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const PAIR_FEATURES = "RecspecPairFeatures";
export const PAIR_FEATURES_GRAD = "RecspecPairFeaturesGrad";

function featuresKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { u, v } = args.inputs as Record<"u" | "v", tf.TensorInfo>;
    const [pairs, dim] = u.shape;
    const out = backend.makeOutput([pairs, 3 * dim], "float32");
    if (pairs * dim > 0) blas.pairFeatures(heapFloats(backend, u), heapFloats(backend, v), heapFloats(backend, out), dim);
    return out;
  };
}

function gradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { u, v, dx } = args.inputs as Record<"u" | "v" | "dx", tf.TensorInfo>;
    const [pairs, dim] = u.shape;
    const du = backend.makeOutput(u.shape, "float32");
    const dv = backend.makeOutput(u.shape, "float32");
    if (pairs * dim > 0) {
      blas.pairFeaturesGrad(heapFloats(backend, u), heapFloats(backend, v), heapFloats(backend, dx), heapFloats(backend, du), heapFloats(backend, dv), dim);
    }
    return [du, dv];
  };
}

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativePairFeaturesKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(PAIR_FEATURES, blas, featuresKernel);
  useAddonKernel(PAIR_FEATURES_GRAD, blas, gradKernel);
}

/** [u, v, u ⊙ v] [P, 3·d] with its one-pass gradient, or undefined without the kernels. */
export function nativePairFeatures(users: tf.Tensor2D, items: tf.Tensor2D): tf.Tensor2D | undefined {
  if (users.dtype !== "float32" || items.dtype !== "float32" || !backendHasKernel(PAIR_FEATURES)) return undefined;
  const features = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [u, v] = args as tf.Tensor2D[];
    const save = args[2] as tf.GradSaveFunc;
    save([u, v]);
    return {
      value: tf.engine().runKernel(PAIR_FEATURES, { u, v }) as tf.Tensor2D,
      gradFunc: (dx: tf.Tensor, saved: tf.Tensor[]) =>
        tf.engine().runKernel(PAIR_FEATURES_GRAD, { u: saved[0], v: saved[1], dx: tf.cast(dx, "float32") }) as tf.Tensor[],
    };
  });
  return features(users, items) as tf.Tensor2D;
}
