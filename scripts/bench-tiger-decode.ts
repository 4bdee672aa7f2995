// Times TIGER's beam-search ranking (scoreItems) on a restored run, for measuring, not a test.
// Takes a program generated with the run's --set values (its folder), the runs folder and a user
// count; restores the run's data, Semantic IDs and model, scores the first N test users (chunked
// as evaluation does) and prints users/s and the projection for every test user. With a 4th
// argument "check" it also decodes them with the reference path (timed) and compares the items.
//   node bin/recspec.js compile specs/tiger_beauty.recspec --out /tmp/tgen --set ...
//   nice -n 10 npx tsx scripts/bench-tiger-decode.ts /tmp/tgen /tmp/runs 512 [check]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { resolveRuntimeHere } from "../src/cli/runtime-resolver.js";
import { selectBackend } from "../src/runtime/backend/select-backend.js";
import type { SemanticIdRetrieval, Seq2SeqDecoding } from "../src/runtime/decode/semantic-id-retrieval.js";
import type { RecModel } from "../src/runtime/models/rec-model.js";
import { historiesOf } from "../src/runtime/pipeline/evaluate-model.js";
import type { PreparedData } from "../src/runtime/pipeline/prepare-data.js";
import { latestRun } from "../src/runtime/program/run.js";

const [programDir = "/tmp/tgen", runsDir = "/tmp/runs", countArg = "512", mode = ""] = process.argv.slice(2);
resolveRuntimeHere();
await selectBackend(undefined);
const program = await import(pathToFileURL(resolve(programDir, "infer.ts")).href);
const dir = latestRun(resolve(runsDir, "tiger_beauty"), "evaluate");
const run = {
  spec: "tiger_beauty",
  specDir: resolve("specs"),
  dir,
  resume: false,
  stage: "eval",
  backend: "wasm",
  matmul: "",
  log: (l: string) => console.error(l),
  progress: process.stderr,
  startedAt: Date.now(),
};
const trained = await program.restore(run);
const model = trained.tiger as RecModel & Seq2SeqDecoding & { retrieval: SemanticIdRetrieval };
if (process.env.DECODE_CHUNK) model.retrieval.decodeChunk = Number(process.env.DECODE_CHUNK);
const data = trained.beauty as PreparedData;
const examples = data.split.test;
const count = Math.min(Number(countArg), examples.length);
const chunk = 256;
const lists: number[][] = [];
const top = (scores: Float32Array, row: number, n: number) => {
  const out: number[] = [];
  for (let i = 0; i <= n; i++) if (scores[row * (n + 1) + i] > -Infinity) out.push(i);
  return out.sort((a, b) => scores[row * (n + 1) + b] - scores[row * (n + 1) + a] || a - b);
};
// Warm-up (kernels, trie caches) outside the timing.
(await model.scoreItems(historiesOf(examples, 0, 8, model.historyLength), 8)).dispose();
const start = performance.now();
for (let first = 0; first < count; first += chunk) {
  const c = Math.min(chunk, count - first);
  const users = Int32Array.from({ length: c }, (_, i) => examples[first + i].user);
  const scores = await model.scoreItems(historiesOf(examples, first, c, model.historyLength), c, users);
  const values = (await scores.data()) as Float32Array;
  for (let i = 0; i < c; i++) lists.push(top(values, i, model.numItems));
  scores.dispose();
}
const seconds = (performance.now() - start) / 1000;
console.log(
  `${count} users in ${seconds.toFixed(2)} s: ${(count / seconds).toFixed(1)} users/s; all ${examples.length} test users ≈ ${(((examples.length / count) * seconds) / 60).toFixed(1)} min`,
);
if (mode === "check") {
  let same = 0;
  const refStart = performance.now();
  for (let first = 0; first < count; first += 32) {
    const c = Math.min(32, count - first);
    const users = Int32Array.from({ length: c }, (_, i) => examples[first + i].user);
    const ref = await model.retrieval.retrieveReference(model, historiesOf(examples, first, c, model.historyLength), c, users);
    ref.forEach((list, i) => {
      const a = list.map((x) => x.item).join(",");
      const b = lists[first + i].join(",");
      if (a === b) same++;
    });
  }
  const refSeconds = (performance.now() - refStart) / 1000;
  console.log(
    `reference path (chunks of 32, as before): ${count} users in ${refSeconds.toFixed(2)} s: ${(count / refSeconds).toFixed(1)} users/s; all ≈ ${(((examples.length / count) * refSeconds) / 60).toFixed(1)} min`,
  );
  console.log(`reference agrees on ${same}/${count} users`);
}
