// TF-IDF weighting of token lists. Takes one list of tokens per document (an item's attribute ids
// or the words of its text); gives a sparse CSR matrix, one row per document, one column per
// distinct token in order of first appearance, and that vocabulary.
//
// weight(d, t) = tf(d, t) · idf(t), tf = number of times t occurs in d,
// idf(t) = ln((1 + N) / (1 + df(t))) + 1 (N documents, df = documents containing t) — the
// smoothed form of scikit-learn's TfidfVectorizer, so results can be checked against it; each row
// is then scaled to unit L2 norm unless `normalize` is false (empty rows stay zero).

import type { CsrMatrix } from "./csr-matrix.js";

export interface TfidfOptions {
  /** Scale each row to unit length (default true). */
  readonly normalize?: boolean;
  /** Use 1 + ln(tf) instead of tf (default false). */
  readonly sublinearTf?: boolean;
}

export interface Tfidf {
  readonly matrix: CsrMatrix;
  /** Column → token. */
  readonly vocabulary: readonly string[];
  /** Column → idf. */
  readonly idf: Float64Array;
}

export function tfidf(documents: readonly (readonly string[])[], options: TfidfOptions = {}): Tfidf {
  const column = new Map<string, number>();
  const vocabulary: string[] = [];
  const rowPtr = new Int32Array(documents.length + 1);
  const colIdx: number[] = [];
  const counts: number[] = [];
  const df: number[] = [];
  documents.forEach((tokens, d) => {
    // Count this document's tokens, keeping columns in first-appearance order within the row.
    const local = new Map<number, number>();
    for (const token of tokens) {
      let j = column.get(token);
      if (j === undefined) {
        j = vocabulary.length;
        column.set(token, j);
        vocabulary.push(token);
        df.push(0);
      }
      local.set(j, (local.get(j) ?? 0) + 1);
    }
    for (const [j, tf] of local) {
      colIdx.push(j);
      counts.push(tf);
      df[j]++;
    }
    rowPtr[d + 1] = colIdx.length;
  });

  const n = documents.length;
  const idf = Float64Array.from(df, (f) => Math.log((1 + n) / (1 + f)) + 1);
  const values = new Float64Array(counts.length);
  for (let k = 0; k < counts.length; k++) {
    const tf = options.sublinearTf ? 1 + Math.log(counts[k]) : counts[k];
    values[k] = tf * idf[colIdx[k]];
  }
  if (options.normalize ?? true) {
    for (let d = 0; d < n; d++) {
      let s = 0;
      for (let k = rowPtr[d]; k < rowPtr[d + 1]; k++) s += values[k] * values[k];
      if (s === 0) continue;
      const inv = 1 / Math.sqrt(s);
      for (let k = rowPtr[d]; k < rowPtr[d + 1]; k++) values[k] *= inv;
    }
  }
  return {
    matrix: { rows: n, cols: vocabulary.length, rowPtr, colIdx: Int32Array.from(colIdx), values },
    vocabulary,
    idf,
  };
}
