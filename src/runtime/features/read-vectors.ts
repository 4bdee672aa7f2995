// Precomputed item vectors from a JSON Lines file, one `{"item": id, "vector": [...]}` per line.
// Takes the file, the data set's item ids (raw id → index through the store) and the expected
// dim; gives ItemFeatures. A file that does not describe exactly the catalogue is an error naming
// both sides (an item the catalogue lacks: at its line; catalogue items without a vector: with an
// example), unless `missing: "zeros"`, where missing items keep a zero vector and unknown ids are
// skipped, both counted for the caller to report. A wrong length or a non-number is a DataError
// with file:line; a file that cannot be read, a DataFileError.
import { readFile } from "node:fs/promises";
import { DataError, DataFileError } from "../data/data-error.js";
import type { ItemFeatures } from "./item-features.js";

export interface ReadVectorsResult extends ItemFeatures {
  /** Catalogue items the file gave no vector (they stay zero). */
  readonly missing: number;
  /** Lines whose item the catalogue does not have. */
  readonly unknown: number;
}

export interface ReadVectorsOptions {
  /** The data set the catalogue belongs to, for messages. */
  readonly dataset: string;
  /** What an incomplete or foreign file gets: an error (default), or zero vectors. */
  readonly missing?: "error" | "zeros";
}

/** itemIndex maps a raw item id (as a string) to its index 1..numItems. */
export async function readVectorsJsonl(
  file: string,
  itemIndex: ReadonlyMap<string, number>,
  numItems: number,
  dim: number,
  options: ReadVectorsOptions,
): Promise<ReadVectorsResult> {
  const strict = (options.missing ?? "error") === "error";
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new DataFileError(file, `cannot read the vectors file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const vectors = new Float32Array((numItems + 1) * dim);
  const seen = new Uint8Array(numItems + 1);
  let unknown = 0;
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new DataError(file, n + 1, `not JSON: ${(error as Error).message}`);
    }
    const { item, vector } = (record ?? {}) as {
      item?: unknown;
      vector?: unknown;
    };
    if (item === undefined || item === null || !Array.isArray(vector)) {
      throw new DataError(file, n + 1, `expected {"item": id, "vector": [numbers]}`);
    }
    if (vector.length !== dim) throw new DataError(file, n + 1, `vector has ${vector.length} values, the spec says dim ${dim}`);
    const index = itemIndex.get(String(item));
    if (index === undefined) {
      if (strict) {
        throw new DataError(
          file,
          n + 1,
          `item ${JSON.stringify(item)} is not in the catalogue of data set ${options.dataset} (${numItems} items); ` +
            "the vectors must describe that catalogue (or set `missing = zeros` to skip unknown items)",
        );
      }
      unknown++;
      continue;
    }
    for (let j = 0; j < dim; j++) {
      const v = vector[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new DataError(file, n + 1, `vector[${j}] is not a finite number`);
      vectors[index * dim + j] = v;
    }
    seen[index] = 1;
  }
  let missing = 0;
  for (let i = 1; i <= numItems; i++) if (seen[i] === 0) missing++;
  if (strict && missing > 0) {
    const example = [...itemIndex].find(([, index]) => seen[index] === 0)?.[0];
    throw new DataError(
      file,
      undefined,
      `has vectors for ${numItems - missing} of the ${numItems} items of data set ${options.dataset}; ` +
        `${missing} have none (e.g. item ${JSON.stringify(example)}); add them, or set \`missing = zeros\` to give them zero vectors`,
    );
  }
  return { dim, numItems, vectors, missing, unknown };
}
