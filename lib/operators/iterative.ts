/**
 * Networks inside iterative solvers, for the papers that put them there:
 *
 * - `fixedPointIterate` / `empiricalLipschitz`: apply a learned operator
 *   u <- G(u, f) repeatedly (Zappala et al., "Operator learning meets numerical
 *   analysis"), recording the iterates, and estimate G's Lipschitz constant in u
 *   from random pairs (a contraction has one below 1).
 * - `jacobiSteps`: k damped-Jacobi sweeps on batched tridiagonal systems as
 *   differentiable TF.js ops, the solver-in-the-loop of learned initial guesses
 *   (Arisaka & Li, "Principled acceleration of iterative numerical methods");
 *   `jacobiIterations` counts the float64 sweeps to a tolerance.
 * - `deepConjugateDirection`: DCDM (Kaneda et al. 2023): search directions from a
 *   network that approximates A^{-1} r, A-orthogonalised against the last few
 *   directions, exact line search; with the identity it is conjugate
 *   gradients, which gives the baseline's residual history.
 */
import * as tf from '../backend/tf.js';
import { type CSRMatrix, csrMatVec } from '../pde/numerics/sparse.js';
import type { Tridiagonal } from './data/generators/poisson1d.js';
import { tridiagonalMatVec } from './data/generators/poisson1d.js';
import { checkNumber, checkPositiveInt } from './module.js';

export interface FixedPointOptions {
  /** Iterations (default 20). */
  iterations?: number;
  /** Reference solution: the error ||u_k - reference|| / ||reference|| is recorded per iterate. */
  reference?: tf.Tensor;
}

export interface FixedPointResult {
  /** The last iterate. */
  u: tf.Tensor;
  /** ||u_{k+1} - u_k|| / ||u_k|| (mean over the batch) per iteration. */
  updates: number[];
  /** Relative error to the reference after each iteration (mean over the batch), when given. */
  errors: number[];
}

function relNorm(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const B = a.shape[0];
    const d = tf.reshape(tf.sub(a, b), [B, -1]);
    const r = tf.reshape(b, [B, -1]);
    return tf.mean(tf.div(tf.norm(d, 'euclidean', 1), tf.maximum(tf.norm(r, 'euclidean', 1), 1e-30))).dataSync()[0];
  });
}

/** Iterates u <- G(u) from u0, recording how much each step moves and, optionally, the error. */
export function fixedPointIterate(G: (u: tf.Tensor) => tf.Tensor, u0: tf.Tensor, opts: FixedPointOptions = {}): FixedPointResult {
  const iterations = checkPositiveInt('fixedPointIterate', 'iterations', opts.iterations ?? 20);
  let u = tf.clone(u0);
  const updates: number[] = [];
  const errors: number[] = [];
  for (let k = 0; k < iterations; k++) {
    const next = tf.tidy(() => G(u));
    updates.push(relNorm(next, u));
    u.dispose();
    u = next;
    if (opts.reference) errors.push(relNorm(u, opts.reference));
  }
  return { u, updates, errors };
}

/**
 * max over the given pairs of ||G(u1) - G(u2)|| / ||u1 - u2|| (per sample, then the
 * largest): an empirical Lipschitz constant of G in its argument.
 */
export function empiricalLipschitz(G: (u: tf.Tensor) => tf.Tensor, u1: tf.Tensor, u2: tf.Tensor): number {
  return tf.tidy(() => {
    const B = u1.shape[0];
    const num = tf.norm(tf.reshape(tf.sub(G(u1), G(u2)), [B, -1]), 'euclidean', 1);
    const den = tf.norm(tf.reshape(tf.sub(u1, u2), [B, -1]), 'euclidean', 1);
    return tf.max(tf.div(num, den)).dataSync()[0];
  });
}

/** A batch of tridiagonal systems as [B, n] tensors (see `Tridiagonal`). */
export interface TridiagonalTensors {
  lower: tf.Tensor2D;
  diag: tf.Tensor2D;
  upper: tf.Tensor2D;
}

/** Stacks float64 tridiagonal systems into float32 [B, n] tensors. */
export function tridiagonalTensors(systems: Tridiagonal[]): TridiagonalTensors {
  const stack = (k: keyof Tridiagonal) => tf.tensor2d(systems.map((s) => Array.from(s[k])));
  return { lower: stack('lower'), diag: stack('diag'), upper: stack('upper') };
}

/** A u for batched tridiagonal A and u [B, n] (differentiable). */
export function tridiagonalApply(A: TridiagonalTensors, u: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [B] = u.shape;
    const zero = tf.zeros([B, 1]);
    const left = tf.concat([zero, tf.slice(u, [0, 0], [-1, u.shape[1] - 1])], 1); // u_{i-1}
    const right = tf.concat([tf.slice(u, [0, 1], [-1, -1]), zero], 1); // u_{i+1}
    return tf.add(tf.add(tf.mul(A.diag, u), tf.mul(A.lower, left)), tf.mul(A.upper, right)) as tf.Tensor2D;
  });
}

