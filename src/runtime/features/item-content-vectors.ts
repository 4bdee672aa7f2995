// A `features … = content_vectors(…, method: tfidf_svd)` block at run time. Takes the run (log,
// working folder), the block's name, the prepared data set and its settings; gives ItemFeatures:
// TF-IDF over each item's tokens reduced by a seeded truncated SVD (src/runtime/data), cached on
// disk under <working folder>/.cache/recspec so a second run reads the cache.
import { join } from "node:path";
import { contentVectors, type TokenSource } from "../data/content-vectors.js";
import type { PreparedData } from "../pipeline/prepare-data.js";
import { SpecRunError } from "../spec-run-error.js";
import { checkItemFeatures, type ItemFeatures } from "./item-features.js";

export interface FeatureRunContext {
  readonly log: (line: string) => void;
  /** Folder whose .cache/recspec holds cached vectors (default: the process's working folder). */
  readonly workDir?: string;
}

export interface ContentVectorSettings {
  readonly dim: number;
  /** Item attributes, item text, or (auto) attributes when the data set has them, else text. */
  readonly source: "auto" | "attributes" | "text";
  /** Scale each vector to unit length. */
  readonly normalize: boolean;
  /** Seed of the randomized SVD. */
  readonly seed: number;
}

/** The token source `auto` stands for on this data set; an error when the data lacks the one asked for. */
function tokenSource(name: string, data: PreparedData, requested: ContentVectorSettings["source"]): TokenSource {
  const store = data.store;
  const source = requested !== "auto" ? requested : store.attributes ? "attributes" : store.itemText ? "text" : "attributes";
  if (source === "attributes" && !store.attributes) {
    throw new SpecRunError(`features ${name}: data set ${data.name} has no item attributes${store.itemText ? "; use source: text" : " and no item text"}`);
  }
  if (source === "text" && !store.itemText) throw new SpecRunError(`features ${name}: data set ${data.name} has no item text; use source: attributes`);
  return source;
}

export async function itemContentVectors(run: FeatureRunContext, name: string, data: PreparedData, settings: ContentVectorSettings): Promise<ItemFeatures> {
  const started = performance.now();
  const source = tokenSource(name, data, settings.source);
  const { dim } = settings;
  const result = await contentVectors(data.store, {
    dim,
    source,
    normalize: settings.normalize,
    seed: settings.seed,
    cacheDir: join(run.workDir ?? process.cwd(), ".cache", "recspec"),
  });
  const features: ItemFeatures = { dim, numItems: data.numItems, vectors: result.vectors };
  checkItemFeatures(features, `features ${name}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  run.log(`features ${name}: ${data.numItems} items × ${dim} (tf-idf + svd over ${source}${result.fromCache ? ", from cache" : ""}, ${seconds} s)`);
  return features;
}
