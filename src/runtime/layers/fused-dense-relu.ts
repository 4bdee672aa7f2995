// relu(x·W + b) as one fused matmul kernel forward and, backward, the ReLU's gradient in one native pass
// (backend/native-relu-grad-kernel.ts) before the two matmuls and the bias sum. Takes x [M, K],
// W [K, N] and an optional bias [N]; gives y [M, N], or undefined where the backend lacks the kernel.
//
// Why: tfjs's fused matmul takes the ReLU's gradient as step(y) then dy·step(y), two passes that
// each write an [M, N] array (the ranking MLPs' widest activations), and under a tape runs the
// forward unfused. The same numbers: the same matmuls on the same operands, and dy·1 = dy.
import * as tf from "@tensorflow/tfjs-core";
import { hasNativeReluGrad, nativeReluGrad } from "../backend/native-relu-grad-kernel.js";

export function fusedDenseRelu(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor | null): tf.Tensor2D | undefined {
  if (x.dtype !== "float32" || !hasNativeReluGrad()) return undefined;
  const layer = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const a = args[0] as tf.Tensor2D;
    const w = args[1] as tf.Tensor2D;
    const b = bias === null ? undefined : (args[2] as tf.Tensor);
    const save = args[args.length - 1] as tf.GradSaveFunc;
    // The fused kernel itself: under a gradient tape tf.fused.matMul falls back to a matmul, an Add
    // and a Relu (it cannot differentiate the fused form), three passes where this is one.
    const [m, k] = a.shape;
    const inputs = { a: tf.reshape(a, [1, m, k]), b: tf.reshape(w, [1, k, w.shape[1]]), ...(b === undefined ? {} : { bias: b }) };
    const attrs = { transposeA: false, transposeB: false, activation: "relu" };
    const y = tf.reshape(tf.engine().runKernel("_FusedMatMul", inputs, attrs) as tf.Tensor, [m, w.shape[1]]) as tf.Tensor2D;
    save([a, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sw, sy] = saved as tf.Tensor2D[];
        const g = nativeReluGrad(sy, tf.cast(dy, "float32")) as tf.Tensor2D;
        const grads = [tf.matMul(g, sw, false, true), tf.matMul(sa, g, true, false)];
        return bias === null ? grads : [...grads, tf.reshape(tf.sum(g, 0), bias.shape)];
      },
    };
  });
  return (bias === null ? layer(x, kernel) : layer(x, kernel, bias)) as tf.Tensor2D;
}
