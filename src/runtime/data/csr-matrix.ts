// A sparse matrix in compressed-row form and the products truncated SVD needs. Takes row
// pointers, column indices and values; gives A·X and Aᵀ·Y for dense X, Y stored column-major
// (column c of an r × l matrix is data[c*r .. (c+1)*r)), and the transpose as another CSR matrix.

export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Length rows + 1: row i's entries are at rowPtr[i] .. rowPtr[i+1]. */
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
}

/** Builds a CSR matrix from a dense row-major array (for tests and small inputs). */
export function csrFromDense(rows: number, cols: number, dense: ArrayLike<number>): CsrMatrix {
  const rowPtr = new Int32Array(rows + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = dense[i * cols + j];
      if (v !== 0) {
        colIdx.push(j);
        values.push(v);
      }
    }
    rowPtr[i + 1] = values.length;
  }
  return { rows, cols, rowPtr, colIdx: Int32Array.from(colIdx), values: Float64Array.from(values) };
}

/** Aᵀ in CSR form, in O(nnz). */
export function transposeCsr(a: CsrMatrix): CsrMatrix {
  const nnz = a.values.length;
  const rowPtr = new Int32Array(a.cols + 1);
  for (let k = 0; k < nnz; k++) rowPtr[a.colIdx[k] + 1]++;
  for (let j = 0; j < a.cols; j++) rowPtr[j + 1] += rowPtr[j];
  const cursor = rowPtr.slice(0, a.cols);
  const colIdx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  for (let i = 0; i < a.rows; i++) {
    for (let k = a.rowPtr[i]; k < a.rowPtr[i + 1]; k++) {
      const p = cursor[a.colIdx[k]]++;
      colIdx[p] = i;
      values[p] = a.values[k];
    }
  }
  return { rows: a.cols, cols: a.rows, rowPtr, colIdx, values };
}

/** A·X for X (a.cols × l, column-major); gives a.rows × l, column-major. */
export function csrTimesDense(a: CsrMatrix, x: Float64Array, l: number): Float64Array {
  const out = new Float64Array(a.rows * l);
  const { rowPtr, colIdx, values } = a;
  for (let c = 0; c < l; c++) {
    const xo = c * a.cols;
    const oo = c * a.rows;
    for (let i = 0; i < a.rows; i++) {
      let s = 0;
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) s += values[k] * x[xo + colIdx[k]];
      out[oo + i] = s;
    }
  }
  return out;
}

/** Aᵀ·Y for Y (a.rows × l, column-major); gives a.cols × l, column-major. */
export function csrTransposeTimesDense(a: CsrMatrix, y: Float64Array, l: number): Float64Array {
  const out = new Float64Array(a.cols * l);
  const { rowPtr, colIdx, values } = a;
  for (let c = 0; c < l; c++) {
    const yo = c * a.rows;
    const oo = c * a.cols;
    for (let i = 0; i < a.rows; i++) {
      const yi = y[yo + i];
      if (yi === 0) continue;
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) out[oo + colIdx[k]] += values[k] * yi;
    }
  }
  return out;
}
