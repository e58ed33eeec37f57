/**
 * The periodic semilinear elliptic problem -nu u'' + c u^3 = s on [0, 1), the
 * 1-D test problem of the spectral-loss notebook: nonlinear (so a residual
 * loss must evaluate u^3 somewhere), with a unique solution (it is the
 * minimiser of the strictly convex energy int nu/2 u'^2 + c/4 u^4 - s u).
 *
 * The source is a trigonometric polynomial given by its coefficients in
 * `fourierBasis(K)`'s layout [a_0, a_1..a_K, b_1..b_K]; the reference solution
 * is computed by damped Newton on an n-point Fourier collocation grid (dense
 * spectral second-derivative matrix, Cholesky), converged to 1e-12.
 */
import { spectralDerivative } from '../../../pde/numerics/spectral.js';
import { Rng } from '../../../pde/numerics/random.js';
import { Matrix, cholesky, choleskySolve } from '../../../linalg/index.js';

export interface SemilinearOptions {
  /** Diffusion coefficient nu (default 0.05) and cubic coefficient c (default 1). */
  nu?: number;
  c?: number;
  /** Collocation points of the reference solve (default 128). */
  n?: number;
}

/** Values of sum a_k cos(2 pi k x) + b_k sin(2 pi k x) at x_j = j / n. */
export function trigSeries(coefficients: ArrayLike<number>, n: number): Float64Array {
  const K = (coefficients.length - 1) / 2;
  if (!Number.isInteger(K)) throw new Error(`trigSeries: expected 2K + 1 coefficients, got ${coefficients.length}`);
  return Float64Array.from({ length: n }, (_, j) => {
    let v = coefficients[0];
    for (let k = 1; k <= K; k++) {
      const angle = (2 * Math.PI * ((k * j) % n)) / n;
      v += coefficients[k] * Math.cos(angle) + coefficients[K + k] * Math.sin(angle);
    }
    return v;
  });
}

/** Solves -nu u'' + c u^3 = s at the n points j / n (s given there); returns u there. */
export function solveSemilinearPeriodic(s: ArrayLike<number>, { nu = 0.05, c = 1 }: SemilinearOptions = {}): Float64Array {
  const n = s.length;
  if (!(nu > 0) || !(c > 0)) throw new Error(`solveSemilinearPeriodic: nu and c must be positive, got ${nu}, ${c}`);
  // dense spectral second derivative on [0, 1): column j = D2 e_j
  const D2 = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    const col = spectralDerivative(e, 2, 1);
    for (let i = 0; i < n; i++) D2[i * n + j] = col[i];
  }
  const residual = (u: Float64Array) => {
    const d2 = spectralDerivative(u, 2, 1);
    return Float64Array.from(u, (v, i) => -nu * d2[i] + c * v * v * v - s[i]);
  };
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0) / v.length);
  const scale = Math.max(norm(Float64Array.from(s)), 1e-300);
  let u = new Float64Array(n).fill(1);
  let r = residual(u);
  for (let it = 0; it < 100 && norm(r) > 1e-12 * scale; it++) {
    const J = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) J[i] = -nu * D2[i];
    for (let i = 0; i < n; i++) J[i * n + i] += 3 * c * u[i] * u[i];
    const step = choleskySolve(cholesky(new Matrix(n, n, J)), Float64Array.from(r, (v) => -v)).data;
    // backtracking on the residual norm keeps Newton globally convergent on this monotone problem
    let t = 1;
    let next = u;
    let rNext = r;
    for (let k = 0; k < 30; k++, t /= 2) {
      next = Float64Array.from(u, (v, i) => v + t * step[i]);
      rNext = residual(next);
      if (norm(rNext) < (1 - 1e-4 * t) * norm(r)) break;
    }
    u = next;
    r = rNext;
  }
  if (!(norm(r) <= 1e-10 * scale)) throw new Error(`solveSemilinearPeriodic: Newton did not converge (residual ${norm(r)})`);
  return u;
}

export interface SemilinearSample {
  /** Source coefficients in fourierBasis(K) layout. */
  sCoefficients: Float64Array;
  /** Reference solution at x_j = j / n. */
  u: Float64Array;
}

/**
 * A random source with K harmonics, coefficients N(0, amplitude^2 / (1 + k^2)) (and a
 * zero mean term scaled the same way), and the reference solution on n points.
 */
export function semilinearSample(seed: number, { K = 8, amplitude = 5, ...opts }: SemilinearOptions & { K?: number; amplitude?: number } = {}): SemilinearSample {
  const rng = new Rng(seed);
  const sCoefficients = new Float64Array(2 * K + 1);
  sCoefficients[0] = amplitude * rng.normal();
  for (let k = 1; k <= K; k++) {
    const sd = amplitude / Math.sqrt(1 + k * k);
    sCoefficients[k] = sd * rng.normal();
    sCoefficients[K + k] = sd * rng.normal();
  }
  const n = opts.n ?? 128;
  return { sCoefficients, u: solveSemilinearPeriodic(trigSeries(sCoefficients, n), opts) };
}
