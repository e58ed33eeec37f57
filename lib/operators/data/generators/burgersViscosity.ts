/**
 * Burgers trajectories with random viscosity, for learning PDE coefficients
 * from solutions: u_t + (u^2/2)_x = nu u_xx on [0, 1) periodic, nu
 * log-uniform in [nuMin, nuMax], u0 a smooth GRF (FNO's Burgers covariance,
 * `kMax` modes), solved by the Fourier ETDRK4 solver on `solverPoints` points
 * (every stored point kept) with step 1e-3 and stored every `dt`.
 */
import { Rng } from '../../../pde/numerics/random.js';
import { PeriodicBurgersSolver, burgersInitialField } from './burgers1d.js';

export interface ViscosityTrajectoryOptions {
  nx?: number;
  nt?: number;
  dt?: number;
  nuMin?: number;
  nuMax?: number;
  kMax?: number;
  /** Solver grid (a multiple of nx, default 2 nx). */
  solverPoints?: number;
}

export interface ViscosityTrajectory {
  /** Row-major [nt, nx], t = 0, dt, ..., (nt - 1) dt. */
  u: Float64Array;
  nu: number;
}

export function burgersViscosityTrajectory(seed: number, { nx = 64, nt = 32, dt = 0.02, nuMin = 0.01, nuMax = 0.1, kMax = 6, solverPoints = 2 * nx }: ViscosityTrajectoryOptions = {}): ViscosityTrajectory {
  if (solverPoints % nx !== 0) throw new Error(`burgersViscosityTrajectory: solverPoints (${solverPoints}) must be a multiple of nx (${nx})`);
  const rng = new Rng(seed);
  const nu = nuMin * Math.pow(nuMax / nuMin, rng.uniform());
  const u0 = burgersInitialField(solverPoints, rng, { sigma: 25, tau: 5, gamma: 2 }, kMax);
  const solver = new PeriodicBurgersSolver(solverPoints, nu, 1e-3);
  const frames = solver.solve(u0, Array.from({ length: nt }, (_, k) => Number((k * dt).toFixed(12))));
  const stride = solverPoints / nx;
  const u = new Float64Array(nt * nx);
  frames.forEach((f, k) => { for (let j = 0; j < nx; j++) u[k * nx + j] = f[j * stride]; });
  return { u, nu };
}
