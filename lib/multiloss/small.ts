/**
 * Dense float64 helpers for the m x m problems of the combiners (m = number of losses):
 * the pseudo-inverse of a symmetric matrix, linear solves, and exact solutions of the
 * two small quadratic programs: UPGrad's bound-constrained one by an active-set method
 * (Lawson-Hanson), MGDA's simplex-constrained one by enumerating supports (both
 * programs are convex, so the KKT point found is a minimiser).
 */
import { eigh } from '../linalg/eigh.js';
import { Matrix } from '../linalg/matrix.js';
import { matVec } from './matrix.js';

/**
 * Moore-Penrose pseudo-inverse of a symmetric m x m matrix: eigenvalues below
 * rcond * max |eigenvalue| count as zero (numpy's pinv rule, with its default
 * rcond = 1e-15 scaled by m as torch.linalg.pinv does for float64).
 */
export function symmetricPinv(K: Float64Array, m: number, rcond = 1e-15 * m): Float64Array {
  const { values, vectors } = eigh(new Matrix(m, m, K));
  let big = 0;
  for (const v of values) big = Math.max(big, Math.abs(v));
  const out = new Float64Array(m * m);
  if (big === 0) return out;
  for (let k = 0; k < m; k++) {
    const lam = values[k];
    if (Math.abs(lam) <= rcond * big) continue;
    for (let i = 0; i < m; i++) {
      const vi = vectors.data[i * m + k] / lam;
      for (let j = 0; j < m; j++) out[i * m + j] += vi * vectors.data[j * m + k];
    }
  }
  return out;
}

/** Solves A x = b (A row-major k x k) by Gaussian elimination with partial pivoting; null when singular. */
export function solveDense(A: Float64Array, b: Float64Array, k: number): Float64Array | null {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  const tiny = scale * 1e-13 * k;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r * k + c]) > Math.abs(a[p * k + c])) p = r;
    if (Math.abs(a[p * k + c]) <= tiny) return null;
    if (p !== c) {
      for (let j = 0; j < k; j++) [a[c * k + j], a[p * k + j]] = [a[p * k + j], a[c * k + j]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < k; r++) {
      const f = a[r * k + c] / a[c * k + c];
      if (f === 0) continue;
      for (let j = c; j < k; j++) a[r * k + j] -= f * a[c * k + j];
      x[r] -= f * x[c];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = x[c];
    for (let j = c + 1; j < k; j++) s -= a[c * k + j] * x[j];
    x[c] = s / a[c * k + c];
  }
  return x;
}

/** The sub-matrix of K on index set S (row-major |S| x |S|). */
function sub(K: Float64Array, m: number, S: number[]): Float64Array {
  const k = S.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = K[S[i] * m + S[j]];
  return out;
}

/** The members of subset `mask` of {0..m-1}. */
function members(mask: number, m: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) if (mask & (1 << i)) out.push(i);
  return out;
}

export const MAX_ENUMERATED = 16;

function checkSize(m: number, owner: string): void {
  if (m > MAX_ENUMERATED) {
    throw new Error(`${owner}: the exact solver enumerates active sets and supports at most ${MAX_ENUMERATED} losses, got ${m}`);
  }
}

/**
 * argmin_v v^T K v subject to v >= u, for K symmetric positive definite (UPGrad's
 * projection onto the dual cone, Proposition 1 of Quinton & Rey 2024). With v = u + z
 * it is min z^T K z + 2 z^T K u over z >= 0: a non-negative least-squares problem in the
 * normal-equation form, solved by Lawson and Hanson's active-set method (exact after
 * finitely many steps: at most a few times m linear solves of size <= m, where trying
 * every active set would cost 2^m). The result satisfies the KKT conditions v >= u,
 * K v >= 0 and (v - u)_i (K v)_i = 0.
 */
