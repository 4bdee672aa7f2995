// Training speed of SASRec on Amazon Beauty, the quickstart's model (d 64, 2 layers, 2 heads,
// d_ff 256, history 50, batch 256, Adam), with positions all vs last and full vs in-batch sampled
// softmax. Takes an optional backend name (default: the fastest available) and steps per variant;
// prints, per variant, the median and p10–p90 of a full training step (forward, backward, Adam)
// after two warm-up steps, steps/s, the estimated epoch time, and the memory plan; and the time to
// rank 2,000 validation users over the full catalogue. Each variant is the class the compiler
// generates for it (a `sequential` spec compiled here). A measurement script, not a test.
//   npx tsx bench/sasrec-speed.ts [backend] [steps] [random|bucketed]
import * as tf from "@tensorflow/tfjs-core";
import { batches, batchCount } from "../src/runtime/data/batching.js";
import { readAmazon } from "../src/runtime/data/read-amazon.js";
import type { RecModel } from "../src/runtime/models/rec-model.js";
import { rankingMetric } from "../src/runtime/pipeline/evaluate-model.js";
import { bucketedBatches } from "../src/runtime/pipeline/length-buckets.js";
import { formatBytes } from "../src/runtime/pipeline/micro-batches.js";
import { prepareInteractions, type PreparedData } from "../src/runtime/pipeline/prepare-data.js";
import { validationSubset } from "../src/runtime/pipeline/train-model.js";
import { Rng } from "../src/runtime/random.js";
import { startRuntime } from "../src/runtime/setup.js";
import { createOptimizer } from "../src/runtime/train/optimizers.js";
import { importGeneratedModel } from "../test/helpers/generated-model.js";

const backend = process.argv[2];
const steps = Number(process.argv[3] ?? 10);
// "random": batches as drawn; otherwise length-bucketed, as trainModel makes them.
const bucketed = process.argv[4] !== "random";
await startRuntime(backend ? { backend } : {});
const store = await readAmazon("data/amazon-beauty", "Beauty");
const data = prepareInteractions("beauty", { store }, { split: "leave_last_out", history: 50, window: 30, stride: 5, coldStart: 0, minLength: 3 });
console.log(`Beauty: ${data.store.numUsers} users, ${data.numItems} items, ${data.split.train.length} training sequences`);

/** The quickstart's SASRec with this loss and these training positions, as its generated class. */
async function sasrecClass(positions: "all" | "last", loss: string): Promise<new (data: PreparedData) => RecModel> {
  const spec = [
    "spec sasrec_speed",
    'dataset beauty = amazon("data/amazon-beauty", name: "Beauty") { history = 50  min_length = 3 }',
    "model sasrec = sequential(beauty) {",
    "  embedding = 64",
    "  encoder = transformer(layers: 2, heads: 2, d_ff: 256, dropout: 0.2, causal: true)",
    `  loss = ${loss}`,
    `  positions = ${positions}`,
    "}",
  ].join("\n");
  return (await importGeneratedModel("sasrec-speed.recspec", spec)).exports.SasrecModel as new (data: PreparedData) => RecModel;
}
const sampled = "sampled_softmax(negatives: in_batch, count: 100, logq: true, temperature: 1)";
const variants: [string, new (data: PreparedData) => RecModel][] = [
  ["positions all, full softmax", await sasrecClass("all", "softmax")],
  ["positions last, full softmax", await sasrecClass("last", "softmax")],
  ["positions all, in-batch sampled softmax", await sasrecClass("all", sampled)],
  ["positions last, in-batch sampled softmax", await sasrecClass("last", sampled)],
];
const batchOptions = { batchSize: 256, length: 50, seed: 0 };
const perEpoch = batchCount(data.split.train.length, batchOptions);

for (const [label, Model] of variants) {
  const model = new Model(data);
  const vars = model.params.variables();
  const list = [...vars.values()];
  const keyOf = new Map([...vars].map(([k, v]) => [v.name, k]));
  const optimizer = createOptimizer({ name: "adam", lr: 1e-3 });
  const times: number[] = [];
  let peak = 0;
  let k = 0;
  const source = bucketed ? bucketedBatches(data.split.train, batchOptions, 0) : batches(data.split.train, batchOptions, 0);
  for (const batch of source) {
    if (k >= steps + 2) break;
    peak = Math.max(peak, model.stepBytes(batch));
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, rng: new Rng(k) }), list);
    const named = new Map(Object.entries(grads).map(([n, g]) => [keyOf.get(n)!, g]));
    optimizer.step(named, vars, 1e-3);
    value.dataSync();
    tf.dispose([value, ...named.values()]);
    if (k >= 2) times.push(performance.now() - t0);
    k++;
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const median = q(0.5);
  // Bucketed batches differ in cost by length, so the epoch estimate uses the mean.
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${label}: median ${median.toFixed(0)} ms/step (p10 ${q(0.1).toFixed(0)}, p90 ${q(0.9).toFixed(0)}), mean ${mean.toFixed(0)} ms = ${(1000 / mean).toFixed(2)} steps/s, ` +
      `epoch of ${perEpoch} steps ≈ ${((perEpoch * mean) / 1000).toFixed(0)} s, peak est. ${formatBytes(peak)}/step, tensors ${tf.memory().numTensors}`,
  );
  if (label === variants[0][0]) {
    const subset = validationSubset(data.split.validation, 2000, 0);
    const t0 = performance.now();
    const ndcg = await rankingMetric(model, subset, "ndcg@10");
    console.log(`full-catalogue ndcg@10 on 2000 validation users (untrained): ${ndcg.toFixed(4)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  optimizer.dispose();
  model.dispose();
}
