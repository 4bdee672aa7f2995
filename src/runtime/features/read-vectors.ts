// Precomputed item vectors from a JSON Lines file, one `{"item": id, "vector": [...]}` per line.
// Takes the file, the data set's item ids (raw id → index through the store) and the expected
// dim; gives ItemFeatures. Items of the catalogue missing from the file keep a zero vector (they
// are counted and reported by the caller); ids the catalogue does not know are skipped and
// counted; a wrong length or a non-number is an error with file:line.
import { readFile } from "node:fs/promises";
import { DataError } from "../data/data-error.js";
import type { ItemFeatures } from "./item-features.js";

export interface ReadVectorsResult extends ItemFeatures {
  /** Catalogue items the file gave no vector (they stay zero). */
  readonly missing: number;
  /** Lines whose item the catalogue does not have. */
  readonly unknown: number;
}

/** itemIndex maps a raw item id (as a string) to its index 1..numItems. */
export async function readVectorsJsonl(
  file: string,
  itemIndex: ReadonlyMap<string, number>,
  numItems: number,
  dim: number,
): Promise<ReadVectorsResult> {
  const text = await readFile(file, "utf8");
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
      throw new DataError(
        file,
        n + 1,
        `expected {"item": id, "vector": [numbers]}`,
      );
    }
    if (vector.length !== dim)
      throw new DataError(
        file,
        n + 1,
        `vector has ${vector.length} values, the spec says dim ${dim}`,
      );
    const index = itemIndex.get(String(item));
    if (index === undefined) {
      unknown++;
      continue;
    }
    for (let j = 0; j < dim; j++) {
      const v = vector[j];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new DataError(file, n + 1, `vector[${j}] is not a finite number`);
      vectors[index * dim + j] = v;
    }
    seen[index] = 1;
  }
  let missing = 0;
  for (let i = 1; i <= numItems; i++) if (seen[i] === 0) missing++;
  return { dim, numItems, vectors, missing, unknown };
}
