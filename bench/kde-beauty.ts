// Times the IDW density step at Beauty size: fit a Gaussian KDE (Scott's bandwidth) to a 10,000 ×
// 64 sample and evaluate all 12,101 catalogue items, on the selected backend. Usage:
//   npx tsx bench/kde-beauty.ts [--backend wasm] [--bandwidth full|diagonal] [--items N] [--sample N] [--dim D]
import { selectBackend } from "../src/runtime/backend/select-backend.js";
import { Rng } from "../src/runtime/random.js";
import { fitKde, kdeLogDensity, type Bandwidth } from "../src/runtime/weighting/kde.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const items = Number(arg("items", "12101"));
const n = Number(arg("sample", "10000"));
const dim = Number(arg("dim", "64"));
const bandwidth = arg("bandwidth", "full") as Bandwidth;
const backend = await selectBackend(arg("backend", "wasm"));
const rng = new Rng(0);
const points = Float32Array.from({ length: items * dim }, () => 0.05 * rng.normal());
const sample = new Float32Array(n * dim);
for (let s = 0; s < n; s++) {
  const row = rng.int(items);
  for (let k = 0; k < dim; k++) sample[s * dim + k] = points[row * dim + k] + 0.1 * rng.normal();
}
for (let run = 0; run < 2; run++) {
  const t0 = performance.now();
  const kde = fitKde(sample, n, dim, { bandwidth });
  const t1 = performance.now();
  const log = await kdeLogDensity(kde, sample, points, items, { bandwidth });
  const t2 = performance.now();
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of log) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  console.log(
    `${backend.name} (${backend.matmul}) ${bandwidth}: ${items} items × ${n} sample × ${dim} dims: ` +
      `fit ${((t1 - t0) / 1000).toFixed(2)} s, evaluate ${((t2 - t1) / 1000).toFixed(2)} s; log density in [${lo.toFixed(1)}, ${hi.toFixed(1)}]`,
  );
}
