/**
 * Sobol' sequences (Sobol' 1967) with the direction numbers of Joe & Kuo
 * (new-joe-kuo-6.21201, the table scipy uses), generated in Gray-code order as
 * scipy.stats.qmc.Sobol does: the first point is the origin, point k+1 is point k
 * XOR the direction number of the lowest zero bit of k. 30-bit integers, values
 * k / 2^30, like scipy's default `bits=30`. Unscrambled, the points equal
 * `scipy.stats.qmc.Sobol(d, scramble=False).random(n)` exactly (tested).
 *
 * `shift` (a seed or generator) applies a random digital shift (XOR with random bits,
 * one word per dimension): the sequence stays a (t, s)-net in base 2 but no longer
 * starts at the origin. scipy's default scrambling (LMS + shift) is not implemented.
 */
import { resolveRng, type Rng } from '../../backend/random.js';

const BITS = 30;

/**
 * Primitive polynomials (bit pattern with both end terms, as scipy stores them) and
 * initial direction numbers m_1..m_s, for dimensions 2..21 (dimension 1 is van der Corput).
 */
const JOE_KUO: Array<[number, number[]]> = [
  [3, [1]], [7, [1, 3]], [11, [1, 3, 1]], [13, [1, 1, 1]], [19, [1, 1, 3, 3]], [25, [1, 3, 5, 13]],
  [37, [1, 1, 5, 5, 17]], [41, [1, 1, 5, 5, 5]], [47, [1, 1, 7, 11, 19]], [55, [1, 1, 5, 1, 1]],
  [59, [1, 1, 1, 3, 11]], [61, [1, 3, 5, 5, 31]], [67, [1, 3, 3, 9, 7, 49]], [91, [1, 1, 1, 15, 21, 21]],
  [97, [1, 3, 1, 13, 27, 49]], [103, [1, 1, 1, 15, 7, 5]], [109, [1, 3, 1, 15, 13, 25]],
  [115, [1, 1, 5, 5, 19, 61]], [131, [1, 3, 7, 11, 23, 15, 103]], [137, [1, 3, 7, 13, 13, 15, 69]],
];

export const SOBOL_MAX_DIM = JOE_KUO.length + 1;

/** Direction numbers v[d][j] (as integers with BITS bits). */
function directions(dim: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  const first = new Uint32Array(BITS);
  for (let j = 0; j < BITS; j++) first[j] = 1 << (BITS - 1 - j);
  out.push(first);
  for (let d = 1; d < dim; d++) {
    const [poly, init] = JOE_KUO[d - 1];
    const s = Math.floor(Math.log2(poly));
    const m = new Array<number>(BITS);
    for (let j = 0; j < s; j++) m[j] = init[j];
    // m_i = 2 a_1 m_{i-1} ^ 4 a_2 m_{i-2} ^ ... ^ 2^{s-1} a_{s-1} m_{i-s+1} ^ 2^s m_{i-s} ^ m_{i-s}
    for (let j = s; j < BITS; j++) {
      let v = m[j - s] ^ (m[j - s] << s);
      for (let k = 1; k < s; k++) if ((poly >> (s - k)) & 1) v ^= m[j - k] << k;
      m[j] = v;
    }
    const row = new Uint32Array(BITS);
    for (let j = 0; j < BITS; j++) row[j] = (m[j] << (BITS - 1 - j)) >>> 0;
    out.push(row);
  }
  return out;
}

export interface SobolOptions {
  /** Points to skip from the start of the sequence (default 0). */
  skip?: number;
  /** Random digital shift: a seed or generator (default: none, the plain sequence). */
  shift?: number | Rng;
}

/** n points of the d-dimensional Sobol' sequence in [0, 1)^d, row-major [n * d]. */
export function sobol(n: number, d: number, options: SobolOptions = {}): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`sobol: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1 || d > SOBOL_MAX_DIM) throw new Error(`sobol: d must be an integer in [1, ${SOBOL_MAX_DIM}], got ${d}`);
  const skip = options.skip ?? 0;
  if (!Number.isInteger(skip) || skip < 0) throw new Error(`sobol: skip must be a non-negative integer, got ${skip}`);
  if (n + skip > 2 ** BITS) throw new Error(`sobol: at most 2^${BITS} points`);
  const v = directions(d);
  const quasi = new Uint32Array(d);
  if (options.shift !== undefined) {
    const rng = resolveRng(options.shift);
    for (let j = 0; j < d; j++) quasi[j] = rng.nextUint32() >>> (32 - BITS);
  }
  const scale = 2 ** -BITS;
  const out = new Float64Array(n * d);
  for (let k = 0; k < n + skip; k++) {
    if (k >= skip) for (let j = 0; j < d; j++) out[(k - skip) * d + j] = quasi[j] * scale;
    let c = 0;
    while ((k >> c) & 1) c++;
    for (let j = 0; j < d; j++) quasi[j] ^= v[j][c];
  }
  return out;
}