/** k damped-Jacobi sweeps u <- u + omega D^{-1} (f - A u), differentiable in u0 (and in A, f). */
export function jacobiSteps(A: TridiagonalTensors, f: tf.Tensor2D, u0: tf.Tensor2D, k: number, omega = 1): tf.Tensor2D {
  checkNumber('jacobiSteps', 'k', k, { min: 0, integer: true });
  checkNumber('jacobiSteps', 'omega', omega, { min: 0, minInclusive: false, max: 1 });
  return tf.tidy(() => {
    const step = tf.div(omega, A.diag);
    let u = u0;
    for (let i = 0; i < k; i++) u = tf.add(u, tf.mul(step, tf.sub(f, tridiagonalApply(A, u)))) as tf.Tensor2D;
    return u;
  });
}

/**
 * Damped-Jacobi sweeps (float64) from u0 until ||f - A u|| <= tol ||f||: the number
 * of sweeps (maxIter when not reached) and the final relative residual.
 */
export function jacobiIterations(A: Tridiagonal, f: ArrayLike<number>, u0: ArrayLike<number>, { tol = 1e-6, maxIter = 100_000, omega = 1 } = {}): { iterations: number; relativeResidual: number } {
  const n = A.diag.length;
  let u = Float64Array.from(u0);
  const Au = new Float64Array(n);
  const fNorm = Math.hypot(...Array.from(f)) || 1;
  for (let it = 0; it <= maxIter; it++) {
    tridiagonalMatVec(A, u, Au);
    let r2 = 0;
    for (let i = 0; i < n; i++) r2 += (f[i] - Au[i]) ** 2;
    const rel = Math.sqrt(r2) / fNorm;
    if (rel <= tol || it === maxIter) return { iterations: it, relativeResidual: rel };
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = u[i] + (omega * (f[i] - Au[i])) / A.diag[i];
    u = next;
  }
  throw new Error('unreachable');
}

export interface ConjugateDirectionOptions {
  /** Stop when ||b - A x|| <= tol ||b|| (default 1e-4, the paper's). */
  tol?: number;
  maxIter?: number;
  /** Directions to A-orthogonalise against (default 2, the paper's). */
  orthogonalize?: number;
}

export interface ConjugateDirectionResult {
  x: Float64Array;
  iterations: number;
  /** Relative residual before the first and after every iteration. */
  residuals: number[];
  converged: boolean;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Solves A x = b (A SPD, CSR) with search directions d_k = direction(r_k),
 * A-orthogonalised against the last `orthogonalize` directions, and the exact
 * step alpha = d.r / d.Ad. `direction` is the network (an approximate inverse
 * of A up to scale); the identity gives conjugate gradients.
 */
export function deepConjugateDirection(A: CSRMatrix, b: ArrayLike<number>, direction: (r: Float64Array) => ArrayLike<number>, opts: ConjugateDirectionOptions = {}): ConjugateDirectionResult {
  const tol = checkNumber('deepConjugateDirection', 'tol', opts.tol ?? 1e-4, { min: 0, minInclusive: false });
  const maxIter = checkPositiveInt('deepConjugateDirection', 'maxIter', opts.maxIter ?? 10 * A.rows);
  const keep = checkNumber('deepConjugateDirection', 'orthogonalize', opts.orthogonalize ?? 2, { min: 0, integer: true });
  const n = A.rows;
  if (b.length !== n) throw new Error(`deepConjugateDirection: b has ${b.length} values, the matrix ${n} rows`);
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const bNorm = Math.sqrt(dot(b, b)) || 1;
  const residuals = [Math.sqrt(dot(r, r)) / bNorm];
  const past: { d: Float64Array; Ad: Float64Array; dAd: number }[] = [];
  let it = 0;
  while (residuals[residuals.length - 1] > tol && it < maxIter) {
    const d = Float64Array.from(direction(r));
    if (d.length !== n) throw new Error(`deepConjugateDirection: direction returned ${d.length} values, expected ${n}`);
    for (const p of past) {
      const c = dot(d, p.Ad) / p.dAd;
      for (let i = 0; i < n; i++) d[i] -= c * p.d[i];
    }
    const Ad = csrMatVec(A, d);
    const dAd = dot(d, Ad);
    if (!(dAd > 0)) break; // the direction vanished (or A is not SPD)
    const alpha = dot(d, r) / dAd;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * d[i];
      r[i] -= alpha * Ad[i];
    }
    past.push({ d, Ad, dAd });
    if (past.length > keep) past.shift();
    it++;
    residuals.push(Math.sqrt(dot(r, r)) / bNorm);
  }
  return { x, iterations: it, residuals, converged: residuals[residuals.length - 1] <= tol };
}
