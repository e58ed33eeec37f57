/**
 * PCGrad, gradient surgery (Yu et al., NeurIPS 2020, Algorithm 1): each g_i is
 * projected, one other gradient at a time, off the normal plane of every g_j it
 * conflicts with (g_i^PC . g_j < 0 gives g_i^PC -= (g_i^PC . g_j / |g_j|^2) g_j, with
 * g_j the original gradient), and the projected gradients are summed. In weights on
 * the original rows this needs only the Gram matrix K (as TorchJD computes it).
 *
 * Order of the j loop: ascending (ConFIG's `PCGradOperator`, the baseline of the
 * ConFIG paper) by default; `shuffle` draws a random order per i as the paper does.
 */
import { resolveRng, type Rng } from '../backend/random.js';
import { gramOf } from './matrix.js';
import { checkKeys, defineCombiner } from './combiner.js';

export interface PcgradOptions {
  /** Random order of the projections (a seed or generator); default: ascending order. */
  shuffle?: number | Rng;
}

export const pcgrad = defineCombiner<PcgradOptions>('pcgrad', (G, options, owner) => {
  checkKeys(owner, options, ['shuffle']);
  const { m } = G;
  const K = gramOf(G);
  const rng = options.shuffle === undefined ? undefined : resolveRng(options.shuffle);
  const total = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const w = new Float64Array(m);
    w[i] = 1;
    const order = rng ? Array.from(rng.permutation(m)) : Array.from({ length: m }, (_, j) => j);
    for (const j of order) {
      if (j === i || !(K[j * m + j] > 0)) continue;
      let dot = 0;
      for (let k = 0; k < m; k++) dot += K[j * m + k] * w[k];
      if (dot < 0) w[j] -= dot / K[j * m + j];
    }
    for (let k = 0; k < m; k++) total[k] += w[k];
  }
  return total;
});
