// Residual quantization (RQ-VAE, TIGER §3.1), on the host and as differentiable tensors.
// Takes latents z [n × D] and L codebooks [K × D]; gives per level the code c_d = argmin_k
// ||r_d − e_k|| of the residual (r_0 = z, r_{d+1} = r_d − e_{c_d}) and the quantized ẑ = Σ e_{c_d}.
// The tensor version also gives the two terms of the quantization loss, the codebook term
// Σ_d ||sg[r_d] − e_{c_d}||² and the commitment term Σ_d ||r_d − sg[e_{c_d}]||² (per example, summed
// over dims, averaged over the batch; the caller weighs them, β on the commitment), and the
// straight-through ẑ_st = z + sg[ẑ − z], whose gradient w.r.t. z is the gradient w.r.t. ẑ.
// Residuals pass to the next level with the chosen code detached (r_d − sg[e]), so each codebook
// is trained only by its own codebook term — the loss as the paper writes it.
import * as tf from "@tensorflow/tfjs-core";
import { stopGradient } from "../backend/ops.js";
import { nearestCode } from "./kmeans.js";

export interface HostQuantization {
  /** [n × L]: the code of each level. */
  readonly codes: Int32Array;
  /** L + 1 residuals [n × D] each: r_0 = z … r_L = z − ẑ. */
  readonly residuals: Float32Array[];
  /** ẑ [n × D]. */
  readonly quantized: Float32Array;
}

export function residualQuantizeHost(z: Float32Array, dim: number, codebooks: readonly Float32Array[], k: number): HostQuantization {
  const n = z.length / dim;
  const levels = codebooks.length;
  const codes = new Int32Array(n * levels);
  const residuals = [Float32Array.from(z)];
  const quantized = new Float32Array(z.length);
  for (let l = 0; l < levels; l++) {
    const r = residuals[l];
    const next = new Float32Array(r.length);
    for (let i = 0; i < n; i++) {
      const c = nearestCode(r, i, codebooks[l], k, dim);
      codes[i * levels + l] = c;
      for (let j = 0; j < dim; j++) {
        const e = codebooks[l][c * dim + j];
        next[i * dim + j] = r[i * dim + j] - e;
        quantized[i * dim + j] += e;
      }
    }
    residuals.push(next);
  }
  return { codes, residuals, quantized };
}

export interface TensorQuantization {
  /** Per level, the codes [B] (int32). */
  readonly codes: tf.Tensor1D[];
  /** ẑ [B, D] (no gradient path to z; gradients reach the codebooks only through the loss). */
  readonly quantized: tf.Tensor2D;
  /** z + sg[ẑ − z]: ẑ's values, z's gradient. */
  readonly straightThrough: tf.Tensor2D;
  /** Σ_d ||sg[r_d] − e_{c_d}||², mean over the batch: trains the codebooks. */
  readonly codebookLoss: tf.Scalar;
  /** Σ_d ||r_d − sg[e_{c_d}]||², mean over the batch: pulls the encoder to its codes. */
  readonly commitmentLoss: tf.Scalar;
}

/** Nearest code of each row of r [B, D] in codebook e [K, D] (no gradient). */
export function nearestCodes(r: tf.Tensor2D, e: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const rs = stopGradient(r);
    const es = stopGradient(e);
    // ||r − e||² = ||r||² − 2 r·e + ||e||²; ||r||² is the same for every code of a row.
    const scores = tf.sub(tf.sum(tf.square(es), 1), tf.mul(tf.matMul(rs, es, false, true), 2));
    return tf.argMin(scores, 1) as tf.Tensor1D;
  });
}

export function residualQuantize(z: tf.Tensor2D, codebooks: readonly tf.Tensor2D[]): TensorQuantization {
  const codes: tf.Tensor1D[] = [];
  const out = tf.tidy(() => {
    let r: tf.Tensor2D = z;
    let quantized: tf.Tensor2D | null = null;
    let codebookLoss: tf.Scalar = tf.scalar(0);
    let commitmentLoss: tf.Scalar = tf.scalar(0);
    const b = z.shape[0];
    for (const e of codebooks) {
      const c = nearestCodes(r, e);
      codes.push(tf.keep(c));
      const chosen = tf.gather(e, c) as tf.Tensor2D;
      const rDetached = stopGradient(r);
      const chosenDetached = stopGradient(chosen);
      codebookLoss = tf.add(codebookLoss, tf.div(tf.sum(tf.square(tf.sub(rDetached, chosen))), b));
      commitmentLoss = tf.add(commitmentLoss, tf.div(tf.sum(tf.square(tf.sub(r, chosenDetached))), b));
      quantized = quantized === null ? chosenDetached : (tf.add(quantized, chosenDetached) as tf.Tensor2D);
      r = tf.sub(r, chosenDetached);
    }
    const q = quantized ?? (tf.zerosLike(z) as tf.Tensor2D);
    const straightThrough = tf.add(z, stopGradient(tf.sub(q, z))) as tf.Tensor2D;
    return {
      quantized: q,
      straightThrough,
      codebookLoss,
      commitmentLoss,
    };
  });
  return { codes, ...out };
}
