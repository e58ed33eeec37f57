/**
 * Cholesky factorisation A = L L^T of a symmetric positive definite matrix, and solves
 * with it, in float64.
 */
import { Matrix, asMatrix, solveTriangular, type MatrixLike } from './matrix.js';
import { checkInstance, checkNumbers } from '../backend/args.js';
import { reserve, workspace, dot } from './simd/index.js';

/** Lower-triangular L with A = L L^T (reads the lower triangle of A). */
export function cholesky(input: MatrixLike, { damping = 0 }: { damping?: number } = {}): Matrix {
  const a = asMatrix(input, 'cholesky');
  const n = a.rows;
  if (a.cols !== n) throw new Error(`cholesky: the matrix must be square, got ${a.rows} x ${a.cols}`);
  if (!(damping >= 0)) throw new Error(`cholesky: damping must be >= 0, got ${damping}`);
  // L lives in the SIMD workspace so the inner products run in WebAssembly.
  reserve(n * n + 2);
  const L = workspace(n * n);
  const A = a.data;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    const s = A[rj + j] + damping - dot(L, rj, L, rj, j);
    if (!(s > 0)) {
      throw new Error(`cholesky: the matrix is not positive definite (leading minor ${j + 1} of ${n} has pivot ${s}); add damping or use lstsq`);
    }
    const d = Math.sqrt(s);
    L[rj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      L[ri + j] = (A[ri + j] - dot(L, ri, L, rj, j)) / d;
    }
  }
  return new Matrix(n, n, L.slice());
}

/** Solves A X = B given L = cholesky(A). B may be a matrix or a vector. */
export function choleskySolve(L: Matrix, b: MatrixLike | ArrayLike<number>): Matrix {
  checkInstance('linalg.choleskySolve', 'L', L, Matrix, 'the linalg.Matrix that linalg.cholesky returned');
  if (!(b instanceof Matrix) && !(Array.isArray(b) && Array.isArray(b[0]))) checkNumbers('linalg.choleskySolve', 'b (a matrix, rows or a vector)', b);
  const B = b instanceof Matrix || (Array.isArray(b) && Array.isArray(b[0])) ? asMatrix(b as MatrixLike, 'choleskySolve') : Matrix.column(b as ArrayLike<number>);
  const y = solveTriangular(L, B, { lower: true });
  return solveTriangular(L, y, { lower: true, transpose: true });
}
