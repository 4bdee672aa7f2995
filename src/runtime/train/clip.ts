// Gradient clipping by global norm, and detection of NaN/Inf in gradients.
// Takes gradients keyed by variable name; gives the global L2 norm, clipped copies, and the
// names of gradients that are not finite. Reads are awaited: a GPU backend has no synchronous one.
import * as tf from "@tensorflow/tfjs-core";

/** sqrt(Σ over all gradients of Σ g²), read back to the host. NaN or Inf if any entry is. */
export async function globalNorm(grads: Map<string, tf.Tensor>): Promise<number> {
  if (grads.size === 0) return 0;
  const norm = tf.tidy(() => tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g))))));
  try {
    return (await norm.data())[0];
  } finally {
    norm.dispose();
  }
}

export interface ClipResult {
  /** New tensors the caller owns (copies when nothing was clipped); the input is left alone. */
  grads: Map<string, tf.Tensor>;
  /** Global norm before clipping. */
  norm: number;
  /** Whether the gradients were scaled down. */
  clipped: boolean;
}

/**
 * Scales every gradient by maxNorm / max(norm, maxNorm) (TF's clip_by_global_norm), so the
 * direction is kept and nothing changes when the norm is already within bounds. A non-finite
 * norm is reported as is and the gradients are copied unscaled: the caller decides what to do.
 */
export async function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): Promise<ClipResult> {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = await globalNorm(grads);
  const clipped = Number.isFinite(norm) && norm > maxNorm;
  const scale = clipped ? maxNorm / norm : 1;
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) out.set(name, clipped ? tf.tidy(() => tf.mul(g, scale)) : g.clone());
  return { grads: out, norm, clipped };
}

/** Names of the gradients holding at least one NaN or ±Inf, in map order. */
export async function nonFiniteGradients(grads: Map<string, tf.Tensor>): Promise<string[]> {
  const names = [...grads.keys()];
  if (names.length === 0) return [];
  // One read for all flags rather than one per gradient.
  const flags = tf.tidy(() => tf.stack([...grads.values()].map((g) => tf.cast(tf.any(tf.logicalNot(tf.isFinite(g))), "int32"))));
  try {
    const values = await flags.data();
    return names.filter((_, i) => values[i] !== 0);
  } finally {
    flags.dispose();
  }
}
