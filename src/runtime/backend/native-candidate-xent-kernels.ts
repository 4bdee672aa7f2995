// Sampled softmax over [positive, negatives] on the native addon (native/src/candidate_xent.c), as
// two wasm kernels tied together by a custom gradient. Takes the positives' scores [P], the
// negatives' scores [P, K], constant logit offsets for the positives [P] and the negatives [K], and
// the sorted flat indices into [P, K] of masked negatives; gives the per-row loss
// logsumexp(z) − z[0] over z = [pos + posOff, scores + negOff (masked at the hits)], and gradients
// for the two scores.
//
// Why: the op-by-op form builds the [P, K + 1] logits (a concat, a host-built offsets tensor and
// its add) and splits the gradient back, five passes over the logits on top of the softmax's own;
// here each row's logits live only in a scratch row, and the results are bit for bit the same.
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { backendHasKernel, heapFloats, useAddonKernel } from "./addon-kernels.js";
import type { NativeBlas } from "./native-blas.js";

export const CANDIDATE_XENT = "RecspecCandidateXent";
export const CANDIDATE_XENT_GRAD = "RecspecCandidateXentGrad";

type Inputs = Record<"pos" | "scores" | "posOff" | "negOff" | "hits", tf.TensorInfo>;

/** The hit indices as a heap view (an empty list need not have any heap memory). */
function heapHits(backend: BackendWasm, hits: tf.TensorInfo): Int32Array {
  return tf.util.sizeFromShape(hits.shape) === 0 ? new Int32Array(0) : (backend.typedArrayFromHeap(hits) as Int32Array);
}

function forwardKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { pos, scores, posOff, negOff, hits } = args.inputs as Inputs;
    const [p, k] = scores.shape;
    const outs = [backend.makeOutput([p], "float32"), backend.makeOutput([p], "float32")];
    if (p > 0) {
      const [lse, loss] = outs.map((t) => heapFloats(backend, t));
      const f = (t: tf.TensorInfo) => heapFloats(backend, t);
      blas.candidateXent(f(pos), f(scores), f(posOff), f(negOff), heapHits(backend, hits), lse, loss, p, k);
    }
    return outs;
  };
}

function gradKernel(blas: NativeBlas): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { pos, scores, posOff, negOff, hits, lse, dy } = args.inputs as Inputs & Record<"lse" | "dy", tf.TensorInfo>;
    const [p, k] = scores.shape;
    const outs = [backend.makeOutput([p], "float32"), backend.makeOutput([p, k], "float32")];
    if (p > 0) {
      const [dpos, dscores] = outs.map((t) => heapFloats(backend, t));
      const f = (t: tf.TensorInfo) => heapFloats(backend, t);
      blas.candidateXentGrad(f(pos), f(scores), f(posOff), f(negOff), heapHits(backend, hits), f(lse), f(dy), dpos, dscores, p, k);
    }
    return outs;
  };
}

/** Registers both kernels on the wasm backend when the addon is given, else removes them. */
export function useNativeCandidateXentKernels(blas: NativeBlas | undefined): void {
  useAddonKernel(CANDIDATE_XENT, blas, forwardKernel);
  useAddonKernel(CANDIDATE_XENT_GRAD, blas, gradKernel);
}

/** True when the current backend runs the fused kernels (the wasm backend with the addon). */
export function hasNativeCandidateXent(): boolean {
  return backendHasKernel(CANDIDATE_XENT);
}

/** Per-row loss [P] with its gradient for `pos` and `scores` (the offsets and hits are constants). */
export function nativeCandidateXent(pos: tf.Tensor1D, scores: tf.Tensor2D, posOff: tf.Tensor1D, negOff: tf.Tensor1D, hits: tf.Tensor1D): tf.Tensor1D {
  const xent = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [ps, ss] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    const [lse, loss] = tf.engine().runKernel(CANDIDATE_XENT, { pos: ps, scores: ss, posOff, negOff, hits }) as tf.Tensor[];
    save([ps, ss, lse, posOff, negOff, hits]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sp, sss, sl, so, sn, sh] = saved;
        const inputs = { pos: sp, scores: sss, posOff: so, negOff: sn, hits: sh, lse: sl, dy: tf.cast(dy, "float32") };
        return tf.engine().runKernel(CANDIDATE_XENT_GRAD, inputs) as tf.Tensor[];
      },
    };
  });
  return xent(tf.cast(pos, "float32"), tf.cast(scores, "float32")) as tf.Tensor1D;
}
