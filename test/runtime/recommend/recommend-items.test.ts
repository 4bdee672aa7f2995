// recommendItems over a hand-made model whose scores are known: raw user and item ids both ways,
// the user's own items left out (or kept with includeSeen), unknown ids answered in place, input
// order kept across batches, and the model asked once per batch with the users' last T items.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { buildInteractions } from "../../../src/runtime/data/interactions.js";
import type { RecModel } from "../../../src/runtime/models/rec-model.js";
import type { PreparedData } from "../../../src/runtime/pipeline/prepare-data.js";
import type { Run } from "../../../src/runtime/program/run.js";
import { catalogueRecommender } from "../../../src/runtime/recommend/recommender.js";
import { recommendItems, type UserRecommendation } from "../../../src/runtime/recommend/recommend-items.js";
import { csvHeader, csvRows, jsonLine } from "../../../src/runtime/recommend/format-recommendations.js";
import { expectNoLeakedTensors, useCpuBackend } from "../../helpers/tf.js";

beforeAll(useCpuBackend);

// Items by first use: a=1, b=2, c=3, d=4, e=5. Users: ann=0 (a, b), bob=1 (c), cy=2 (d, e, a).
const store = buildInteractions({ users: ["ann", "ann", "bob", "cy", "cy", "cy"], items: ["a", "b", "c", "d", "e", "a"] });
const data = { name: "shop", store, numItems: store.numItems } as unknown as PreparedData;
const run = { log: () => undefined } as unknown as Run;

/** Item i scores i / 10, plus 1 for the item after the last one read; T = 2. Records its calls. */
function fakeModel(calls: { histories: number[]; users: number[] }[]): RecModel {
  return {
    name: "fake",
    numItems: 5,
    historyLength: 2,
    scoreItems(histories: Int32Array, count: number, users?: Int32Array) {
      calls.push({ histories: Array.from(histories), users: Array.from(users ?? []) });
      const out = new Float32Array(count * 6);
      for (let r = 0; r < count; r++) {
        for (let i = 1; i <= 5; i++) out[r * 6 + i] = i / 10;
        const last = histories[r * 2 + 1];
        if (last < 5) out[r * 6 + last + 1] += 1;
      }
      return tf.tensor2d(out, [count, 6]);
    },
  } as unknown as RecModel;
}

async function collect(users: string[], k: number, options = {}, calls: { histories: number[]; users: number[] }[] = []): Promise<UserRecommendation[]> {
  const out: UserRecommendation[] = [];
  for await (const entry of recommendItems(run, { fake: catalogueRecommender(fakeModel(calls), data) }, users, k, options)) out.push(entry);
  return out;
}

describe("recommendItems", () => {
  it("ranks by the model's scores, names items by raw id and leaves the user's own items out", async () => {
    const [ann, bob, cy] = await collect(["ann", "bob", "cy"], 2);
    // ann read a, b: c gets the bonus (1.3); a and b are hers; then e (0.5).
    expect(ann).toEqual({
      user: "ann",
      model: "fake",
      items: [
        { item: "c", score: expect.closeTo(1.3, 6) },
        { item: "e", score: expect.closeTo(0.5, 6) },
      ],
    });
    // bob read c: d gets the bonus (1.4), then e.
    expect(bob).toMatchObject({ items: [{ item: "d" }, { item: "e" }] });
    // cy read d, e, a (T = 2: the model sees e, a): b gets the bonus; c is all that is left.
    expect(cy).toMatchObject({ items: [{ item: "b" }, { item: "c" }] });
  });

  it("keeps the user's own items with includeSeen", async () => {
    const [ann] = await collect(["ann"], 3, { includeSeen: true });
    expect(ann).toMatchObject({ items: [{ item: "c" }, { item: "e" }, { item: "d" }] });
    const [cy] = await collect(["cy"], 2, { includeSeen: true });
    expect(cy).toMatchObject({ items: [{ item: "b" }, { item: "e" }] });
  });

  it("gives fewer than K items when fewer are left, and answers an unknown id in its place", async () => {
    const entries = await collect(["cy", "zed", "ann"], 10);
    expect(entries.map((e) => e.user)).toEqual(["cy", "zed", "ann"]);
    expect(entries[0]).toMatchObject({ items: [{ item: "b" }, { item: "c" }] });
    expect(entries[1]).toEqual({ user: "zed", error: { code: "RS6040", message: expect.stringMatching(/unknown user `zed`.*shop/) } });
    expect(entries[2]).toMatchObject({ items: [{ item: "c" }, { item: "e" }, { item: "d" }] });
  });

  it("scores a batch of users per call, with their last T items left-padded and their indices", async () => {
    const calls: { histories: number[]; users: number[] }[] = [];
    const entries = await collect(["cy", "ann", "nobody", "bob", "ann"], 1, { batchSize: 2 }, calls);
    expect(entries.map((e) => e.user)).toEqual(["cy", "ann", "nobody", "bob", "ann"]);
    expect(calls).toEqual([
      { histories: [5, 1, 1, 2], users: [2, 0] },
      { histories: [0, 3], users: [1] },
      { histories: [1, 2], users: [0] },
    ]);
  });

  it("streams from an async source and frees every tensor", async () => {
    async function* lines() {
      yield "bob";
      yield "ann";
    }
    await expectNoLeakedTensors(async () => {
      const out: string[] = [];
      for await (const e of recommendItems(run, { fake: catalogueRecommender(fakeModel([]), data) }, lines(), 1)) out.push(e.user);
      expect(out).toEqual(["bob", "ann"]);
    });
  });

  it("refuses a model the program does not have, and a K below 1", async () => {
    await expect(collect(["ann"], 2, { model: "other" })).rejects.toThrow(/no model `other`.*fake/);
    await expect(collect(["ann"], 0)).rejects.toThrow(/positive integer/);
  });
});

describe("recommendation formats", () => {
  const entry: UserRecommendation = {
    user: "a,b",
    model: "m",
    items: [
      { item: 'x"1', score: 0.5, semanticId: [3, 0, 1] },
      { item: "y", score: -1 },
    ],
  };

  it("writes one JSON object per user", () => {
    const line = jsonLine(entry);
    expect(line.endsWith("\n")).toBe(true);
    expect(JSON.parse(line)).toEqual(entry);
  });

  it("writes one CSV row per item, ranked from 1, quoting what needs it; an unknown user gives none", () => {
    expect(csvHeader(true)).toBe("user,rank,item,score,semantic_id\n");
    expect(csvHeader(false)).toBe("user,rank,item,score\n");
    expect(csvRows(entry)).toBe('"a,b",1,"x""1",0.5,3-0-1\n"a,b",2,y,-1\n');
    expect(csvRows({ user: "z", error: { code: "RS6040", message: "unknown" } })).toBe("");
  });
});
