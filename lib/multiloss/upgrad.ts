/**
 * UPGrad, unconflicting projection of gradients (Quinton & Rey, "Jacobian Descent for
 * Multi-Objective Optimization", arXiv:2406.16232; TorchJD's `UPGrad`): each row,
 * weighted by the preference vector (default 1/m), is projected onto the dual cone of
 * the rows, and the projections are summed. By the paper's Proposition 1 the
 * projection of G^T u has weights argmin_v v^T K v subject to v >= u; TorchJD solves
 * it with quadprog on K normalised by its trace (zero below normEps) plus regEps I.
 * Here the same problem is solved exactly by an active-set method (any number of losses).
 */
import { checkVector, gramOf } from './matrix.js';
import { lowerBoundedQp } from './small.js';
import { checkKeys, checkNumber, defineCombiner } from './combiner.js';

export interface UpgradOptions {
  /** Preference vector (default 1/m for every loss). */
  pref?: ArrayLike<number>;
  /** Trace below which the normalised Gram matrix is zero (default 1e-4, TorchJD). */
  normEps?: number;
  /** Added to the normalised Gram matrix's diagonal (default 1e-4, TorchJD). */
  regEps?: number;
}

export const upgrad = defineCombiner<UpgradOptions>('upgrad', (G, options, owner) => {
  checkKeys(owner, options, ['pref', 'normEps', 'regEps']);
  const { m } = G;
  const pref = checkVector(options.pref, m, owner, 'pref') ?? new Float64Array(m).fill(1 / m);
  const normEps = checkNumber(owner, 'normEps', options.normEps ?? 1e-4, 0, Infinity);
  const regEps = checkNumber(owner, 'regEps', options.regEps ?? 1e-4, 0, Infinity);
  const K = gramOf(G);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += K[i * m + i];
  const N = K.map((x) => (trace < normEps ? 0 : x / trace));
  for (let i = 0; i < m; i++) N[i * m + i] += regEps;
  const total = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const u = new Float64Array(m);
    u[i] = pref[i];
    const v = lowerBoundedQp(N, u, m, owner);
    for (let k = 0; k < m; k++) total[k] += v[k];
  }
  return total;
});
