/**
 * Householder QR kernels on column-major Float64Array panels (column j of an m-row
 * matrix is a[j*m .. j*m+m-1]), where every reflector touches contiguous memory.
 *
 * Conventions (LAPACK's): H_k = I - tau_k v_k v_k^T with v_k[k] = 1 implicit and
 * v_k[k+1..] stored below the diagonal of column k; R on and above the diagonal;
 * Q = H_0 H_1 ... H_{K-1}. The dot products and axpys run in WebAssembly SIMD when the
 * arrays live in the linalg workspace (see ./simd).
 */
import { dot, axpy } from './simd/index.js';

/**
 * Builds the reflector that zeroes x[start+1 .. end) of column `col` (entries from row
 * `row`): returns tau and leaves beta (the new diagonal) at the top and v below it.
 */
function makeReflector(a: Float64Array, m: number, col: number, row: number): number {
  const top = col * m + row;
  const len = m - row;
  let scale = 0;
  for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(a[top + i]));
  if (scale === 0) return 0;
  const alpha = a[top];
  let s = 0;
  for (let i = 1; i < len; i++) { const v = a[top + i] / scale; s += v * v; }
  const tailNorm = scale * Math.sqrt(s);
  const norm = Math.hypot(alpha, tailNorm);
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) a[top + i] *= inv;
  a[top] = beta;
  return tau;
}

/** Applies H_k (reflector stored in column k from row k) to column j, rows k.. m-1. */
function applyReflector(a: Float64Array, m: number, k: number, tau: number, target: Float64Array, targetOffset: number): void {
  if (tau === 0) return;
  const vo = k * m + k;
  const len = m - k;
  // v[0] = 1 is implicit.
  const w = tau * (target[targetOffset + k] + dot(a, vo + 1, target, targetOffset + k + 1, len - 1));
  target[targetOffset + k] -= w;
  axpy(w, a, vo + 1, target, targetOffset + k + 1, len - 1);
}

/**
 * In-place Householder QR of the column-major m x n matrix `a`; returns tau (length
 * min(m, n)). Reflectors are applied to the trailing columns a panel of `block` at a
 * time, column by column, so each trailing column is read once per panel.
 */
export function householderQR(a: Float64Array, m: number, n: number, block = 48): Float64Array {
  const K = Math.min(m, n);
  const tau = new Float64Array(K);
  for (let k0 = 0; k0 < K; k0 += block) {
    const kEnd = Math.min(k0 + block, K);
    for (let k = k0; k < kEnd; k++) {
      tau[k] = makeReflector(a, m, k, k);
      for (let j = k + 1; j < kEnd; j++) applyReflector(a, m, k, tau[k], a, j * m);
    }
    for (let j = kEnd; j < n; j++) {
      for (let k = k0; k < kEnd; k++) applyReflector(a, m, k, tau[k], a, j * m);
    }
  }
  return tau;
}

/** Overwrites the column-major m x c block `b` with Q^T b (reflectors 0..K-1 in order). */
export function applyQt(a: Float64Array, m: number, tau: Float64Array, b: Float64Array, c: number): void {
  for (let j = 0; j < c; j++) for (let k = 0; k < tau.length; k++) applyReflector(a, m, k, tau[k], b, j * m);
}

/** Overwrites the column-major m x c block `b` with Q b (reflectors K-1..0). */
export function applyQ(a: Float64Array, m: number, tau: Float64Array, b: Float64Array, c: number): void {
  for (let j = 0; j < c; j++) for (let k = tau.length - 1; k >= 0; k--) applyReflector(a, m, k, tau[k], b, j * m);
}

/**
 * Householder QR with column pivoting (the largest remaining column norm first) of the
 * column-major m x n matrix `a`, in place: A P = Q R with |R_00| >= |R_11| >= ...
 * Returns tau and the permutation (perm[k] = original column in position k).
 */
export function pivotedQR(a: Float64Array, m: number, n: number): { tau: Float64Array; perm: Int32Array } {
  const K = Math.min(m, n);
  const tau = new Float64Array(K);
  const perm = new Int32Array(n);
  const norms = new Float64Array(n);
  const exact = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    perm[j] = j;
    norms[j] = exact[j] = Math.sqrt(dot(a, j * m, a, j * m, m));
  }
  for (let k = 0; k < K; k++) {
    let p = k;
    for (let j = k + 1; j < n; j++) if (norms[j] > norms[p]) p = j;
    if (p !== k) {
      for (let i = 0; i < m; i++) { const t = a[k * m + i]; a[k * m + i] = a[p * m + i]; a[p * m + i] = t; }
      [perm[k], perm[p]] = [perm[p], perm[k]];
      [norms[k], norms[p]] = [norms[p], norms[k]];
      [exact[k], exact[p]] = [exact[p], exact[k]];
    }
    tau[k] = makeReflector(a, m, k, k);
    for (let j = k + 1; j < n; j++) {
      applyReflector(a, m, k, tau[k], a, j * m);
      // Downdate the remaining norm; recompute when cancellation makes it unreliable (LAPACK's rule).
      if (norms[j] !== 0) {
        const r = Math.abs(a[j * m + k]) / norms[j];
        const t = Math.max(0, (1 + r) * (1 - r));
        const ratio = norms[j] / exact[j];
        if (t * ratio * ratio <= Math.sqrt(Number.EPSILON)) {
          norms[j] = exact[j] = Math.sqrt(dot(a, j * m + k + 1, a, j * m + k + 1, m - k - 1));
        } else {
          norms[j] *= Math.sqrt(t);
        }
      }
    }
  }
  return { tau, perm };
}

/** Column-major copy of a row-major m x n array (into `out` when given). */
export function toColumnMajor(data: Float64Array, m: number, n: number, out: Float64Array = new Float64Array(m * n)): Float64Array {
  for (let i = 0; i < m; i++) {
    const ro = i * n;
    for (let j = 0; j < n; j++) out[j * m + i] = data[ro + j];
  }
  return out;
}

/** Row-major copy of a column-major m x n array. */
export function toRowMajor(data: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const co = j * m;
    for (let i = 0; i < m; i++) out[i * n + j] = data[co + i];
  }
  return out;
}
