/**
 * Functions of symmetric matrices through their eigendecomposition, in float64:
 * f(A) = V diag(f(w)) V^T. Matrix square roots and inverse p-th roots (Shampoo-style
 * preconditioners) floor the eigenvalues at `epsilon` first.
 */
import { Matrix, asMatrix, type MatrixLike } from './matrix.js';
import { eigh } from './eigh.js';

/** V diag(f(w)) V^T for symmetric A. */
export function symmetricFunction(input: MatrixLike, f: (eigenvalue: number) => number): Matrix {
  const { values, vectors } = eigh(input);
  const n = values.length;
  const V = vectors.data;
  const fw = values.map(f);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += V[i * n + k] * fw[k] * V[j * n + k];
      out[i * n + j] = out[j * n + i] = s;
    }
  }
  return new Matrix(n, n, out);
}

function checkPsd(values: number, name: string): void {
  if (!(values >= 0)) throw new Error(`${name}: epsilon must be >= 0, got ${values}`);
}

/** Principal square root of a symmetric positive semi-definite matrix. */
export function sqrtm(input: MatrixLike, { epsilon = 0 }: { epsilon?: number } = {}): Matrix {
  checkPsd(epsilon, 'sqrtm');
  const a = asMatrix(input, 'sqrtm');
  return symmetricFunction(a, (w) => Math.sqrt(Math.max(w, epsilon)));
}

/** A^(-1/p) for symmetric positive definite A, eigenvalues floored at epsilon (p > 0). */
export function inversePthRoot(input: MatrixLike, p: number, { epsilon = 0 }: { epsilon?: number } = {}): Matrix {
  if (!(p > 0)) throw new Error(`inversePthRoot: p must be > 0, got ${p}`);
  checkPsd(epsilon, 'inversePthRoot');
  const a = asMatrix(input, 'inversePthRoot');
  return symmetricFunction(a, (w) => {
    const floored = Math.max(w, epsilon);
    if (floored <= 0) throw new Error('inversePthRoot: the matrix is singular; pass epsilon > 0 to floor its eigenvalues');
    return floored ** (-1 / p);
  });
}

/** Inverse of a symmetric positive definite matrix via its eigendecomposition. */
export function inverseSymmetric(input: MatrixLike, { epsilon = 0 }: { epsilon?: number } = {}): Matrix {
  return inversePthRoot(input, 1, { epsilon });
}
