// Gradients of Sum and Mean that broadcast dy over the reduced axes with Tile. Takes nothing; gives
// `registerReductionGradients()`, which (idempotently) replaces tfjs-core's versions on every backend.
//
// Why: tfjs-core's versions compute dy · ones(x.shape), and ones() is built on the host: a
// JavaScript array the size of the input, filled and then copied onto the backend, on every
// backward pass. In the SID-ranking step (bench/models/ranking.ts) that was 11.6% of the CPU time
// (makeOnesTypedArray in a node --cpu-prof). Tiling dy gives the same values without the array.
import * as tf from "@tensorflow/tfjs-core";

/** dy [x.shape with reduced axes kept as 1] repeated along the reduced axes up to x.shape. */
function broadcastBack(dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const reps = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
  const expanded = tf.reshape(dy, kept);
  return reps.every((r) => r === 1) ? expanded : tf.tile(expanded, reps);
}

const sumGradient: tf.GradConfig = {
  kernelName: "Sum",
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    return { x: () => broadcastBack(dy as tf.Tensor, x, (attrs as unknown as tf.SumAttrs).axis) };
  },
};

const meanGradient: tf.GradConfig = {
  kernelName: "Mean",
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axes = tf.util.parseAxisParam((attrs as unknown as tf.MeanAttrs).axis, x.shape);
    const count = axes.reduce((n, a) => n * x.shape[a], 1);
    return { x: () => broadcastBack(tf.div(dy as tf.Tensor, count), x, axes) };
  },
};

/** Installs the Sum and Mean gradients above (after tfjs-core's own have been registered). */
export function registerReductionGradients(): void {
  for (const config of [sumGradient, meanGradient]) {
    if (tf.getGradient(config.kernelName)?.gradFunc !== config.gradFunc) tf.registerGradient(config);
  }
}
