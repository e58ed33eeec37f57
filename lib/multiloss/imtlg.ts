/**
 * IMTL-G, impartial multi-task learning, gradient part (Liu et al., ICLR 2021): the
 * combination sum_i a_i g_i with sum_i a_i = 1 whose projections onto every unit
 * gradient u_i are equal. With K = G G^T and d_i = |g_i|, the weights are
 * v / sum(v) for v = K^+ d (TorchJD's generalisation, equal to the paper's closed
 * form a = g_1 U^T (D U^T)^+ of ConFIG's `IMTLGOperator` when the rows are
 * independent, and defined when they are not); zero when sum(v) vanishes.
 */
import { gramOf } from './matrix.js';
import { symmetricPinv } from './small.js';
import { checkKeys, defineCombiner } from './combiner.js';

export const imtlg = defineCombiner<Record<string, never>>('imtlg', (G, options, owner) => {
  checkKeys(owner, options, []);
  const { m } = G;
  const K = gramOf(G);
  const P = symmetricPinv(K, m);
  const v = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += P[i * m + j] * Math.sqrt(Math.max(K[j * m + j], 0));
    v[i] = s;
  }
  const total = v.reduce((a, b) => a + b, 0);
  return Math.abs(total) < 1e-12 ? new Float64Array(m) : v.map((x) => x / total);
});
