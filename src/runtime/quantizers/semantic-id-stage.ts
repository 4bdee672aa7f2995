// A quantizer's step in a run: fit it and keep its Semantic-ID table as a run artifact, or restore
// the table a previous run kept. Takes the run and the quantizer (the generated program's class);
// the table lives at <run folder>/<quantizer>/semantic-ids.json so `recspec eval` and later specs
// read the same IDs, and an experiment's cells with the same quantizer fit it once.
import { dirname, join } from "node:path";
import type { Run } from "../program/run.js";
import { sharedCopy, shareTrained } from "../program/shared-blocks.js";
import type { Quantizer } from "./quantizer.js";
import { describeTable, loadSemanticIdTable, saveSemanticIdTable } from "./semantic-id-table.js";

const SEMANTIC_ID_FILE = "semantic-ids.json";

/** Where a quantizer's table lives in a run. */
export function semanticIdFile(run: Pick<Run, "dir">, quantizer: string): string {
  return join(run.dir, quantizer, SEMANTIC_ID_FILE);
}

/** Fits the quantizer (or takes another cell's table), logs usage and collisions, saves the table. */
export async function fitSemanticIds(run: Run, quantizer: Quantizer): Promise<void> {
  const started = performance.now();
  const copy = sharedCopy(run.shared, quantizer.name);
  if (copy !== null) {
    quantizer.table = loadSemanticIdTable(join(copy, SEMANTIC_ID_FILE));
    run.log(`${quantizer.name}: Semantic IDs reused from ${copy} (same block and seed in another cell)`);
    return;
  }
  const table = await quantizer.fit(run.log);
  quantizer.table = table;
  run.log(`${describeTable(quantizer.name, table)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const file = semanticIdFile(run, quantizer.name);
  saveSemanticIdTable(file, table, { quantizer: quantizer.name, type: quantizer.method });
  run.log(`${quantizer.name}: Semantic IDs saved to ${file}`);
  shareTrained(run.shared, quantizer.name, dirname(file), null);
}

/** Reads the table a previous run saved (for `recspec eval`); its sizes must be the quantizer's. */
export async function restoreSemanticIds(run: Run, quantizer: Quantizer): Promise<void> {
  const file = semanticIdFile(run, quantizer.name);
  const table = loadSemanticIdTable(file);
  if (table.levels !== quantizer.levels || table.codebook !== quantizer.codebook) {
    throw new Error(`${file}: table has ${table.levels} levels × ${table.codebook} codes, the spec says ${quantizer.levels} × ${quantizer.codebook}`);
  }
  quantizer.table = table;
  run.log(`restored ${quantizer.name} from ${file}`);
}
