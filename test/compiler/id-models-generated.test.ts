// The generated classes of the id-based models, run on weights set by hand: matrix factorisation's
// BPR loss −log σ(s_pos − s_neg) over its drawn negatives and its full-softmax loss, and a user-ID
// two-tower's scores, each against values computed here in plain arithmetic. Cold users (no
// training example) read the shared out-of-vocabulary row 0.
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { useCpuBackend } from "../helpers/tf.js";
import { Rng } from "../../src/runtime/random.js";
import { uniformNegatives } from "../../src/runtime/models/user-ids.js";
import type { Batch } from "../../src/runtime/data/batching.js";
import { importGeneratedModel } from "../helpers/generated-model.js";

const ex = (user: number, history: number[], target: number) => ({ user, history: Int32Array.from(history), target });
// Users 0 and 1 trained (rows 1, 2), user 2 never seen (row 0); items 1..3.
const DATA = { numItems: 3, store: { numUsers: 3 }, trainTargets: [ex(0, [1], 2), ex(1, [], 3)], split: { train: [], validation: [], test: [] } };
const P = [
  [0.1, -0.2],
  [0.5, 0.3],
  [-0.4, 0.8],
  [9, 9],
]; // rows 0 (out of vocabulary), 1 (user 0), 2 (user 1), 3 (user 2: never read)
const Q = [
  [0, 0],
  [0.7, -0.1],
  [0.2, 0.9],
  [-0.6, 0.4],
]; // row 0 the padding item
const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1];

type Scope = { scope(s: string): Scope; get(n: string, shape: number[]): tf.Variable };
type Model = {
  params: Scope;
  loss(b: Batch, ctx: { training: boolean; rng?: Rng }): tf.Scalar;
  scoreItems(h: Int32Array, count: number, users?: Int32Array): tf.Tensor2D;
  trainingExamples: readonly { user: number; target: number }[];
  dispose(): void;
};

async function model(spec: string, cls: string): Promise<Model> {
  const { exports } = await importGeneratedModel("ids.recspec", `spec ids\ndataset d = synthetic() { history = 4 }\n${spec}`);
  return new (exports[cls] as new (d: unknown) => Model)(DATA);
}

function setTables(m: Model, user: string, item: string): void {
  m.params.scope(user).get("table", [4, 2]).assign(tf.tensor2d(P));
  m.params.scope(item).get("table", [4, 2]).assign(tf.tensor2d(Q));
}

const batch: Batch = { size: 3, length: 4, users: Int32Array.from([0, 1, 2]), histories: new Int32Array(12), targets: Int32Array.from([2, 3, 1]) };
const rowOf = [1, 2, 0];

describe("generated id-based models", () => {
  beforeAll(useCpuBackend);
  it("matrix_factorization with bpr: mean −log σ(p·q_pos − p·q_neg) over the drawn negatives", async () => {
    const m = await model("model mf = matrix_factorization(d) { dim = 2\n loss = bpr(negatives: 2) }", "MfModel");
    setTables(m, "user_embedding", "item_embedding");
    // Every distinct (user, item) of the training examples once.
    expect(m.trainingExamples.map((e) => [e.user, e.target])).toEqual([
      [0, 1],
      [0, 2],
      [1, 3],
    ]);
    const negatives = uniformNegatives(batch.targets, 2, 3, new Rng(7).fork("negatives"));
    let total = 0;
    for (let b = 0; b < 3; b++) {
      const p = P[rowOf[b]];
      for (let n = 0; n < 2; n++) {
        const x = dot(p, Q[batch.targets[b]]) - dot(p, Q[negatives[b * 2 + n]]);
        total += -Math.log(1 / (1 + Math.exp(-x)));
      }
    }
    const loss = m.loss(batch, { training: true, rng: new Rng(7) });
    expect(loss.dataSync()[0]).toBeCloseTo(total / 6, 5);
    m.dispose();
  });

  it("matrix_factorization with softmax: mean log Σ_j exp(p·q_j) − p·q_target over the catalogue", async () => {
    const m = await model("model mf = matrix_factorization(d) { dim = 2\n loss = softmax }", "MfModel");
    setTables(m, "user_embedding", "item_embedding");
    let total = 0;
    for (let b = 0; b < 3; b++) {
      const p = P[rowOf[b]];
      const lse = Math.log(Q.reduce((s, q) => s + Math.exp(dot(p, q)), 0));
      total += lse - dot(p, Q[batch.targets[b]]);
    }
    expect(m.loss(batch, { training: false }).dataSync()[0]).toBeCloseTo(total / 3, 5);
    const scores = m.scoreItems(new Int32Array(12), 3, batch.users).arraySync();
    expect(scores[2][1]).toBeCloseTo(dot(P[0], Q[1]), 6); // the cold user reads row 0
    m.dispose();
  });

  it("a user_tower two-tower scores <u, v_i> from the user's id; cold and unknown users read row 0", async () => {
    const m = await model(
      "tower users = user_tower(d) { embedding = 2 }\ntower items = item_tower(d) { embedding = 2 }\nmodel tt = two_tower(users, items)",
      "TtModel",
    );
    m.params.scope("user_tower").scope("user_embedding").get("table", [4, 2]).assign(tf.tensor2d(P));
    m.params.scope("item_tower").scope("item_embedding").get("table", [4, 2]).assign(tf.tensor2d(Q));
    const scores = m.scoreItems(new Int32Array(12), 3, batch.users).arraySync();
    for (let b = 0; b < 3; b++) for (let i = 0; i < 4; i++) expect(scores[b][i]).toBeCloseTo(dot(P[rowOf[b]], Q[i]), 6);
    const withoutUsers = m.scoreItems(new Int32Array(4), 1).arraySync();
    expect(withoutUsers[0][2]).toBeCloseTo(dot(P[0], Q[2]), 6);
    m.dispose();
  });
});
