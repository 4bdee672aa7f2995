// Written by `recspec export`: recommends with the exported model in a browser page (or Node)
// through TensorFlow.js, as `recspec recommend` does. Takes the export's folder (model.json and
// weights.bin beside this file, by default) and TensorFlow.js (the global `tf` the page's
// tf-core.min.js and tf-backend-cpu.min.js define, or `options.tf`); gives
// `{ model, users, items, has(userId), recommend(userId, k, { includeSeen }) }`. A user's score of
// item i is the best dot product of the user's query vectors with item i's vector; the user's own
// items are left out unless `includeSeen`. Only the users known when the model was exported can be
// asked for: their query vectors were computed then, from their histories.

/** Loads the export at `baseUrl` (default: this module's folder). `options.fetch` replaces the global fetch. */
export async function loadRecommender(baseUrl = new globalThis.URL(".", import.meta.url).href, options = {}) {
  const tf = options.tf ?? globalThis.tf;
  if (!tf) throw new Error("TensorFlow.js is not loaded: add tf-core.min.js and tf-backend-cpu.min.js to the page before recommend.js, or pass { tf }");
  const get = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  const read = async (name) => {
    const response = await get(new globalThis.URL(name, base).href);
    if (!response.ok) throw new Error(`cannot load ${name} from ${base}: HTTP ${response.status}`);
    return response;
  };
  const manifest = await (await read("model.json")).json();
  if (manifest.format !== "recspec-vectors") throw new Error(`${base}model.json is not a recspec export (format ${manifest.format})`);
  const specs = [];
  const buffers = [];
  for (const group of manifest.weightsManifest) {
    specs.push(...group.weights);
    for (const path of group.paths) buffers.push(await (await read(path)).arrayBuffer());
  }
  const weights = tf.io.decodeWeights(concatenate(buffers), specs);
  const { heads, dim } = manifest.recspec;
  const queries = weights.queries; // [users, heads, dim]
  const items = weights.items; // [items + 1, dim], row 0 the padding item
  const seenOffsets = weights.seen_offsets.dataSync();
  const seenItems = weights.seen_items.dataSync();
  weights.seen_offsets.dispose();
  weights.seen_items.dispose();
  const userIndex = new Map(manifest.userIds.map((id, u) => [id, u]));
  const itemIds = manifest.itemIds;

  /** The user's best `k` items, best first: `[{ item, score }]` (fewer when fewer can be recommended). */
  async function recommend(userId, k = 10, { includeSeen = false } = {}) {
    const u = userIndex.get(String(userId));
    if (u === undefined) throw new Error(`unknown user \`${userId}\`: the export knows the ${userIndex.size} users of its data set`);
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, not ${k}`);
    const scored = tf.tidy(() => {
      const q = tf.reshape(tf.slice(queries, [u, 0, 0], [1, heads, dim]), [heads, dim]);
      return tf.max(tf.matMul(q, items, false, true), 0); // [items + 1]: each item's best head
    });
    const scores = Float32Array.from(await scored.data());
    scored.dispose();
    // Never the padding item; the user's own items only when asked for.
    scores[0] = -Infinity;
    if (!includeSeen) for (let j = seenOffsets[u]; j < seenOffsets[u + 1]; j++) scores[seenItems[j]] = -Infinity;
    const masked = tf.tensor1d(scores);
    const top = tf.topk(masked, Math.min(k, scores.length)); // ties: the lower item index first
    const [values, indices] = await Promise.all([top.values.data(), top.indices.data()]);
    tf.dispose([masked, top.values, top.indices]);
    const list = [];
    for (let r = 0; r < values.length && values[r] !== -Infinity; r++) list.push({ item: itemIds[indices[r]], score: values[r] });
    return list;
  }

  return {
    model: manifest.recspec.model,
    users: manifest.userIds,
    items: itemIds.slice(1),
    has: (userId) => userIndex.has(String(userId)),
    recommend,
    dispose: () => tf.dispose([queries, items]),
  };
}

function concatenate(buffers) {
  if (buffers.length === 1) return buffers[0];
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}