export function lowerBoundedQp(K: Float64Array, u: Float64Array, m: number, owner: string): Float64Array {
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(K[i * m + i]));
  if (!(scale > 0)) return Float64Array.from(u);
  const Ku = matVec(K, u, m);
  let uScale = 0;
  for (const x of Ku) uScale = Math.max(uScale, Math.abs(x));
  const tol = 1e-12 * Math.max(uScale, 1e-300) * m;
  const z = new Float64Array(m);
  const free = new Array<boolean>(m).fill(false);
  /** w = -(K (u + z)): minus half the gradient; positive entries on bound variables can still decrease the objective. */
  const negGradient = () => matVec(K, z.map((x, i) => x + u[i]), m).map((x) => -x);
  /** The unconstrained minimiser over the free variables with the others at 0. */
  const solveFree = (): Float64Array | null => {
    const F = free.flatMap((f, i) => (f ? [i] : []));
    const s = new Float64Array(m);
    if (F.length === 0) return s;
    const sol = solveDense(sub(K, m, F), Float64Array.from(F, (i) => -Ku[i]), F.length);
    if (sol === null) return null;
    F.forEach((i, r) => { s[i] = sol[r]; });
    return s;
  };
  for (let outer = 0; outer < 3 * m + 10; outer++) {
    const w = negGradient();
    let j = -1;
    for (let i = 0; i < m; i++) if (!free[i] && w[i] > tol && (j < 0 || w[i] > w[j])) j = i;
    if (j < 0) return z.map((x, i) => x + u[i]);
    free[j] = true;
    for (let inner = 0; inner <= m; inner++) {
      const s = solveFree();
      if (s === null) throw new Error(`${owner}: the Gram matrix is singular on the free set; increase regEps`);
      let alpha = 1;
      for (let i = 0; i < m; i++) if (free[i] && s[i] <= 0) alpha = Math.min(alpha, z[i] / (z[i] - s[i]));
      if (alpha >= 1) { z.set(s); break; }
      for (let i = 0; i < m; i++) {
        z[i] += alpha * (s[i] - z[i]);
        if (free[i] && z[i] <= 1e-15 * (1 + Math.abs(u[i]))) { free[i] = false; z[i] = 0; }
      }
    }
  }
  throw new Error(`${owner}: the active-set solver did not converge (this should not happen for a positive definite Gram matrix; increase regEps)`);
}

/**
 * argmin_a a^T K a over the probability simplex (MGDA's min-norm point of the convex
 * hull of the gradients), exactly: for each support S, a_S is proportional to
 * K_SS^{-1} 1, accepted when a_S >= 0 and (K a)_j >= a^T K a off the support.
 */
export function simplexQp(K: Float64Array, m: number, owner: string): Float64Array {
  checkSize(m, owner);
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(K[i * m + i]));
  let best: Float64Array | null = null;
  let bestValue = Infinity;
  for (let mask = 1; mask < 1 << m; mask++) {
    const S = members(mask, m);
    const y = solveDense(sub(K, m, S), new Float64Array(S.length).fill(1), S.length);
    if (y === null) continue;
    const total = y.reduce((a, b) => a + b, 0);
    if (!(Math.abs(total) > 0)) continue;
    const a = new Float64Array(m);
    let feasible = true;
    S.forEach((i, r) => {
      a[i] = y[r] / total;
      if (a[i] < -1e-12) feasible = false;
    });
    if (!feasible) continue;
    const Ka = matVec(K, a, m);
    let value = 0;
    for (let i = 0; i < m; i++) value += a[i] * Ka[i];
    // The objective can be many orders below the diagonal (gradients of very different sizes):
    // the tolerance is relative to it, with a floor at rounding level of K.
    const tol = 1e-9 * value + 1e-15 * scale;
    let kkt = true;
    for (let j = 0; j < m; j++) if (!(mask & (1 << j)) && Ka[j] < value - tol) kkt = false;
    if (kkt) return a.map((x) => Math.max(x, 0));
    if (value < bestValue) {
      bestValue = value;
      best = a;
    }
  }
  // A singular K (dependent gradients) can defeat every support's solve; fall back to the best seen.
  return best ?? new Float64Array(m).fill(1 / m);
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}
