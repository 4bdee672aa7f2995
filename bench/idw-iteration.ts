// Times IDW on the mur_idw spec (generated/mur_idw): the initial phase and IDW iterations through
// trainWithIdw, with the epochs cut down so it finishes quickly. Usage:
//   npx tsx bench/idw-iteration.ts [--epochs 1] [--iterations 1] [--idw-epochs 1] [--calibrate none|user_tower] [--backend wasm]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { selectBackend } from "../src/runtime/backend/select-backend.js";
import type { Run } from "../src/runtime/program/run.js";
import { trainWithIdw, type IdwTraining } from "../src/runtime/program/stages-idw.js";
import type { TrainAttributes } from "../src/ir/index.js";
import { loadSynth, MurModel, murTraining, murWeighting } from "../generated/mur_idw/model.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const backend = await selectBackend(arg("backend", "wasm"));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recspec-idw-bench-"));
const t0 = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${line}`);
const run: Run = {
  spec: "mur_idw",
  specDir: ".",
  dir,
  resume: false,
  stage: "train",
  backend: backend.name,
  matmul: backend.matmul,
  log,
  progress: new Writable({ write: (_c, _e, done) => done() }),
  startedAt: Date.now(),
};
const idw: IdwTraining = {
  ...murWeighting,
  iterations: Number(arg("iterations", "1")),
  epochs: Number(arg("idw-epochs", "1")),
  calibrateUserTower: arg("calibrate", "none") === "user_tower",
};
const train: TrainAttributes = { ...murTraining, epochs: Number(arg("epochs", "1")) };
log(`backend ${backend.name} (${backend.matmul}); ${JSON.stringify(idw)}`);
const data = await loadSynth(run);
const model = new MurModel(data);
log(`model: ${model.trainingExamples.length} training examples, ${model.params.count()} parameters`);
const result = await trainWithIdw(run, model, data, train, idw);
for (const p of result.phases)
  log(`phase ${p.name}: ${p.result.steps} steps, ${p.result.epochs} epochs, ${p.result.seconds.toFixed(1)} s (${p.result.stepsPerSecond.toFixed(1)} steps/s)`);
for (const it of result.idw.iterations) {
  log(
    `iteration ${it.iteration}: max|Δw| ${it.maxDelta}, KDE+embedding ${it.kdeSeconds.toFixed(2)} s, val ${result.idw.metric} all ${it.hrAll.toFixed(4)} tail ${it.hrTail.toFixed(4)}`,
  );
}
model.dispose();
fs.rmSync(dir, { recursive: true, force: true });
