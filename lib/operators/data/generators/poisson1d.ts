/**
 * 1-D elliptic problems -(a u')' = f on (0, 1) with u(0) = u(1) = 0, for the
 * learned-solver papers (initial guesses for iterative solvers, learned
 * relaxation operators, label-free weak-form training):
 *
 * - `poisson1dSystem(aFaces, f)`: the conservative 3-point finite-difference
 *   system on n interior nodes x_j = j h (h = 1/(n+1)), a given at the n + 1
 *   cell faces, as a tridiagonal matrix, solved exactly by the Thomas
 *   algorithm; `poisson1dSample(seed)` draws log-normal a and Gaussian f.
 * - `darcy1dPiecewise(seed)`: a two-phase piecewise-constant a (a thresholded
 *   GRF on a fine cell grid, as FNO's Darcy data in 1-D) and the exact solution
 *   for f = 1 (a u' = C - x integrated cell by cell, C from u(1) = 0).
 */
import { periodicGRF1d, maternAmplitude } from '../../../pde/numerics/grf.js';
import { Rng } from '../../../pde/numerics/random.js';

export interface Tridiagonal {
  /** lower[i] = A[i, i-1] (lower[0] unused), diag[i] = A[i, i], upper[i] = A[i, i+1] (upper[n-1] unused). */
  lower: Float64Array;
  diag: Float64Array;
  upper: Float64Array;
}

/** y = A x for a tridiagonal A. */
export function tridiagonalMatVec({ lower, diag, upper }: Tridiagonal, x: ArrayLike<number>, y = new Float64Array(diag.length)): Float64Array {
  const n = diag.length;
  for (let i = 0; i < n; i++) y[i] = diag[i] * x[i] + (i > 0 ? lower[i] * x[i - 1] : 0) + (i < n - 1 ? upper[i] * x[i + 1] : 0);
  return y;
}

/** Solves A x = b (Thomas algorithm; A diagonally dominant or SPD). */
export function solveTridiagonal({ lower, diag, upper }: Tridiagonal, b: ArrayLike<number>): Float64Array {
  const n = diag.length;
  if (b.length !== n) throw new Error(`solveTridiagonal: b has ${b.length} values, expected ${n}`);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  c[0] = upper[0] / diag[0];
  d[0] = b[0] / diag[0];
  for (let i = 1; i < n; i++) {
    const m = diag[i] - lower[i] * c[i - 1];
    c[i] = i < n - 1 ? upper[i] / m : 0;
    d[i] = (b[i] - lower[i] * d[i - 1]) / m;
  }
  const x = new Float64Array(n);
  x[n - 1] = d[n - 1];
  for (let i = n - 2; i >= 0; i--) x[i] = d[i] - c[i] * x[i + 1];
  return x;
}

/** The matrix of -(a u')' on n interior nodes: row i = (-(a_i) u_{i-1} + (a_i + a_{i+1}) u_i - a_{i+1} u_{i+1}) / h^2. */
export function poisson1dMatrix(aFaces: ArrayLike<number>): Tridiagonal {
  const n = aFaces.length - 1;
  if (n < 1) throw new Error(`poisson1dMatrix: aFaces needs at least 2 values (n + 1 faces), got ${aFaces.length}`);
  for (let i = 0; i <= n; i++) if (!(aFaces[i] > 0)) throw new Error(`poisson1dMatrix: a must be positive, got ${aFaces[i]} at face ${i}`);
  const h2 = 1 / ((n + 1) * (n + 1));
  const lower = new Float64Array(n);
  const diag = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = (aFaces[i] + aFaces[i + 1]) / h2;
    lower[i] = -aFaces[i] / h2;
    upper[i] = -aFaces[i + 1] / h2;
  }
  return { lower, diag, upper };
}

export interface Poisson1dSample {
  /** Coefficient at the n + 1 faces x = (j + 1/2) h, j = 0..n. */
  aFaces: Float64Array;
  /** Right-hand side and exact discrete solution at the n interior nodes. */
  f: Float64Array;
  u: Float64Array;
}

