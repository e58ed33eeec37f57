/**
 * Preconditioned conjugate gradients for symmetric positive definite sparse
 * systems, with Jacobi or zero-fill incomplete Cholesky (IC(0)) preconditioning.
 */
import { type CSRMatrix, csrMatVec, csrDiagonal } from './sparse.js';

export type Preconditioner = 'none' | 'jacobi' | 'ic0';

export interface CGOptions {
  /** Stop when ||r|| <= tol * ||b|| (default 1e-10). */
  tol?: number;
  /** Iteration cap (default 10 n). */
  maxIter?: number;
  /** Initial guess (default 0). */
  x0?: ArrayLike<number>;
  /** Default 'ic0'. */
  preconditioner?: Preconditioner;
}

export interface CGResult {
  x: Float64Array;
  iterations: number;
  /** Final relative residual ||b - A x|| / ||b||. */
  relativeResidual: number;
  converged: boolean;
}

/** Zero-fill incomplete Cholesky L (lower, CSR, diagonal stored last in each row) of an SPD CSR matrix. */
function incompleteCholesky(A: CSRMatrix): CSRMatrix {
  const n = A.rows;
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let p = A.rowPtr[r]; p < A.rowPtr[r + 1]; p++) {
      if (A.colIdx[p] <= r) {
        cols.push(A.colIdx[p]);
        vals.push(A.values[p]);
      }
    }
    rowPtr[r + 1] = cols.length;
  }
  const colIdx = Int32Array.from(cols);
  const values = Float64Array.from(vals);
  const diagPos = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const last = rowPtr[r + 1] - 1;
    if (last < rowPtr[r] || colIdx[last] !== r) throw new Error(`cg: IC(0) needs a nonzero diagonal, row ${r} has none`);
    diagPos[r] = last;
  }
  // row-oriented IC(0): L_ij = (a_ij - sum_k<j L_ik L_jk) / L_jj on the pattern of tril(A)
  for (let i = 0; i < n; i++) {
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = colIdx[p];
      let s = values[p];
      // sparse dot of row i and row j over columns < j
      let q = rowPtr[j];
      for (let pp = rowPtr[i]; pp < p; pp++) {
        const k = colIdx[pp];
        while (q < diagPos[j] && colIdx[q] < k) q++;
        if (q < diagPos[j] && colIdx[q] === k) s -= values[pp] * values[q];
      }
      if (j === i) {
        if (!(s > 0)) throw new Error(`cg: IC(0) broke down at row ${i} (pivot ${s}); use preconditioner 'jacobi'`);
        values[p] = Math.sqrt(s);
      } else {
        values[p] = s / values[diagPos[j]];
      }
    }
  }
  return { rows: n, cols: n, rowPtr, colIdx, values };
}

/** Solves L L^T z = r with the IC(0) factor. */
function icSolve(L: CSRMatrix, r: Float64Array, z: Float64Array, tmp: Float64Array): void {
  const n = L.rows;
  const { rowPtr, colIdx, values } = L;
  for (let i = 0; i < n; i++) {
    let s = r[i];
    const last = rowPtr[i + 1] - 1;
    for (let p = rowPtr[i]; p < last; p++) s -= values[p] * tmp[colIdx[p]];
    tmp[i] = s / values[last];
  }
  z.set(tmp);
  for (let i = n - 1; i >= 0; i--) {
    const last = rowPtr[i + 1] - 1;
    z[i] /= values[last];
    const zi = z[i];
    for (let p = rowPtr[i]; p < last; p++) z[colIdx[p]] -= values[p] * zi;
  }
}

/** Solves A x = b for SPD A by preconditioned conjugate gradients. */
export function conjugateGradient(A: CSRMatrix, b: ArrayLike<number>, opts: CGOptions = {}): CGResult {
  const n = A.rows;
  if (A.cols !== n) throw new Error(`conjugateGradient: matrix must be square, got ${A.rows} x ${A.cols}`);
  if (b.length !== n) throw new Error(`conjugateGradient: b has length ${b.length}, matrix has ${n} rows`);
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 10 * n;
  const kind = opts.preconditioner ?? 'ic0';
  if (!['none', 'jacobi', 'ic0'].includes(kind)) throw new Error(`conjugateGradient: preconditioner must be 'none', 'jacobi' or 'ic0', got '${kind}'`);
  const x = opts.x0 ? Float64Array.from(opts.x0) : new Float64Array(n);
  const r = new Float64Array(n);
  const Ax = csrMatVec(A, x);
  for (let i = 0; i < n; i++) r[i] = b[i] - Ax[i];
  let bnorm = 0;
  for (let i = 0; i < n; i++) bnorm += b[i] * b[i];
  bnorm = Math.sqrt(bnorm);
  if (bnorm === 0) return { x: new Float64Array(n), iterations: 0, relativeResidual: 0, converged: true };
  const z = new Float64Array(n);
  const tmp = new Float64Array(n);
  let precond: (r: Float64Array, z: Float64Array) => void;
  if (kind === 'jacobi') {
    const d = csrDiagonal(A);
    precond = (rr, zz) => {
      for (let i = 0; i < n; i++) zz[i] = rr[i] / d[i];
    };
  } else if (kind === 'ic0') {
    const L = incompleteCholesky(A);
    precond = (rr, zz) => icSolve(L, rr, zz, tmp);
  } else {
    precond = (rr, zz) => zz.set(rr);
  }
  precond(r, z);
  const p = Float64Array.from(z);
  const Ap = new Float64Array(n);
  let rz = 0;
  for (let i = 0; i < n; i++) rz += r[i] * z[i];
  let rnorm = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
  let it = 0;
  while (rnorm > tol * bnorm && it < maxIter) {
    csrMatVec(A, p, Ap);
    let pAp = 0;
    for (let i = 0; i < n; i++) pAp += p[i] * Ap[i];
    if (!(pAp > 0)) throw new Error(`conjugateGradient: p^T A p = ${pAp} <= 0; the matrix is not positive definite`);
    const alpha = rz / pAp;
    let rr = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * Ap[i];
      rr += r[i] * r[i];
    }
    rnorm = Math.sqrt(rr);
    it++;
    if (rnorm <= tol * bnorm) break;
    precond(r, z);
    let rzNew = 0;
    for (let i = 0; i < n; i++) rzNew += r[i] * z[i];
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
  }
  return { x, iterations: it, relativeResidual: rnorm / bnorm, converged: rnorm <= tol * bnorm };
}
