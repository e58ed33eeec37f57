/**
 * Point sets in the unit cube [0, 1)^d, the raw material of every geometry's sampler:
 * pseudo-random uniform, Latin hypercube and Sobol'. All are seeded (an `Rng` or a seed;
 * default the library generator), so `seed(n)` makes a run's collocation points
 * reproducible.
 */
import { resolveRng, type Rng } from '../../backend/random.js';
import { sobol } from './sobol.js';

export const SAMPLING_METHODS = ['uniform', 'lhs', 'sobol'] as const;
export type SamplingMethod = (typeof SAMPLING_METHODS)[number];

function checkCount(owner: string, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${owner}: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`${owner}: d must be a positive integer, got ${d}`);
}

/** i.i.d. uniform points, row-major [n * d]. */
export function uniform(n: number, d: number, seed?: number | Rng): Float64Array {
  checkCount('uniform', n, d);
  return resolveRng(seed).uniformArray(n * d);
}

/**
 * Latin hypercube (McKay, Beckman & Conover 1979), as scipy.stats.qmc.LatinHypercube
 * with its default random placement: in every dimension each of the n strata
 * [k/n, (k+1)/n) holds exactly one point; the strata are paired by independent random
 * permutations, and each point sits uniformly inside its cell.
 */
export function latinHypercube(n: number, d: number, seed?: number | Rng): Float64Array {
  checkCount('latinHypercube', n, d);
  const rng = resolveRng(seed);
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const perm = rng.permutation(n);
    for (let i = 0; i < n; i++) out[i * d + j] = (perm[i] + rng.uniform()) / n;
  }
  return out;
}

/**
 * n points in [0, 1)^d by `method`. For 'sobol' the seed gives a random digital shift
 * (so different seeds give different, equally uniform point sets); pass
 * `{ shift: false }` for the plain sequence.
 */
export function unitPoints(method: SamplingMethod, n: number, d: number, seed?: number | Rng, { shift = true }: { shift?: boolean } = {}): Float64Array {
  switch (method) {
    case 'uniform': return uniform(n, d, seed);
    case 'lhs': return latinHypercube(n, d, seed);
    case 'sobol': return sobol(n, d, shift ? { shift: resolveRng(seed) } : {});
    default:
      throw new Error(`sampling: method must be one of ${SAMPLING_METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  }
}
