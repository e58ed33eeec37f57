/**
 * Least squares min ||A x - b||^2 + damping ||x||^2 in float64, with rank handling.
 *
 * Methods:
 * - 'qr' (default): blocked Householder QR of A, then a column-pivoted QR of the small
 *   triangular factor reveals the rank: columns whose pivot |R_kk| <= rcond |R_00| are
 *   dropped and the minimum-norm solution comes from a complete orthogonal
 *   decomposition (LAPACK's gelsy approach). Backward stable; the pivots approximate
 *   the singular values.
 * - 'svd': singular values decide the rank (sigma_k <= rcond sigma_max dropped), like
 *   numpy.linalg.lstsq (gelsd). Slower; returns the singular values.
 * - 'normal': Cholesky of A^T A + damping I. Fastest, but squares the condition number:
 *   only for well-conditioned or damped problems.
 *
 * Damping (Tikhonov) adds damping * ||x||^2: 'qr' appends sqrt(damping) I to A, 'svd'
 * filters with s / (s^2 + damping), 'normal' adds it to the diagonal.
 */
import { Matrix, asMatrix, matmul, matvec, gram, solveTriangular, norm, type MatrixLike } from './matrix.js';
import { householderQR, applyQt, applyQ, pivotedQR, toColumnMajor } from './householder.js';
import { reserve, workspace } from './simd/index.js';
import { svd } from './svd.js';
import { cholesky, choleskySolve } from './cholesky.js';

export type LstsqMethod = 'qr' | 'svd' | 'normal';

export interface LstsqOptions {
  method?: LstsqMethod;
  /** Relative cutoff for the rank (default: machine epsilon times max(m, n), numpy's default). */
  rcond?: number;
  /** Tikhonov damping lambda >= 0: minimises ||A x - b||^2 + lambda ||x||^2. */
  damping?: number;
}

export interface LstsqResult {
  /** Solution, n x k (k right-hand sides). */
  x: Matrix;
  /** Numerical rank used. */
  rank: number;
  /** ||A x - b|| per right-hand side (without the damping term). */
  residualNorms: Float64Array;
  /** Singular values of A (method 'svd'), descending. */
  singularValues?: Float64Array;
  method: LstsqMethod;
}

function asRhs(b: MatrixLike | ArrayLike<number>, m: number): Matrix {
  const B = b instanceof Matrix || (Array.isArray(b) && b.length > 0 && typeof b[0] !== 'number')
    ? asMatrix(b as MatrixLike, 'lstsq b') : Matrix.column(b as ArrayLike<number>);
  if (B.rows !== m) throw new Error(`lstsq: b has ${B.rows} rows, A has ${m}`);
  return B;
}

export function lstsq(aInput: MatrixLike, bInput: MatrixLike | ArrayLike<number>, options: LstsqOptions = {}): LstsqResult {
  const A = asMatrix(aInput, 'lstsq A');
  const B = asRhs(bInput, A.rows);
  const { rows: m, cols: n } = A;
  const method = options.method ?? 'qr';
  const damping = options.damping ?? 0;
  const rcond = options.rcond ?? Number.EPSILON * Math.max(m, n);
  if (!(damping >= 0)) throw new Error(`lstsq: damping must be >= 0, got ${damping}`);
  if (!(rcond >= 0)) throw new Error(`lstsq: rcond must be >= 0, got ${rcond}`);
  for (const v of A.data) if (!Number.isFinite(v)) throw new Error('lstsq: A has a non-finite entry');
  for (const v of B.data) if (!Number.isFinite(v)) throw new Error('lstsq: b has a non-finite entry');
  let solved: { x: Matrix; rank: number; singularValues?: Float64Array };
  if (method === 'qr') solved = solveQr(A, B, rcond, damping);
  else if (method === 'svd') solved = solveSvd(A, B, rcond, damping);
  else if (method === 'normal') solved = solveNormal(A, B, damping);
  else throw new Error(`lstsq: method must be 'qr', 'svd' or 'normal', got '${method as string}'`);
  const k = B.cols;
  const residualNorms = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const r = matvec(A, solved.x.column(c));
    for (let i = 0; i < m; i++) r[i] -= B.data[i * k + c];
    residualNorms[c] = norm(r);
  }
  return { ...solved, residualNorms, method };
}

/** [A; sqrt(lambda) I] and [B; 0], for damping through QR. */
function augment(A: Matrix, B: Matrix, damping: number): { A: Matrix; B: Matrix } {
  if (damping === 0) return { A, B };
  const { rows: m, cols: n } = A;
  const a = new Matrix(m + n, n);
  a.data.set(A.data);
  const s = Math.sqrt(damping);
  for (let i = 0; i < n; i++) a.data[(m + i) * n + i] = s;
  const b = new Matrix(m + n, B.cols);
  b.data.set(B.data);
  return { A: a, B: b };
}