export interface Poisson1dOptions {
  /** Interior nodes (default 63). */
  n?: number;
  /** Standard deviation of log a (default 0.5; 0 gives the plain Laplacian). */
  logSigma?: number;
}

/** A random sample: log a and f are smooth Gaussian fields (Matern-like spectra, 8 modes and 16 modes). */
export function poisson1dSample(seed: number, { n = 63, logSigma = 0.5 }: Poisson1dOptions = {}): Poisson1dSample {
  const rng = new Rng(seed);
  const m = 2 * (n + 1);
  // periodic fields on 2(n+1) points of [0, 2): odd samples are faces, even ones nodes of (0, 1)
  const logA = periodicGRF1d({ n: m, period: 2, amplitude: maternAmplitude({ sigma: 1, tau: 3, alpha: 2 }), seed: rng, kMax: 8 });
  const fField = periodicGRF1d({ n: m, period: 2, amplitude: maternAmplitude({ sigma: 1, tau: 3, alpha: 1.5 }), seed: rng, kMax: 16 });
  const std = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length) || 1;
  const sa = std(logA);
  const sf = std(fField);
  const aFaces = Float64Array.from({ length: n + 1 }, (_, j) => Math.exp((logSigma * logA[2 * j + 1]) / sa));
  const f = Float64Array.from({ length: n }, (_, j) => (10 * fField[2 * (j + 1)]) / sf);
  const u = solveTridiagonal(poisson1dMatrix(aFaces), f);
  return { aFaces, f, u };
}

export interface Darcy1dOptions {
  /** Cells of the piecewise-constant coefficient (default 256). */
  cells?: number;
  /** Values where the GRF is >= 0 and < 0 (default 12 and 3, FNO's Darcy contrast). */
  high?: number;
  low?: number;
  /** GRF spectrum: (-Laplacian + tau^2)^(-alpha) (default tau 5, alpha 2). */
  tau?: number;
  alpha?: number;
}

export interface Darcy1dSample {
  /** a on each cell [j/cells, (j+1)/cells). */
  aCells: Float64Array;
  /** Exact u at the nodes j/cells, j = 0..cells (u = 0 at both ends). */
  u: Float64Array;
  /** Exact u' on each cell at its left end (a u' = C - x is continuous; u' jumps with a). */
  flux: number;
}

/** Exact solution of -(a u')' = 1, u(0) = u(1) = 0, for a piecewise constant on equal cells, at the cell nodes. */
export function darcy1dExact(aCells: ArrayLike<number>): { u: Float64Array; flux: number } {
  const N = aCells.length;
  // a u' = C - x; u(x) = int_0^x (C - s) / a(s) ds; C int 1/a = int s/a
  let inv = 0;
  let first = 0;
  for (let j = 0; j < N; j++) {
    const x0 = j / N;
    const x1 = (j + 1) / N;
    inv += (x1 - x0) / aCells[j];
    first += (x1 * x1 - x0 * x0) / (2 * aCells[j]);
  }
  const C = first / inv;
  const u = new Float64Array(N + 1);
  for (let j = 0; j < N; j++) {
    const x0 = j / N;
    const x1 = (j + 1) / N;
    u[j + 1] = u[j] + (C * (x1 - x0) - (x1 * x1 - x0 * x0) / 2) / aCells[j];
  }
  u[N] = 0; // exact by the choice of C, up to rounding
  return { u, flux: C };
}

/** A two-phase coefficient from a thresholded periodic GRF, and the exact solution for f = 1. */
export function darcy1dPiecewise(seed: number, { cells = 256, high = 12, low = 3, tau = 5, alpha = 2 }: Darcy1dOptions = {}): Darcy1dSample {
  const field = periodicGRF1d({ n: cells, period: 1, amplitude: maternAmplitude({ sigma: 1, tau, alpha }), seed: new Rng(seed), kMax: Math.floor(cells / 4) });
  const aCells = Float64Array.from(field, (v) => (v >= 0 ? high : low));
  const { u, flux } = darcy1dExact(aCells);
  return { aCells, u, flux };
}
