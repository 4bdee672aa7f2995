// Item content vectors computed locally, with no model download: TF-IDF over each item's tokens
// (its attribute ids, or the words of its text), then a seeded truncated SVD to `dim` dimensions,
// rows optionally scaled to unit length. Takes a store (or token lists) and options; gives a
// Float32Array with one row per item index — row 0 (padding) is zero — and caches it on disk
// under a SHA-256 key of the tokens and every parameter, so a second run reads instead of computes.

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import type { InteractionStore } from "./interactions.js";
import { tfidf, type TfidfOptions } from "./tfidf.js";
import { truncatedSvd } from "./truncated-svd.js";

/** Where an item's tokens come from. */
export type TokenSource = "attributes" | "text" | "attributes+text";

export interface ContentVectorOptions {
  readonly dim: number;
  /** Default: attributes when the store has them, else text. */
  readonly source?: TokenSource;
  /** Scale each output row to unit L2 norm (default true). */
  readonly normalize?: boolean;
  /** Seed of the randomized SVD (default 0). */
  readonly seed?: number;
  readonly oversample?: number;
  readonly iterations?: number;
  readonly tfidf?: TfidfOptions;
  /** Folder for cached results; no caching when absent. */
  readonly cacheDir?: string;
}

export interface ContentVectors {
  readonly dim: number;
  /** numItems + 1: one row per item index, row 0 (padding) zero. */
  readonly rows: number;
  /** Row-major rows × dim. */
  readonly vectors: Float32Array;
  /** The dim largest singular values of the TF-IDF matrix (0 beyond its rank). */
  readonly singularValues: Float32Array;
  /** SHA-256 (hex) of the inputs and parameters; names the cache file. */
  readonly key: string;
  readonly fromCache: boolean;
}

/**
 * Tokens of items 1..numItems (entry k is item k + 1). Attribute tokens are `a:<raw id>`, words
 * of the text (lower-cased runs of letters and digits) are `w:<word>`, so the two never collide.
 */
export function itemTokens(store: InteractionStore, source: TokenSource): string[][] {
  const useAttributes = source !== "text";
  const useText = source !== "attributes";
  if (useAttributes && !store.attributes) throw new Error("content vectors: the data set has no item attributes");
  if (useText && !store.itemText) throw new Error("content vectors: the data set has no item text");
  const out: string[][] = [];
  for (let i = 1; i <= store.numItems; i++) {
    const tokens: string[] = [];
    if (useAttributes) {
      const a = store.attributes!;
      for (let k = a.offsets[i]; k < a.offsets[i + 1]; k++) tokens.push(`a:${a.attributeIds[a.values[k]]}`);
    }
    if (useText) for (const word of store.itemText![i].toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) tokens.push(`w:${word}`);
    out.push(tokens);
  }
  return out;
}

/** Content vectors of a store's items, from the cache when it holds them. */
export async function contentVectors(store: InteractionStore, options: ContentVectorOptions): Promise<ContentVectors> {
  const source = options.source ?? (store.attributes ? "attributes" : "text");
  return contentVectorsFromTokens(itemTokens(store, source), { ...options, source });
}

/** Content vectors of token lists (entry k is item k + 1), cached like `contentVectors`. */
export async function contentVectorsFromTokens(tokens: readonly (readonly string[])[], options: ContentVectorOptions): Promise<ContentVectors> {
  const { dim } = options;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  const key = cacheKey(tokens, options);
  const rows = tokens.length + 1;
  const file = options.cacheDir === undefined ? undefined : join(options.cacheDir, `content-vectors-${key}.bin`);
  if (file) {
    const cached = await readCache(file, rows, dim);
    if (cached) return { dim, rows, ...cached, key, fromCache: true };
  }
  const computed = computeContentVectors(tokens, options);
  if (file) await writeFileAtomic(file, encode(computed.vectors, computed.singularValues, rows, dim));
  return { dim, rows, ...computed, key, fromCache: false };
}

/** The computation alone: TF-IDF, truncated SVD, optional row normalisation; no cache. */
export function computeContentVectors(
  tokens: readonly (readonly string[])[],
  options: ContentVectorOptions,
): { vectors: Float32Array; singularValues: Float32Array } {
  const { dim } = options;
  const { matrix } = tfidf(tokens, options.tfidf);
  const svd = truncatedSvd(matrix, dim, { seed: options.seed ?? 0, oversample: options.oversample, iterations: options.iterations });
  const vectors = new Float32Array((tokens.length + 1) * dim);
  const normalize = options.normalize ?? true;
  for (let i = 0; i < tokens.length; i++) {
    const src = i * dim;
    let scale = 1;
    if (normalize) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += svd.projections[src + j] ** 2;
      scale = s > 0 ? 1 / Math.sqrt(s) : 0;
    }
    for (let j = 0; j < dim; j++) vectors[(i + 1) * dim + j] = svd.projections[src + j] * scale;
  }
  return { vectors, singularValues: Float32Array.from(svd.singularValues) };
}

const FORMAT = "recspec content-vectors v1";
const MAGIC = 0x56435352; // "RSCV" little-endian
const HEADER_BYTES = 16;

function cacheKey(tokens: readonly (readonly string[])[], options: ContentVectorOptions): string {
  const params = {
    dim: options.dim,
    source: options.source ?? null,
    normalize: options.normalize ?? true,
    seed: options.seed ?? 0,
    oversample: options.oversample ?? null,
    iterations: options.iterations ?? null,
    tfidf: { normalize: options.tfidf?.normalize ?? true, sublinearTf: options.tfidf?.sublinearTf ?? false },
  };
  const hash = createHash("sha256");
  hash.update(`${FORMAT}\n${JSON.stringify(params)}\n`);
  // Separators that cannot occur inside JSON-free token text keep different splits apart.
  for (const list of tokens) hash.update(`${list.join("\u0001")}\u0002`);
  return hash.digest("hex");
}

function encode(vectors: Float32Array, singularValues: Float32Array, rows: number, dim: number): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + 4 * (dim + rows * dim));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, dim, true);
  const body = new Float32Array(bytes.buffer, HEADER_BYTES);
  body.set(singularValues, 0);
  body.set(vectors, dim);
  return bytes;
}

async function readCache(file: string, rows: number, dim: number): Promise<{ vectors: Float32Array; singularValues: Float32Array } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  // Anything unexpected (truncated, other version) is a miss: the result is recomputed and rewritten.
  if (bytes.length !== HEADER_BYTES + 4 * (dim + rows * dim)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== 1) return undefined;
  if (view.getUint32(8, true) !== rows || view.getUint32(12, true) !== dim) return undefined;
  const body = new Float32Array(bytes.buffer.slice(bytes.byteOffset + HEADER_BYTES, bytes.byteOffset + bytes.length));
  return { singularValues: body.slice(0, dim), vectors: body.slice(dim) };
}
