// Cold items (held out by the data set's cold_start share) are never trained on. A Semantic-ID
// item reads rows shared with warm items of the same codes, so training gives it a meaningful
// vector; a random-ID item reads only its own hash bucket, which training never touches.
// tfjs-core itself first: the gradient registry alone leaves tensor methods (clone) unset.
import "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../../src/runtime/backend/select-backend.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import { clusterSemanticIds, rankingData, trainQuietly } from "./fixtures.js";
import { generatedRanker, type GeneratedRanker } from "./ranking-program.js";

let data: PreparedData;
let cold: number[];
let warm: number[];
beforeAll(async () => {
  await selectBackend("wasm");
  data = await rankingData(0.2);
  cold = [...data.coldItems].sort((a, b) => a - b);
  warm = Array.from({ length: data.numItems }, (_, i) => i + 1).filter((i) => data.coldMask[i] === 0);
});

function vectors(model: GeneratedRanker, items: number[]): Float32Array[] {
  const t = model.item.embed(Int32Array.from(items));
  const host = t.dataSync() as Float32Array;
  t.dispose();
  const dim = host.length / items.length;
  return items.map((_, k) => host.slice(k * dim, (k + 1) * dim));
}

/** Share of (cluster c, cold item in c, cold item not in c) triples where a user whose history is
 * warm items of c scores the in-cluster cold item higher. */
function coldPairAccuracy(model: GeneratedRanker): number {
  const cluster = data.synthetic!.itemCluster;
  let right = 0;
  let total = 0;
  for (let c = 0; c < 5; c++) {
    const history = warm.filter((i) => cluster[i] === c).slice(0, model.historyLength);
    const padded = new Int32Array(model.historyLength);
    padded.set(history, model.historyLength - history.length);
    const scores = model.scoreItems(padded, 1);
    const s = scores.dataSync();
    scores.dispose();
    for (const a of cold.filter((i) => cluster[i] === c)) {
      for (const b of cold.filter((i) => cluster[i] !== c)) {
        total++;
        if (s[a] > s[b]) right++;
      }
    }
  }
  return right / total;
}

describe("cold start", () => {
  it("a cold random ID keeps its untrained bucket; a cold Semantic ID reads trained rows shared with warm items", async () => {
    expect(cold.length).toBe(10);
    const ids = clusterSemanticIds(data);

    const random = await generatedRanker(data, { item: "random_id(buckets: 4096)", seed: 5 });
    const warmBuckets = new Set(warm.flatMap((i) => random.item.rowsOf(i)));
    const isolated = cold.filter((i) => !warmBuckets.has(random.item.rowsOf(i)[0]));
    expect(isolated.length).toBe(cold.length); // 4096 buckets: no cold item collides with a warm one
    const randomBefore = vectors(random, cold);
    const warmBefore = vectors(random, warm.slice(0, 5));

    const sid = await generatedRanker(data, { item: "semantic_id(sid, embed: ngram(n: 1, rows: 64))", seed: 5 }, ids);
    const warmRows = new Set(warm.flatMap((i) => sid.item.rowsOf(i)));
    for (const i of cold) for (const r of sid.item.rowsOf(i)) expect(warmRows.has(r)).toBe(true);
    const sidBefore = vectors(sid, cold);

    await trainQuietly(random, data, 3);
    await trainQuietly(sid, data, 3);

    // Random ID: bit-for-bit the initial rows, while warm items did move.
    expect(vectors(random, cold)).toEqual(randomBefore);
    const warmAfter = vectors(random, warm.slice(0, 5));
    expect(warmAfter.some((v, k) => v.some((x, j) => Math.abs(x - warmBefore[k][j]) > 1e-3))).toBe(true);
    // Semantic ID: every cold vector moved with training.
    const sidAfter = vectors(sid, cold);
    sidAfter.forEach((v, k) => expect(Math.max(...v.map((x, j) => Math.abs(x - sidBefore[k][j])))).toBeGreaterThan(1e-2));

    // Meaningful: a user of cluster c ranks c's cold items above other clusters' cold items.
    const sidAccuracy = coldPairAccuracy(sid);
    const randomAccuracy = coldPairAccuracy(random);
    expect(sidAccuracy).toBeGreaterThan(0.85);
    expect(sidAccuracy).toBeGreaterThan(randomAccuracy + 0.2);
    random.dispose();
    sid.dispose();
  });
});
