/**
 * Symmetric eigendecomposition A = V diag(w) V^T in float64: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm (tred2 / tql2, as in EISPACK and
 * JAMA). Eigenvalues ascending; eigenvectors in the columns of V.
 *
 * `tridiagonalEigen` exposes the QL stage alone for Lanczos-type methods.
 */
import { Matrix, asMatrix, transpose, type MatrixLike } from './matrix.js';

export interface Eigh {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as columns (n x n). */
  vectors: Matrix;
}

/** Eigenvalues and eigenvectors of a symmetric matrix (only the lower triangle is read). */
export function eigh(input: MatrixLike): Eigh {
  const a = asMatrix(input, 'eigh');
  const n = a.rows;
  if (a.cols !== n) throw new Error(`eigh: the matrix must be square, got ${a.rows} x ${a.cols}`);
  // V starts as the symmetrised lower triangle (row-major, V[i*n + j]).
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) V[i * n + j] = V[j * n + i] = a.data[i * n + j];
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) tred2(V, d, e, n);
  // tql2 rotates columns of V; work on V^T so the rotations touch contiguous rows.
  const VT = transpose(new Matrix(n, n, V)).data;
  tql2(d, e, n, VT);
  return { values: d, vectors: transpose(new Matrix(n, n, VT)) };
}

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix with diagonal `diag` and
 * off-diagonal `off` (length n - 1). Returns ascending eigenvalues and, for each, its
 * eigenvector (rows of `vectors`: vectors.data[k*n + i] is component i of eigenvector k).
 */
export function tridiagonalEigen(diag: ArrayLike<number>, off: ArrayLike<number>): { values: Float64Array; vectors: Matrix } {
  const n = diag.length;
  if (off.length !== Math.max(0, n - 1)) throw new Error(`tridiagonalEigen: off-diagonal must have ${n - 1} entries, got ${off.length}`);
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 1; i < n; i++) e[i] = off[i - 1];
  const VT = Matrix.identity(n).data;
  tql2(d, e, n, VT);
  return { values: d, vectors: new Matrix(n, n, VT) };
}

/** Householder tridiagonalisation (EISPACK tred2); V holds the accumulated transform. */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Implicit QL on the tridiagonal (d, e[1..]) (EISPACK tql2). VT holds the transposed
 * eigenvector matrix: row i of VT is eigenvector i. Sorts ascending.
 */
function tql2(d: Float64Array, e: Float64Array, n: number, VT: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 200) throw new Error('eigh: no convergence');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const oi = i * n;
          const oi1 = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            h = VT[oi1 + k];
            VT[oi1 + k] = s * VT[oi + k] + c * h;
            VT[oi + k] = c * VT[oi + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) if (d[j] < p) { k = j; p = d[j]; }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = VT[i * n + j];
        VT[i * n + j] = VT[k * n + j];
        VT[k * n + j] = t;
      }
    }
  }
}
