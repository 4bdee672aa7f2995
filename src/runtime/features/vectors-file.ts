// A `features … = vectors(path)` block at run time. Takes the run (log, spec folder), the block's
// name, the prepared data set and its settings; gives ItemFeatures read from a JSON Lines file of
// {item, vector} (read-vectors.ts), the path resolved like data paths (spec folder first).
import type { PreparedData } from "../pipeline/prepare-data.js";
import { resolveDataPath } from "../program/resolve-data-path.js";
import { checkItemFeatures, type ItemFeatures } from "./item-features.js";
import { readVectorsJsonl } from "./read-vectors.js";

export interface VectorsFileSettings {
  /** The file, relative to the spec's folder (or absolute). */
  readonly path: string;
  readonly dim: number;
  /** Items the file has no vector for: an error, or zero vectors (unknown ids then skipped). */
  readonly missing: "error" | "zeros";
}

export async function readVectorsFile(
  run: { readonly log: (line: string) => void; readonly specDir: string },
  name: string,
  data: PreparedData,
  settings: VectorsFileSettings,
): Promise<ItemFeatures> {
  const started = performance.now();
  const file = resolveDataPath(settings.path, run.specDir);
  const { dim } = settings;
  const result = await readVectorsJsonl(file, data.store.itemIndex, data.numItems, dim, { dataset: data.name, missing: settings.missing });
  const features: ItemFeatures = { dim, numItems: data.numItems, vectors: result.vectors };
  checkItemFeatures(features, `features ${name}`);
  const notes = [
    result.missing ? `${result.missing} items without a vector (zeros)` : "",
    result.unknown ? `${result.unknown} unknown ids skipped` : "",
  ].filter(Boolean);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  run.log(`features ${name}: ${data.numItems} items × ${dim} from ${file}${notes.length ? ` (${notes.join(", ")})` : ""} (${seconds} s)`);
  return features;
}
