/**
 * Direct solver for symmetric positive definite banded systems (band Cholesky),
 * the exact counterpart of conjugate gradients for small grids: a 2-D
 * 5-point operator on m x m unknowns has half-bandwidth m, so the factorisation
 * costs O(m^4) and each solve O(m^3).
 */
import type { CSRMatrix } from './sparse.js';

export class BandedCholesky {
  readonly n: number;
  /** Half-bandwidth: A_ij = 0 for |i - j| > bandwidth. */
  readonly bandwidth: number;
  /** L stored by rows: L[i, i - bandwidth + k] at band[i * (bandwidth+1) + k]; k = bandwidth is the diagonal. */
  private readonly band: Float64Array;

  /** Factors an SPD CSR matrix (only its lower triangle is read). */
  constructor(A: CSRMatrix) {
    const n = A.rows;
    if (A.cols !== n) throw new Error(`BandedCholesky: matrix must be square, got ${A.rows} x ${A.cols}`);
    let bw = 0;
    for (let r = 0; r < n; r++) {
      for (let p = A.rowPtr[r]; p < A.rowPtr[r + 1]; p++) bw = Math.max(bw, r - A.colIdx[p]);
    }
    this.n = n;
    this.bandwidth = bw;
    const w = bw + 1;
    const L = new Float64Array(n * w);
    for (let r = 0; r < n; r++) {
      for (let p = A.rowPtr[r]; p < A.rowPtr[r + 1]; p++) {
        const c = A.colIdx[p];
        if (c <= r) L[r * w + (c - r + bw)] += A.values[p];
      }
    }
    for (let i = 0; i < n; i++) {
      const j0 = Math.max(0, i - bw);
      for (let j = j0; j <= i; j++) {
        let s = L[i * w + (j - i + bw)];
        const k0 = Math.max(j0, j - bw);
        for (let k = k0; k < j; k++) s -= L[i * w + (k - i + bw)] * L[j * w + (k - j + bw)];
        if (j === i) {
          if (!(s > 0)) throw new Error(`BandedCholesky: matrix is not positive definite (pivot ${s} at row ${i})`);
          L[i * w + bw] = Math.sqrt(s);
        } else {
          L[i * w + (j - i + bw)] = s / L[j * w + bw];
        }
      }
    }
    this.band = L;
  }

  /** Solves A x = b (x is allocated when not given; b may alias x). */
  solve(b: ArrayLike<number>, x: Float64Array = new Float64Array(this.n)): Float64Array {
    const { n, bandwidth: bw, band: L } = this;
    if (b.length !== n) throw new Error(`BandedCholesky.solve: b has length ${b.length}, expected ${n}`);
    const w = bw + 1;
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let k = Math.max(0, i - bw); k < i; k++) s -= L[i * w + (k - i + bw)] * x[k];
      x[i] = s / L[i * w + bw];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      for (let k = i + 1; k <= Math.min(n - 1, i + bw); k++) s -= L[k * w + (i - k + bw)] * x[k];
      x[i] = s / L[i * w + bw];
    }
    return x;
  }
}