function solveQr(A0: Matrix, B0: Matrix, rcond: number, damping: number): { x: Matrix; rank: number } {
  const { A, B } = augment(A0, B0, damping);
  const { rows: m, cols: n } = A;
  const k = B.cols;
  // Workspace: the blocked factorisation, then the small square factor and right-hand sides.
  reserve(m * n + m * k + 2 * Math.min(m, n) ** 2 + n * k + 8);
  if (m >= n) {
    // Reduce to the n x n triangle first (blocked, fast), then pivot on the small factor.
    const a = toColumnMajor(A.data, m, n, workspace(m * n));
    const tau = householderQR(a, m, n);
    const b = toColumnMajor(B.data, m, k, workspace(m * k));
    applyQt(a, m, tau, b, k);
    const work = workspace(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) work[j * n + i] = a[j * m + i];
    const c = workspace(n * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) c[j * n + i] = b[j * m + i];
    return solvePivoted(work, n, n, c, k, rcond);
  }
  // Wide: A^T = Q R (blocked), so A = R^T Q^T. With x = Q y, ||x|| = ||y|| and A x = R^T y:
  // the minimum-norm solution is Q times that of the small m x m problem R^T y = b.
  const at = workspace(n * m);
  at.set(A.data); // column j of A^T is row j of A: A's row-major data is A^T column-major
  const tau = householderQR(at, n, m);
  const work = workspace(m * m);
  for (let j = 0; j < m; j++) for (let i = j; i < m; i++) work[j * m + i] = at[i * n + j];
  const c = toColumnMajor(B.data, m, k, workspace(m * k));
  const small = solvePivoted(work, m, m, c, k, rcond);
  const y = workspace(n * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) y[j * n + i] = small.x.data[i * k + j];
  applyQ(at, n, tau, y, k);
  const x = new Matrix(n, k);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) x.data[i * k + j] = y[j * n + i];
  return { x, rank: small.rank };
}

/**
 * Minimum-norm least squares for the column-major rows x n matrix `work` (overwritten)
 * and right-hand sides `c` (rows x k, overwritten): pivoted QR, rank cutoff, complete
 * orthogonal decomposition.
 */
function solvePivoted(work: Float64Array, rows: number, n: number, c: Float64Array, k: number, rcond: number): { x: Matrix; rank: number } {
  const { tau, perm } = pivotedQR(work, rows, n);
  applyQt(work, rows, tau, c, k);
  const K = Math.min(rows, n);
  const r00 = Math.abs(work[0]);
  let rank = 0;
  while (rank < K && Math.abs(work[rank * rows + rank]) > rcond * r00) rank++;
  const x = new Matrix(n, k);
  if (rank === 0) return { x, rank };
  // T: the leading rank x n block of R, row-major.
  const T = new Float64Array(rank * n);
  for (let i = 0; i < rank; i++) for (let j = i; j < n; j++) T[i * n + j] = work[j * rows + i];
  // Complete orthogonal decomposition: right reflectors fold columns rank..n-1 into the triangle.
  const zTau = new Float64Array(rank);
  if (rank < n) {
    for (let i = rank - 1; i >= 0; i--) {
      const ri = i * n;
      let tail = 0;
      for (let j = rank; j < n; j++) tail = Math.hypot(tail, T[ri + j]);
      if (tail === 0) continue;
      const alpha = T[ri + i];
      const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, tail);
      zTau[i] = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      for (let j = rank; j < n; j++) T[ri + j] *= inv;
      T[ri + i] = beta;
      for (let q = 0; q < i; q++) {
        const rq = q * n;
        let w = T[rq + i];
        for (let j = rank; j < n; j++) w += T[rq + j] * T[ri + j];
        w *= zTau[i];
        T[rq + i] -= w;
        for (let j = rank; j < n; j++) T[rq + j] -= w * T[ri + j];
      }
    }
  }
  const T11 = new Matrix(rank, rank);
  for (let i = 0; i < rank; i++) for (let j = i; j < rank; j++) T11.data[i * rank + j] = T[i * n + j];
  const rhs = new Matrix(rank, k);
  for (let i = 0; i < rank; i++) for (let j = 0; j < k; j++) rhs.data[i * k + j] = c[j * rows + i];
  const w = solveTriangular(T11, rhs, { lower: false });
  for (let col = 0; col < k; col++) {
    const y = new Float64Array(n);
    for (let i = 0; i < rank; i++) y[i] = w.data[i * k + col];
    for (let i = 0; i < rank; i++) {
      if (zTau[i] === 0) continue;
      const ri = i * n;
      let s = y[i];
      for (let j = rank; j < n; j++) s += T[ri + j] * y[j];
      s *= zTau[i];
      y[i] -= s;
      for (let j = rank; j < n; j++) y[j] -= s * T[ri + j];
    }
    for (let i = 0; i < n; i++) x.data[perm[i] * k + col] = y[i];
  }
  return { x, rank };
}

function solveSvd(A: Matrix, B: Matrix, rcond: number, damping: number): { x: Matrix; rank: number; singularValues: Float64Array } {
  const { rows: m, cols: n } = A;
  const k = B.cols;
  // With many more rows than columns, QR first: the SVD then runs on the n x n factor.
  let M = A;
  let rhs = B;
  if (m > (5 * n) / 4) {
    reserve(m * n + m * k + 8);
    const a = toColumnMajor(A.data, m, n, workspace(m * n));
    const tau = householderQR(a, m, n);
    const b = toColumnMajor(B.data, m, k, workspace(m * k));
    applyQt(a, m, tau, b, k);
    M = new Matrix(n, n);
    for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) M.data[i * n + j] = a[j * m + i];
    rhs = new Matrix(n, k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) rhs.data[i * k + j] = b[j * m + i];
  }
  const { U, s, V } = svd(M);
  const smax = s.length > 0 ? s[0] : 0;
  let rank = 0;
  while (rank < s.length && s[rank] > rcond * smax) rank++;
  const utb = matmul(U, rhs, { transA: true }); // r x k
  const scaled = new Matrix(s.length, k);
  for (let i = 0; i < rank; i++) {
    const f = damping > 0 ? s[i] / (s[i] * s[i] + damping) : 1 / s[i];
    for (let j = 0; j < k; j++) scaled.data[i * k + j] = utb.data[i * k + j] * f;
  }
  return { x: matmul(V, scaled), rank, singularValues: s };
}

function solveNormal(A: Matrix, B: Matrix, damping: number): { x: Matrix; rank: number } {
  const L = cholesky(gram(A), { damping });
  return { x: choleskySolve(L, matmul(A, B, { transA: true })), rank: A.cols };
}
