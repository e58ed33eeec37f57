/**
 * Thin singular value decomposition A = U diag(s) V^T in float64: Householder
 * bidiagonalisation followed by implicit-shift QR on the bidiagonal (Golub-Kahan-Reinsch,
 * following the structure of JAMA's SingularValueDecomposition). Stored column-major
 * internally so every Householder and Givens update runs over contiguous memory.
 * Singular values come out non-negative and descending.
 */
import { Matrix, asMatrix, transpose, type MatrixLike } from './matrix.js';
import { toRowMajor, toColumnMajor } from './householder.js';
import { reserve, workspace, dot, axpy, rot } from './simd/index.js';

export interface Svd {
  /** m x k, k = min(m, n), orthonormal columns. */
  U: Matrix;
  /** Singular values, descending (length k). */
  s: Float64Array;
  /** n x k, orthonormal columns. */
  V: Matrix;
}

export function svd(input: MatrixLike): Svd {
  const a0 = asMatrix(input, 'svd');
  if (a0.rows < a0.cols) {
    const { U, s, V } = svd(transpose(a0));
    return { U: V, s, V: U };
  }
  const m = a0.rows;
  const n = a0.cols;
  if (n === 0) return { U: new Matrix(m, 0), s: new Float64Array(0), V: new Matrix(0, 0) };
  const nu = n;
  reserve(2 * m * n + n * n + m + 8);
  const A = toColumnMajor(a0.data, m, n, workspace(m * n)); // A(i, j) = A[j*m + i]
  const s = new Float64Array(Math.min(m + 1, n));
  const U = workspace(m * nu); // U(i, j) = U[j*m + i]
  const V = workspace(n * n); // V(i, j) = V[j*n + i]
  const e = new Float64Array(n);
  const work = workspace(m);
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));

  for (let k = 0; k < Math.max(nct, nrt); k++) {
    const ck = k * m;
    if (k < nct) {
      // Left reflector for column k.
      let nrm = 0;
      for (let i = k; i < m; i++) nrm = Math.hypot(nrm, A[ck + i]);
      s[k] = nrm;
      if (s[k] !== 0) {
        if (A[ck + k] < 0) s[k] = -s[k];
        for (let i = k; i < m; i++) A[ck + i] /= s[k];
        A[ck + k] += 1;
      }
      s[k] = -s[k];
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        const t = -dot(A, ck + k, A, cj + k, m - k) / A[ck + k];
        axpy(-t, A, ck + k, A, cj + k, m - k);
      }
      e[j] = A[cj + k];
    }
    if (k < nct) for (let i = k; i < m; i++) U[k * m + i] = A[ck + i];
    if (k < nrt) {
      // Right reflector for row k.
      let nrm = 0;
      for (let i = k + 1; i < n; i++) nrm = Math.hypot(nrm, e[i]);
      e[k] = nrm;
      if (e[k] !== 0) {
        if (e[k + 1] < 0) e[k] = -e[k];
        for (let i = k + 1; i < n; i++) e[i] /= e[k];
        e[k + 1] += 1;
      }
      e[k] = -e[k];
      if (k + 1 < m && e[k] !== 0) {
        for (let i = k + 1; i < m; i++) work[i] = 0;
        for (let j = k + 1; j < n; j++) axpy(-e[j], A, j * m + k + 1, work, k + 1, m - k - 1);
        for (let j = k + 1; j < n; j++) axpy(e[j] / e[k + 1], work, k + 1, A, j * m + k + 1, m - k - 1);
      }
      for (let i = k + 1; i < n; i++) V[k * n + i] = e[i];
    }
  }

  let p = Math.min(n, m + 1);
  if (nct < n) s[nct] = A[nct * m + nct];
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = A[(p - 1) * m + nrt];
  e[p - 1] = 0;

  // Generate U.
  for (let j = nct; j < nu; j++) {
    for (let i = 0; i < m; i++) U[j * m + i] = 0;
    U[j * m + j] = 1;
  }
  for (let k = nct - 1; k >= 0; k--) {
    const ck = k * m;
    if (s[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * m;
        const t = -dot(U, ck + k, U, cj + k, m - k) / U[ck + k];
        axpy(-t, U, ck + k, U, cj + k, m - k);
      }
      for (let i = k; i < m; i++) U[ck + i] = -U[ck + i];
      U[ck + k] = 1 + U[ck + k];
      for (let i = 0; i < k; i++) U[ck + i] = 0;
    } else {
      for (let i = 0; i < m; i++) U[ck + i] = 0;
      U[ck + k] = 1;
    }
  }
  // Generate V.
  for (let k = n - 1; k >= 0; k--) {
    const ck = k * n;
    if (k < nrt && e[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * n;
        const t = -dot(V, ck + k + 1, V, cj + k + 1, n - k - 1) / V[ck + k + 1];
        axpy(-t, V, ck + k + 1, V, cj + k + 1, n - k - 1);
      }
    }
    for (let i = 0; i < n; i++) V[ck + i] = 0;
    V[ck + k] = 1;
  }

  const rotate = (M: Float64Array, rows: number, j1: number, j2: number, cs: number, sn: number) =>
    rot(cs, sn, M, j1 * rows, M, j2 * rows, rows);

  // Implicit-shift QR iterations on the bidiagonal (s, e).
  const pp = p - 1;
  const eps = 2 ** -52;
  const tiny = 2 ** -966;
  let iterations = 0;
  while (p > 0) {
    if (++iterations > 75 * n + 1000) throw new Error('svd: no convergence');
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      if (Math.abs(e[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else { kase = 2; k = ks; }
    }
    k++;
    if (kase === 1) {
      // Deflate a negligible s[p-1].
      let f = e[p - 2];
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1];
          e[j - 1] = cs * e[j - 1];
        }
        rotate(V, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      // Split at a negligible s[k-1].
      let f = e[k - 1];
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j], f);
        const cs = s[j] / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j];
        e[j] = cs * e[j];
        rotate(U, m, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      // One QR step with the Wilkinson-like shift.
      const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
      const sp = s[p - 1] / scale;
      const spm1 = s[p - 2] / scale;
      const epm1 = e[p - 2] / scale;
      const sk = s[k] / scale;
      const ek = e[k] / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j] + sn * e[j];
        e[j] = cs * e[j] - sn * s[j];
        g = sn * s[j + 1];
        s[j + 1] = cs * s[j + 1];
        rotate(V, n, j, j + 1, cs, sn);
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j] + sn * s[j + 1];
        s[j + 1] = -sn * e[j] + cs * s[j + 1];
        g = sn * e[j + 1];
        e[j + 1] = cs * e[j + 1];
        if (j < m - 1) rotate(U, m, j, j + 1, cs, sn);
      }
      e[p - 2] = f;
    } else {
      // Convergence: make s[k] non-negative and move it into order.
      if (s[k] <= 0) {
        s[k] = s[k] < 0 ? -s[k] : 0;
        for (let i = 0; i <= pp; i++) V[k * n + i] = -V[k * n + i];
      }
      while (k < pp) {
        if (s[k] >= s[k + 1]) break;
        const t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        if (k < n - 1) swapColumns(V, n, k, k + 1);
        if (k < m - 1) swapColumns(U, m, k, k + 1);
        k++;
      }
      p--;
    }
  }
  return {
    U: new Matrix(m, nu, toRowMajor(U, m, nu)),
    s: s.slice(0, n),
    V: new Matrix(n, n, toRowMajor(V, n, n)),
  };
}

function swapColumns(M: Float64Array, rows: number, a: number, b: number): void {
  const oa = a * rows;
  const ob = b * rows;
  for (let i = 0; i < rows; i++) {
    const t = M[oa + i];
    M[oa + i] = M[ob + i];
    M[ob + i] = t;
  }
}
