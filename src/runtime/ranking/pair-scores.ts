// Scoring (user, item) pairs with a pairwise head whose cost grows with the pairs, not the users:
// takes user vectors [B, E], item vectors and the head's logits function; gives each user's score of
// every item [B, N + 1] (`catalogueScores`, run over chunks of items so one call holds at most
// `pairsPerCall` pairs), and `repeatRows`, the users repeated for C consecutive candidates each.
import * as tf from "@tensorflow/tfjs-core";

/** (user, item) pairs per head call when scoring: bounds the activations to a few tens of MB. */
export const PAIRS_PER_CALL = 32_768;

/** users [B, E] → [B·C, E]: row b·C + c is user b. A gather rather than a tile: its gradient is one
 * scatter-add of the C rows of each user in order (the same sums), where tile's is C slices and C adds. */
export function repeatRows(users: tf.Tensor2D, times: number): tf.Tensor2D {
  const count = users.shape[0];
  const owners = new Int32Array(count * times);
  for (let r = 0; r < owners.length; r++) owners[r] = Math.floor(r / times);
  return tf.tidy(() => tf.gather(users, tf.tensor1d(owners, "int32")) as tf.Tensor2D);
}

/** Scores [B, N] of every user against every item (items [N, E]), `logits` taking [P, E] pairs. */
export function catalogueScores(
  users: tf.Tensor2D,
  items: tf.Tensor2D,
  logits: (users: tf.Tensor2D, items: tf.Tensor2D) => tf.Tensor1D,
  pairsPerCall = PAIRS_PER_CALL,
): tf.Tensor2D {
  const [count, dim] = users.shape;
  const total = items.shape[0];
  return tf.tidy(() => {
    const chunk = Math.max(1, Math.floor(pairsPerCall / count));
    const parts: tf.Tensor2D[] = [];
    for (let first = 0; first < total; first += chunk) {
      const size = Math.min(chunk, total - first);
      parts.push(
        tf.tidy(() => {
          const v = tf.slice(items, [first, 0], [size, dim]);
          const u = tf.reshape(tf.tile(tf.expandDims(users, 1), [1, size, 1]), [count * size, dim]) as tf.Tensor2D;
          const w = tf.reshape(tf.tile(tf.expandDims(v, 0), [count, 1, 1]), [count * size, dim]) as tf.Tensor2D;
          return tf.reshape(logits(u, w), [count, size]) as tf.Tensor2D;
        }),
      );
    }
    return (parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as tf.Tensor2D;
  });
}
