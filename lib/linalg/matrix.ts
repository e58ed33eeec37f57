/**
 * Dense float64 matrices: row-major Float64Array storage, and the kernels everything else
 * in `linalg` builds on (products, transposes, triangular solves).
 *
 * TF.js has no float64, so work that needs machine precision (TENG's least squares,
 * small eigenproblems) happens here. The kernels are plain JS loops laid out so that the
 * innermost loop runs over contiguous memory; `matmul` is blocked for cache.
 */
import * as tf from '../backend/tf.js';
import { checkInstance, checkNumbers } from '../backend/args.js';
import { reserve, workspace, dot, axpy, dot4x2 } from './simd/index.js';

export class Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major entries: (i, j) is data[i * cols + j]. */
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array | ArrayLike<number>) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new Error(`Matrix: rows and cols must be non-negative integers, got ${rows} x ${cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    if (data === undefined) {
      this.data = new Float64Array(rows * cols);
    } else {
      if (data.length !== rows * cols) throw new Error(`Matrix: data has ${data.length} entries, ${rows} x ${cols} needs ${rows * cols}`);
      this.data = data instanceof Float64Array ? data : Float64Array.from(data);
    }
  }

  /** From nested arrays (rows of equal length). */
  static from(rows: ArrayLike<number>[]): Matrix {
    const m = rows.length;
    const n = m === 0 ? 0 : rows[0].length;
    const out = new Matrix(m, n);
    for (let i = 0; i < m; i++) {
      if (rows[i].length !== n) throw new Error(`Matrix.from: row ${i} has ${rows[i].length} entries, row 0 has ${n}`);
      for (let j = 0; j < n; j++) out.data[i * n + j] = rows[i][j];
    }
    return out;
  }

  static identity(n: number): Matrix {
    const out = new Matrix(n, n);
    for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
    return out;
  }

  /** A column vector (n x 1). */
  static column(values: ArrayLike<number>): Matrix {
    return new Matrix(values.length, 1, Float64Array.from(values));
  }

  /** Copies a 1-D or 2-D float32 tensor into float64 (a 1-D tensor becomes a column). */
  static fromTensor(t: tf.Tensor): Matrix {
    if (t.rank !== 1 && t.rank !== 2) throw new Error(`Matrix.fromTensor: expected a 1-D or 2-D tensor, got rank ${t.rank}`);
    const [r, c] = t.rank === 1 ? [t.shape[0], 1] : t.shape;
    return new Matrix(r, c, Float64Array.from(t.dataSync()));
  }

  get(i: number, j: number): number { return this.data[i * this.cols + j]; }
  set(i: number, j: number, v: number): void { this.data[i * this.cols + j] = v; }

  /** Float32 tensor copy, [rows, cols]. */
  toTensor(): tf.Tensor2D {
    return tf.tensor2d(Float32Array.from(this.data), [this.rows, this.cols]);
  }

  toArray(): number[][] {
    return Array.from({ length: this.rows }, (_, i) => Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
  }

  clone(): Matrix { return new Matrix(this.rows, this.cols, this.data.slice()); }

  transpose(): Matrix { return transpose(this); }

  /** Column j as a new Float64Array. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j];
    return out;
  }
}

export type MatrixLike = Matrix | ArrayLike<number>[];

/** Accepts a Matrix or nested arrays. */
export function asMatrix(a: MatrixLike, name = 'matrix'): Matrix {
  if (a instanceof Matrix) return a;
  if (Array.isArray(a)) return Matrix.from(a);
  throw new Error(`${name}: expected a linalg.Matrix or an array of rows`);
}

export function transpose(a: Matrix): Matrix {
  const { rows: m, cols: n, data } = a;
  const out = new Float64Array(m * n);
  const B = 32;
  for (let i0 = 0; i0 < m; i0 += B) {
    for (let j0 = 0; j0 < n; j0 += B) {
      const iEnd = Math.min(i0 + B, m);
      const jEnd = Math.min(j0 + B, n);
      for (let i = i0; i < iEnd; i++) for (let j = j0; j < jEnd; j++) out[j * m + i] = data[i * n + j];
    }
  }
  return new Matrix(n, m, out);
}

/**
 * C = op(A) op(B), op = transpose when asked. Row-major, blocked over the inner dimension
 * and the columns of B so the working panels stay in cache; the innermost loop is an
 * axpy on a row of C (WebAssembly SIMD: B and C are copied into the linalg workspace).
 */
export function matmul(a: Matrix, b: Matrix, { transA = false, transB = false } = {}): Matrix {
  checkInstance('linalg.matmul', 'a', a, Matrix, 'a linalg.Matrix (linalg.Matrix.from(rows))');
  checkInstance('linalg.matmul', 'b', b, Matrix, 'a linalg.Matrix (linalg.Matrix.from(rows))');
  const A = transA ? transpose(a) : a;
  const Bm = transB ? transpose(b) : b;
  if (A.cols !== Bm.rows) {
    throw new Error(`matmul: inner dimensions differ: [${A.rows} x ${A.cols}] times [${Bm.rows} x ${Bm.cols}]`);
  }
  const m = A.rows;
  const k = A.cols;
  const n = Bm.cols;
  if (n < 8) {
    // A few columns (matrix times vectors): dot products of A's rows with B's columns.
    const Bt = transpose(Bm).data;
    const C = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[i * n + j] = dot(A.data, i * k, Bt, j * k, k);
    return new Matrix(m, n, C);
  }
  reserve(k * n + m * n + 4);
  const bd = workspace(k * n);
  bd.set(Bm.data);
  const C = workspace(m * n);
  const ad = A.data;
  const KB = 128;
  const NB = 1024;
  for (let j0 = 0; j0 < n; j0 += NB) {
    const len = Math.min(j0 + NB, n) - j0;
    for (let p0 = 0; p0 < k; p0 += KB) {
      const pEnd = Math.min(p0 + KB, k);
      for (let i = 0; i < m; i++) {
        const ci = i * n + j0;
        const ai = i * k;
        for (let p = p0; p < pEnd; p++) {
          const aip = ad[ai + p];
          if (aip !== 0) axpy(-aip, bd, p * n + j0, C, ci, len);
        }
      }
    }
  }
  return new Matrix(m, n, C.slice());
}

/** A^T A (symmetric, only half computed), for Gram matrices and normal equations. */
export function gram(a: Matrix): Matrix {
  const { rows: m, cols: n } = a;
  reserve(m * n + n * n + 16);
  // Row i of the transpose is column i of a: contiguous dot products.
  const d = workspace(m * n);
  d.set(transpose(a).data);
  const out = workspace(n * n);
  const block = workspace(8);
  // Tiles of 16 x 16 column pairs over 1024-row chunks keep the columns involved in
  // cache; inside a tile, 4 x 2 register blocks (dot4x2) share every load.
  const RB = 16;
  const CB = 1024;
  for (let i0 = 0; i0 < n; i0 += RB) {
    const iEnd = Math.min(i0 + RB, n);
    for (let j0 = 0; j0 <= i0; j0 += RB) {
      const jEnd = Math.min(j0 + RB, n);
      for (let t0 = 0; t0 < m; t0 += CB) {
        const len = Math.min(CB, m - t0);
        let i = i0;
        for (; i + 3 < iEnd; i += 4) {
          let j = j0;
          const jStop = Math.min(jEnd, i + 4);
          for (; j + 1 < jStop; j += 2) {
            dot4x2(d, i * m + t0, m, d, j * m + t0, m, len, block, 0);
            for (let p = 0; p < 4; p++) {
              out[(i + p) * n + j] += block[2 * p];
              out[(i + p) * n + j + 1] += block[2 * p + 1];
            }
          }
          for (; j < jStop; j++) for (let p = 0; p < 4; p++) out[(i + p) * n + j] += dot(d, (i + p) * m + t0, d, j * m + t0, len);
        }
        for (; i < iEnd; i++) {
          for (let j = j0; j < Math.min(jEnd, i + 1); j++) out[i * n + j] += dot(d, i * m + t0, d, j * m + t0, len);
        }
      }
    }
  }
  // Blocks straddling the diagonal also filled some entries above it; the lower triangle is authoritative.
  const result = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) result[i * n + j] = result[j * n + i] = out[i * n + j];
  }
  return new Matrix(n, n, result);
}

/** y = A x. */
export function matvec(a: Matrix, x: ArrayLike<number>): Float64Array {
  checkInstance('linalg.matvec', 'a', a, Matrix, 'a linalg.Matrix (linalg.Matrix.from(rows))');
  checkNumbers('linalg.matvec', 'x', x);
  if (x.length !== a.cols) throw new Error(`matvec: A is ${a.rows} x ${a.cols}, x has ${x.length} entries`);
  const y = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const o = i * a.cols;
    for (let j = 0; j < a.cols; j++) s += a.data[o + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** Frobenius norm. */
export function norm(a: Matrix | ArrayLike<number>): number {
  if (!(a instanceof Matrix)) checkNumbers('linalg.norm', 'a (a linalg.Matrix or numbers)', a);
  const d = a instanceof Matrix ? a.data : a;
  let scale = 0;
  for (let i = 0; i < d.length; i++) scale = Math.max(scale, Math.abs(d[i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < d.length; i++) { const v = d[i] / scale; s += v * v; }
  return scale * Math.sqrt(s);
}

/** Solves L X = B (lower) or U X = B (upper) for square triangular T, in place on a copy of B. */
export function solveTriangular(t: Matrix, b: Matrix, { lower, transpose: trans = false, unitDiagonal = false }: { lower: boolean; transpose?: boolean; unitDiagonal?: boolean }): Matrix {
  const n = t.rows;
  if (t.cols !== n) throw new Error(`solveTriangular: the matrix must be square, got ${t.rows} x ${t.cols}`);
  if (b.rows !== n) throw new Error(`solveTriangular: right-hand side has ${b.rows} rows, the matrix ${n}`);
  // Solving with T^T is solving with the transposed matrix, which flips lower/upper.
  const T = trans ? transpose(t) : t;
  const low = trans ? !lower : lower;
  const x = b.clone();
  const k = b.cols;
  const td = T.data;
  const xd = x.data;
  const order = low ? [...Array(n).keys()] : [...Array(n).keys()].reverse();
  for (const i of order) {
    const diag = unitDiagonal ? 1 : td[i * n + i];
    if (diag === 0) throw new Error(`solveTriangular: the matrix is singular (zero diagonal entry ${i})`);
    const xi = i * k;
    const [from, to] = low ? [0, i] : [i + 1, n];
    for (let j = from; j < to; j++) {
      const tij = td[i * n + j];
      if (tij === 0) continue;
      const xj = j * k;
      for (let c = 0; c < k; c++) xd[xi + c] -= tij * xd[xj + c];
    }
    if (diag !== 1) for (let c = 0; c < k; c++) xd[xi + c] /= diag;
  }
  return x;
}
