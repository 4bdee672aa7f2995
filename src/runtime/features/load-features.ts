// Loads the item vectors a `features` block describes. Takes a run context (log, spec folder,
// working folder), the block (IR attributes) and the prepared data set; gives ItemFeatures.
// `content_vectors`: TF-IDF + truncated SVD from src/runtime/data, cached on disk under
// <working folder>/.cache/recspec (a second run reads the cache). `vectors(path)`: a JSON Lines
// file of {item, vector}, resolved like data paths (spec folder first).
import { join } from "node:path";
import { contentVectors, type TokenSource } from "../data/content-vectors.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { resolveDataPath } from "../program/resolve-data-path.js";
import type { BlockSpec } from "../program/types.js";
import { SpecRunError } from "../spec-run-error.js";
import { checkItemFeatures, type ItemFeatures } from "./item-features.js";
import { readVectorsJsonl } from "./read-vectors.js";

export interface FeatureRunContext {
  readonly log: (line: string) => void;
  /** Folder of the spec file: relative paths are resolved from here first. */
  readonly specDir: string;
  /** Folder whose .cache/recspec holds cached vectors (default: the process's working folder). */
  readonly workDir?: string;
}

export async function loadFeatures(
  run: FeatureRunContext,
  block: BlockSpec,
  data: PreparedData,
): Promise<ItemFeatures> {
  const a = block.attributes;
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  if (block.type === "content_vectors") {
    const method = (a.method as string | undefined) ?? "tfidf_svd";
    if (method !== "tfidf_svd")
      throw new Error(`features ${block.name}: unknown method "${method}"`);
    const store = data.store;
    const requested = (a.source as string | undefined) ?? "auto";
    let source: TokenSource;
    if (requested === "auto")
      source = store.attributes
        ? "attributes"
        : store.itemText
          ? "text"
          : "attributes";
    else if (requested === "attributes" || requested === "text")
      source = requested;
    else
      throw new Error(`features ${block.name}: unknown source "${requested}"`);
    if (source === "attributes" && !store.attributes) {
      throw new SpecRunError(
        `features ${block.name}: data set ${data.name} has no item attributes${store.itemText ? "; use source: text" : " and no item text"}`,
      );
    }
    if (source === "text" && !store.itemText)
      throw new SpecRunError(
        `features ${block.name}: data set ${data.name} has no item text; use source: attributes`,
      );
    const dim = a.dim as number;
    const result = await contentVectors(store, {
      dim,
      source,
      normalize: (a.normalize as boolean | undefined) ?? true,
      seed: (a.seed as number | undefined) ?? 0,
      cacheDir: join(run.workDir ?? process.cwd(), ".cache", "recspec"),
    });
    const features: ItemFeatures = {
      dim,
      numItems: data.numItems,
      vectors: result.vectors,
    };
    checkItemFeatures(features, `features ${block.name}`);
    run.log(
      `features ${block.name}: ${data.numItems} items × ${dim} (tf-idf + svd over ${source}${result.fromCache ? ", from cache" : ""}, ${seconds()} s)`,
    );
    return features;
  }
  if (block.type === "vectors") {
    const file = resolveDataPath(a.path as string, run.specDir);
    const dim = a.dim as number;
    const result = await readVectorsJsonl(
      file,
      data.store.itemIndex,
      data.numItems,
      dim,
      { dataset: data.name, missing: (a.missing as "error" | "zeros" | undefined) ?? "error" },
    );
    const features: ItemFeatures = {
      dim,
      numItems: data.numItems,
      vectors: result.vectors,
    };
    checkItemFeatures(features, `features ${block.name}`);
    const notes = [
      result.missing ? `${result.missing} items without a vector (zeros)` : "",
      result.unknown ? `${result.unknown} unknown ids skipped` : "",
    ].filter(Boolean);
    run.log(
      `features ${block.name}: ${data.numItems} items × ${dim} from ${file}${notes.length ? ` (${notes.join(", ")})` : ""} (${seconds()} s)`,
    );
    return features;
  }
  throw new Error(
    `features ${block.name}: unknown features type "${block.type}"`,
  );
}
