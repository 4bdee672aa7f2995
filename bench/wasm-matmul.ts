// Prints how long a 512x512 float32 matMul takes on the wasm backend, stock vs patched
// (src/runtime/backend/wasm-kernels.ts), for each transpose combination and a batched case, so the
// speed-up can be quoted. Not a test: nothing is asserted. Run: npx tsx bench/wasm-matmul.ts
import * as tf from "@tensorflow/tfjs-core";
import { patchWasmBackend, unpatchWasmBackend } from "../src/runtime/backend/wasm-kernels.js";

const REPEATS = 15;

function medianMs(f: () => tf.Tensor): number {
  const times: number[] = [];
  for (let i = 0; i < REPEATS + 2; i++) {
    const start = performance.now();
    const out = f();
    out.dataSync(); // wasm kernels are synchronous, but read back to be fair to any backend
    const ms = performance.now() - start;
    out.dispose();
    if (i >= 2) times.push(ms); // first runs warm up XNNPACK operator creation and the heap
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

await tf.setBackend("wasm");
const a = tf.randomNormal([512, 512]);
const b = tf.randomNormal([512, 512]);
const a3 = tf.randomNormal([16, 128, 128]);
const b3 = tf.randomNormal([16, 128, 128]);
const cases: [string, () => tf.Tensor, number][] = [
  ["512x512 a@b", () => tf.matMul(a, b), 2 * 512 ** 3],
  ["512x512 a@bT (transposeB)", () => tf.matMul(a, b, false, true), 2 * 512 ** 3],
  ["512x512 aT@b (transposeA)", () => tf.matMul(a, b, true, false), 2 * 512 ** 3],
  ["16x128x128 batched a@bT", () => tf.matMul(a3, b3, false, true), 16 * 2 * 128 ** 3],
];
console.log("case".padEnd(30), "stock ms".padStart(10), "patched ms".padStart(11), "speed-up".padStart(9), "GFLOP/s".padStart(8));
for (const [name, f, flops] of cases) {
  unpatchWasmBackend();
  const stock = medianMs(f);
  patchWasmBackend();
  const patched = medianMs(f);
  console.log(
    name.padEnd(30),
    stock.toFixed(2).padStart(10),
    patched.toFixed(2).padStart(11),
    `${(stock / patched).toFixed(1)}x`.padStart(9),
    (flops / patched / 1e6).toFixed(1).padStart(8),
  );
}
tf.dispose([a, b, a3, b3]);
