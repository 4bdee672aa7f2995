// Program stages of Semantic-ID specs: load a `features` block, build / train / restore a
// `quantizer` block. Each takes the IR data the compiler emitted
// and the run; trained Semantic-ID tables are kept as run artifacts at
// <run.dir>/<block>/semantic-ids.json so `recspec eval` and later specs read the same IDs.
import { dirname, join } from "node:path";
import { loadFeatures as loadItemFeatures } from "../features/load-features.js";
import type { ItemFeatures } from "../features/item-features.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import type { TrainSpec } from "../pipeline/specs.js";
import { createQuantizer, type Quantizer } from "../quantizers/quantizer.js";
import {
  describeTable,
  loadSemanticIdTable,
  saveSemanticIdTable,
} from "../quantizers/semantic-id-table.js";
import type { Run } from "./run.js";
import { sharedCopy, shareTrained } from "./shared-blocks.js";
import type { BlockSpec } from "./types.js";

export type { ItemFeatures } from "../features/item-features.js";
export type { Quantizer } from "../quantizers/quantizer.js";
export type { SemanticIdTable } from "../quantizers/semantic-id-table.js";

const SEMANTIC_ID_FILE = "semantic-ids.json";

/** Where a quantizer block's table lives in a run. */
export function semanticIdFile(
  run: Pick<Run, "dir">,
  block: Pick<BlockSpec, "name">,
): string {
  return join(run.dir, block.name, SEMANTIC_ID_FILE);
}

/** `features … = content_vectors(…)` or `vectors(path)`: item vectors, row 0 padding. */
export async function loadFeatures(
  run: Run,
  block: BlockSpec,
  data: PreparedData,
): Promise<ItemFeatures> {
  return loadItemFeatures({ log: run.log, specDir: run.specDir }, block, data);
}

/** `quantizer … = rqvae(…) | random_ids(…) | lsh(…)`; features are null for random_ids. */
export function buildQuantizer(
  block: BlockSpec,
  data: PreparedData,
  features: ItemFeatures | null,
): Quantizer {
  if (features !== null && features.numItems !== data.numItems) {
    throw new Error(
      `quantizer ${block.name}: features describe ${features.numItems} items, data set ${data.name} has ${data.numItems}`,
    );
  }
  return createQuantizer(
    block.name,
    block.type,
    block.attributes,
    features?.dim ?? null,
  );
}

/** Trains (rqvae) or computes (random_ids, lsh) the table, logs usage and collisions, saves it. */
export async function trainQuantizer(
  run: Run,
  quantizer: Quantizer,
  block: BlockSpec,
  features: ItemFeatures | null,
  numItems?: number,
): Promise<void> {
  const started = performance.now();
  const items = features?.numItems ?? numItems;
  if (items === undefined)
    throw new Error(
      `quantizer ${block.name}: needs features or the number of items`,
    );
  const copy = sharedCopy(run.shared, block.name);
  if (copy !== null) {
    quantizer.table = loadSemanticIdTable(join(copy, SEMANTIC_ID_FILE));
    run.log(`${block.name}: Semantic IDs reused from ${copy} (same block and seed in another cell)`);
    return;
  }
  if (quantizer.rqvae)
    run.log(
      `training ${block.name} (rq-vae, ${quantizer.rqvae.params.count().toLocaleString("en-US")} parameters)`,
    );
  const table = quantizer.fit({
    features,
    numItems: items,
    train: (block.train as unknown as TrainSpec | null) ?? null,
    options: { log: run.log },
  });
  run.log(
    `${describeTable(block.name, table)} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const file = semanticIdFile(run, block);
  saveSemanticIdTable(file, table, { quantizer: block.name, type: block.type });
  run.log(`${block.name}: Semantic IDs saved to ${file}`);
  shareTrained(run.shared, block.name, dirname(file), null);
}

/** Reads the table a previous run saved (for `recspec eval`). */
export async function restoreQuantizer(
  run: Run,
  quantizer: Quantizer,
  block: BlockSpec,
): Promise<void> {
  const file = semanticIdFile(run, block);
  const table = loadSemanticIdTable(file);
  if (
    table.levels !== quantizer.levels ||
    table.codebook !== quantizer.codebook
  ) {
    throw new Error(
      `${file}: table has ${table.levels} levels × ${table.codebook} codes, the spec says ${quantizer.levels} × ${quantizer.codebook}`,
    );
  }
  quantizer.table = table;
  run.log(`restored ${block.name} from ${file}`);
}
