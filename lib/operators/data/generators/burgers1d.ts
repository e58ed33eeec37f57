/**
 * 1-D viscous Burgers on the periodic unit interval, the FNO benchmark map
 * u0 -> u(T):  u_t + (u^2/2)_x = nu u_xx, x in [0, 1), T = 1, nu = 0.1,
 * u0 ~ GRF with covariance 625 (-Laplacian + 25)^(-2) (FNO's `GRF1.m` with
 * sigma = 25, tau = 5, gamma = 2). Solved by Fourier pseudo-spectral ETDRK4
 * on a finer grid than the one stored.
 */
import { Periodic1d, PeriodicSolver1d } from '../../../pde/numerics/periodic.js';
import { periodicGRF1d, maternAmplitude } from '../../../pde/numerics/grf.js';
import type { Rng } from '../../../pde/numerics/random.js';

export interface BurgersGRF {
  sigma: number;
  tau: number;
  gamma: number;
}

/** FNO's Burgers initial field: sqrt 2 sigma ((2 pi k)^2 + tau^2)^(-gamma/2) per cos/sin coefficient. */
export function burgersInitialField(n: number, seed: number | Rng, grf: BurgersGRF = { sigma: 25, tau: 5, gamma: 2 }, kMax?: number): Float64Array {
  return periodicGRF1d({
    n,
    period: 1,
    amplitude: maternAmplitude({ sigma: grf.sigma, tau: grf.tau, alpha: grf.gamma, scale: Math.SQRT2 }),
    seed,
    kMax,
  });
}

/** A reusable periodic Burgers solver on n points of [0, L) (ETDRK4, N = -(u^2/2)_x, L = -nu k^2). */
export class PeriodicBurgersSolver {
  readonly grid: Periodic1d;
  private readonly solver: PeriodicSolver1d;

  constructor(readonly n: number, readonly nu: number, readonly dt: number, period = 1) {
    if (!(nu > 0)) throw new Error(`PeriodicBurgersSolver: nu must be positive, got ${nu}`);
    if (!(dt > 0)) throw new Error(`PeriodicBurgersSolver: dt must be positive, got ${dt}`);
    const grid = (this.grid = new Periodic1d(n, { period }));
    const L = { re: Float64Array.from(grid.k, (kk) => -nu * kk * kk) };
    this.solver = new PeriodicSolver1d(grid, L, dt, (vr, vi, or, oi) => grid.advection(vr, vi, or, oi));
  }

  /** Solution at each of the given times (multiples of dt), starting from grid values u0. */
  solve(u0: ArrayLike<number>, times: ArrayLike<number>): Float64Array[] {
    return this.solver.solve(u0, times, 'PeriodicBurgersSolver.solve');
  }
}

/**
 * Exact periodic Cole–Hopf solution of u_t + (u^2/2)_x = nu u_xx for a
 * zero-mean initial field on a uniform grid of [0, L): phi = exp(-int u0 / 2nu)
 * evolves by the heat equation (exactly, in Fourier space) and
 * u = -2 nu phi_x / phi. Spectrally accurate while phi's dynamic range fits
 * float64 comfortably (max |U| / nu below ~60; for u0 = -sin(pi x) that means
 * nu >~ 0.03/pi); the test oracle for the solver.
 */
export function burgersColeHopfPeriodic(u0: ArrayLike<number>, nu: number, t: number, period = 1): Float64Array {
  const n = u0.length;
  const grid = new Periodic1d(n, { period });
  const s = grid.spectrum(u0);
  if (Math.abs(s.re[0]) > 1e-10 * n) throw new Error('burgersColeHopfPeriodic: u0 must have zero mean');
  // antiderivative U of u0 (zero mean), then phi = exp(-U / 2 nu), shifted to avoid overflow
  const Ure = new Float64Array(s.re.length);
  const Uim = new Float64Array(s.re.length);
  for (let j = 1; j < s.re.length; j++) {
    if (n % 2 === 0 && j === n / 2) continue;
    Ure[j] = s.im[j] / grid.k[j];
    Uim[j] = -s.re[j] / grid.k[j];
  }
  const U = new Float64Array(n);
  grid.inverse(Ure, Uim, U);
  const m = Math.max(...U.map((v) => -v / (2 * nu)));
  const phi = Float64Array.from(U, (v) => Math.exp(-v / (2 * nu) - m));
  const p = grid.spectrum(phi);
  const dre = new Float64Array(p.re.length);
  const dim = new Float64Array(p.re.length);
  for (let j = 0; j < p.re.length; j++) {
    const decay = Math.exp(-nu * grid.k[j] * grid.k[j] * t);
    p.re[j] *= decay;
    p.im[j] *= decay;
    const kk = n % 2 === 0 && j === n / 2 ? 0 : grid.k[j];
    dre[j] = -kk * p.im[j];
    dim[j] = kk * p.re[j];
  }
  const phiT = new Float64Array(n);
  const phiX = new Float64Array(n);
  grid.inverse(p.re, p.im, phiT);
  grid.inverse(dre, dim, phiX);
  return Float64Array.from(phiT, (v, j) => (-2 * nu * phiX[j]) / v);
}
