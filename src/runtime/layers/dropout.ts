// Inverted dropout with a seeded mask. Takes a tensor, a rate and a forward context (training flag
// plus Rng); gives the tensor with each element zeroed with probability `rate` and the survivors
// scaled by 1/(1−rate), so no rescaling is needed at inference.
//
// Determinism: the mask is drawn from ctx.rng in row-major element order, 16 bits per decision
// (two decisions per 32-bit draw, halving the JavaScript work that dominates dropout cost; the
// rate is thereby quantised to 1/65536). Two runs whose Rng is in the same state produce the same
// masks; every call advances the Rng by ceil(size/2) draws, so masks depend on call order too.
// The mask is built directly as a scaled Float32Array: one tensor and one multiply per call. On the
// wasm backend with the native addon the same mask is drawn natively into the heap
// (backend/native-dropout-kernel.ts).
import * as tf from "@tensorflow/tfjs-core";
import { nativeDropoutMask } from "../backend/native-dropout-kernel.js";
import type { Rng } from "../random.js";

/** What a forward pass needs beyond its inputs: whether it trains, and randomness for dropout. */
export interface ForwardContext {
  training: boolean;
  /** Required when training with any dropout rate > 0. */
  rng?: Rng;
}

/** Inference: no dropout, no randomness needed. */
export const INFERENCE: ForwardContext = { training: false };

export function dropout(x: tf.Tensor, rate: number, ctx: ForwardContext = INFERENCE): tf.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  // The same tensor object, not a copy: nothing to free, nothing for autodiff to record.
  if (rate === 0 || !ctx.training) return x;
  if (ctx.rng === undefined) throw new Error("dropout: training with rate > 0 needs ctx.rng");
  const rng = ctx.rng;
  return tf.tidy(() => {
    const mask = nativeDropoutMask(x.shape, maskThreshold(rate), maskScale(rate), rng) ?? tf.tensor(dropoutMask(x.size, rate, rng), x.shape, "float32");
    return tf.mul(x, mask);
  });
}

/** Decisions below this 16-bit value drop the element. */
function maskThreshold(rate: number): number {
  return Math.round(rate * 65536);
}

/** What a kept element is multiplied by. */
function maskScale(rate: number): number {
  return 1 / (1 - rate);
}

/** A mask of n values, each 0 (probability ≈ rate) or 1/(1−rate). */
export function dropoutMask(n: number, rate: number, rng: Rng): Float32Array {
  const mask = new Float32Array(n);
  const threshold = maskThreshold(rate);
  const scale = maskScale(rate);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const bits = rng.nextUint32();
    mask[i] = (bits & 0xffff) < threshold ? 0 : scale;
    mask[i + 1] = bits >>> 16 < threshold ? 0 : scale;
  }
  if (i < n) mask[i] = (rng.nextUint32() & 0xffff) < threshold ? 0 : scale;
  return mask;
}
