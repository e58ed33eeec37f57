/**
 * QR decomposition A = Q R (thin: Q is m x k, R is k x n, k = min(m, n)), by blocked
 * Householder reflections in float64.
 */
import { Matrix, asMatrix, type MatrixLike } from './matrix.js';
import { householderQR, applyQ, toColumnMajor, toRowMajor } from './householder.js';
import { reserve, workspace } from './simd/index.js';

export interface Qr { Q: Matrix; R: Matrix }

export function qr(input: MatrixLike): Qr {
  const a = asMatrix(input, 'qr');
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  reserve(m * n + m * k + 8);
  const work = toColumnMajor(a.data, m, n, workspace(m * n));
  const tau = householderQR(work, m, n);
  const R = new Matrix(k, n);
  for (let j = 0; j < n; j++) for (let i = 0; i <= Math.min(j, k - 1); i++) R.data[i * n + j] = work[j * m + i];
  // Q = H_0 ... H_{k-1} applied to the first k columns of the identity.
  const q = workspace(m * k);
  for (let j = 0; j < k; j++) q[j * m + j] = 1;
  applyQ(work, m, tau, q, k);
  return { Q: new Matrix(m, k, toRowMajor(q, m, k)), R };
}
