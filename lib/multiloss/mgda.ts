/**
 * MGDA, the multiple-gradient descent algorithm (Désidéri 2012): the minimum-norm
 * point of the convex hull of the gradients, sum_i a_i g_i with a on the simplex.
 * Default solver: Frank-Wolfe as in Algorithm 2 of Sener & Koltun (NeurIPS 2018),
 * ported from TorchJD's `MGDAWeighting` (start at a = 1/m, stop when the step
 * gamma < epsilon or after maxIters). `method: 'exact'` solves the small QP exactly
 * by enumerating supports.
 */
import { gramOf, matVec } from './matrix.js';
import { simplexQp } from './small.js';
import { checkKeys, checkNumber, defineCombiner } from './combiner.js';

export interface MgdaOptions {
  /** 'frank-wolfe' (default, TorchJD / Sener & Koltun) or 'exact'. */
  method?: 'frank-wolfe' | 'exact';
  /** Frank-Wolfe stops when its step is below this (default 1e-3). */
  epsilon?: number;
  /** Frank-Wolfe iteration limit (default 100). */
  maxIters?: number;
}

export const mgda = defineCombiner<MgdaOptions>('mgda', (G, options, owner) => {
  checkKeys(owner, options, ['method', 'epsilon', 'maxIters']);
  const method = options.method ?? 'frank-wolfe';
  if (method !== 'frank-wolfe' && method !== 'exact') throw new Error(`${owner}: method must be 'frank-wolfe' or 'exact', got '${String(method)}'`);
  const { m } = G;
  const K = gramOf(G);
  if (method === 'exact') return simplexQp(K, m, owner);
  const epsilon = checkNumber(owner, 'epsilon', options.epsilon ?? 1e-3, 0, Infinity);
  const maxIters = options.maxIters ?? 100;
  if (!Number.isInteger(maxIters) || maxIters < 1) throw new Error(`${owner}: maxIters must be a positive integer, got ${maxIters}`);
  const alpha = new Float64Array(m).fill(1 / m);
  for (let it = 0; it < maxIters; it++) {
    const Ka = matVec(K, alpha, m);
    let t = 0;
    for (let i = 1; i < m; i++) if (Ka[i] < Ka[t]) t = i;
    const a = Ka[t]; // alpha^T K e_t
    let b = 0;
    for (let i = 0; i < m; i++) b += alpha[i] * Ka[i];
    const c = K[t * m + t];
    const gamma = c <= a ? 1 : b <= a ? 0 : (b - a) / (b + c - 2 * a);
    for (let i = 0; i < m; i++) alpha[i] *= 1 - gamma;
    alpha[t] += gamma;
    if (gamma < epsilon) break;
  }
  return alpha;
});
